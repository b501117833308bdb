# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import namedtuple
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# At most this many activities are created per call; the cron runner calls
# again while some remain.
BATCH_SIZE = 5000
# What a reminder is for a partner: its deadline, its summary, and since when a
# done reminder of the same kind counts as handled.
Reminder = namedtuple("Reminder", ["deadline", "summary", "since"])
# The activity type of each kind of reminder (see ``_reminder_kinds`` for the
# method that finds who needs one).
REMINDER_TYPES = {
    "followup": "customer_relationship.mail_activity_type_followup",
    "winback": "customer_relationship.mail_activity_type_winback",
    "reorder": "customer_relationship.mail_activity_type_reorder",
    "prospect": "customer_relationship.mail_activity_type_prospect",
    "greeting": "customer_relationship.mail_activity_type_greeting",
}


class CustomerRelationshipReminder(models.AbstractModel):
    """The daily reminders (SPEC §2), as activities on the customers.

    For each kind of reminder, the partners that need one today are found with
    one search; open activities whose reason is gone are removed, missing ones
    are created for the salesperson (else the sales team leader, else the
    configured user). A reminder is never duplicated: an open one is kept, and
    one done since its reason appeared counts as handled. Do-not-contact and
    blacklisted customers get none, and a customer's minimum days between
    contacts are respected.
    """

    _name = "customer.relationship.reminder"
    _description = "Customer Relationship Reminders"

    @api.model
    def _cron_relationship_reminders(self, batch_size=BATCH_SIZE):
        """Synchronise every kind of reminder; report the progress."""
        today = fields.Date.context_today(self)
        created = remaining = 0
        for kind, wanted_today in self._reminder_kinds():
            wanted = wanted_today(today)
            done, left = self._sync(kind, wanted, today, batch_size - created)
            created += done
            remaining += left
        self.env["ir.cron"]._notify_progress(done=created, remaining=remaining)
        if remaining:
            self.env.ref(
                "customer_relationship.ir_cron_relationship_reminders"
            )._trigger()

    @api.model
    def _reminder_kinds(self):
        """Each kind of reminder (REMINDER_TYPES) and the method giving the
        partners that need one on a day: {partner id: Reminder}."""
        return [
            ("followup", self._wanted_followup),
            ("winback", self._wanted_winback),
            ("reorder", self._wanted_reorder),
            ("prospect", self._wanted_prospect),
            ("greeting", self._wanted_greeting),
        ]

    # ------------------------------------------------------------
    # WHO NEEDS A REMINDER
    # ------------------------------------------------------------

    @api.model
    def _reachable_domain(self):
        """Customers that may be contacted."""
        return expression.AND(
            [
                self.env["res.partner"]._customer_scope_domain(),
                [
                    ("do_not_contact", "=", False),
                    ("is_customer_blacklisted", "=", False),
                ],
            ]
        )

    @api.model
    def _search_reachable(self, domain, fnames):
        """The reachable customers matching ``domain``, with ``fnames`` read."""
        # sudo: the job reminds every salesperson of every customer
        return (
            self.env["res.partner"]
            # sudo: the customers of every salesperson, whoever runs the reminders
            .sudo()
            .search_fetch(expression.AND([self._reachable_domain(), domain]), fnames)
        )

    @api.model
    def _wanted_followup(self, today):
        _ = self.env._
        partners = self._search_reachable(
            [
                "|",
                ("followup_state", "in", ("due", "overdue")),
                "&",
                ("followup_state", "=", "never"),
                ("order_count", ">", 0),
            ],
            ["last_followup_date", "next_followup_date"],
        )
        return {
            p.id: Reminder(
                p.next_followup_date or today,
                _("Follow up (last follow-up: %(date)s)", date=p.last_followup_date)
                if p.last_followup_date
                else _("First follow-up: this customer was never followed up"),
                p.last_followup_date or date.min,
            )
            for p in partners
        }

    @api.model
    def _wanted_winback(self, today):
        partners = self._search_reachable(
            [("lifecycle_stage", "in", ("dormant_temporary", "dormant_permanent"))],
            ["last_order_date", "lifecycle_stage_date"],
        )
        return {
            p.id: Reminder(
                today,
                self.env._("Win back: no order since %(date)s", date=p.last_order_date),
                p.lifecycle_stage_date or date.min,
            )
            for p in partners
        }

    @api.model
    def _wanted_reorder(self, today):
        partners = self._search_reachable(
            [
                ("expected_reorder_date", "<=", today),
                (
                    "lifecycle_stage",
                    "not in",
                    ("dormant_temporary", "dormant_permanent"),
                ),
            ],
            ["expected_reorder_date", "last_order_date"],
        )
        return {
            p.id: Reminder(
                p.expected_reorder_date,
                self.env._(
                    "Reorder check: the product bought on %(date)s should be used up",
                    date=p.last_order_date,
                ),
                p.last_order_date or date.min,
            )
            for p in partners
        }

    @api.model
    def _wanted_prospect(self, today):
        get = self.env.company._relationship_setting
        lead = get("prospect_lead_days")
        quote_days = get("quote_reminder_days")
        partners = self._search_reachable(
            [
                "|",
                "&",
                ("purchase_intent", "=", "not_now"),
                ("expected_purchase_date", "<=", today + timedelta(days=lead)),
                "&",
                ("purchase_intent", "=", "quoted_no_reply"),
                ("quote_date", "<=", today - timedelta(days=quote_days)),
            ],
            ["purchase_intent", "expected_purchase_date", "quote_date"],
        )
        wanted = {}
        for p in partners:
            if p.purchase_intent == "not_now":
                wanted[p.id] = Reminder(
                    p.expected_purchase_date,
                    self.env._(
                        "The prospect expected to buy on %(date)s",
                        date=p.expected_purchase_date,
                    ),
                    p.expected_purchase_date - timedelta(days=lead),
                )
            else:
                wanted[p.id] = Reminder(
                    today,
                    self.env._("Quoted on %(date)s, no reply yet", date=p.quote_date),
                    p.quote_date,
                )
        return wanted

    @api.model
    def _wanted_greeting(self, today):
        """Birthdays (of customers and of their contacts), company
        anniversaries and holidays within the lead days, opt-in only."""
        lead = self.env.company._relationship_setting("greeting_lead_days")
        days = [today + timedelta(days=n) for n in range(lead + 1)]
        by_month_day = {(d.month, d.day): d for d in days}
        month_days = ["%02d%02d" % key for key in by_month_day]
        self.env["res.partner"].flush_model(
            [
                "active",
                "birthday",
                "commercial_partner_id",
                "is_company",
                "parent_id",
                "company_anniversary",
                "greetings_opt_in",
                "do_not_contact",
                "is_customer_blacklisted",
            ]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, to_char(p.birthday, 'MMDD'),
                       to_char(cp.company_anniversary, 'MMDD')
                  FROM res_partner p
                  JOIN res_partner cp ON cp.id = p.commercial_partner_id
                 WHERE p.active AND %(customer)s AND cp.greetings_opt_in
                   AND NOT COALESCE(cp.do_not_contact, false)
                   AND NOT COALESCE(cp.is_customer_blacklisted, false)
                   AND (to_char(p.birthday, 'MMDD') = ANY(%(md)s)
                        OR (p.id = cp.id
                            AND to_char(cp.company_anniversary, 'MMDD') = ANY(%(md)s)))
                """,
                md=month_days,
                customer=self.env["res.partner"]._customer_scope_sql(SQL("cp")),
            )
        )
        wanted = {}

        def occasion(key):
            return by_month_day[(int(key[:2]), int(key[2:]))]

        for partner_id, birthday, anniversary in self.env.cr.fetchall():
            if birthday in month_days:
                when = occasion(birthday)
                summary = self.env._("Birthday on %(date)s", date=when)
            else:
                when = occasion(anniversary)
                summary = self.env._("Company anniversary on %(date)s", date=when)
            wanted[partner_id] = Reminder(
                when, summary, when - timedelta(days=lead + 1)
            )
        holidays = (
            self.env["customer.holiday"]
            # sudo: the holidays of every company, whoever runs the reminders
            .sudo()
            .search([("date", ">=", today), ("date", "<=", days[-1])], order="date")
        )
        if holidays:
            holiday = holidays[0]
            partners = self._search_reachable([("greetings_opt_in", "=", True)], ["id"])
            for partner in partners:
                wanted.setdefault(
                    partner.id,
                    Reminder(
                        holiday.date,
                        self.env._(
                            "%(holiday)s on %(date)s",
                            holiday=holiday.name,
                            date=holiday.date,
                        ),
                        holiday.date - timedelta(days=lead + 1),
                    ),
                )
        return wanted

    # ------------------------------------------------------------
    # SYNCHRONISE
    # ------------------------------------------------------------

    @api.model
    def _sync(self, kind, wanted, today, budget):
        """Remove the reminders of ``kind`` whose reason is gone, create the
        missing ones (at most ``budget``). Return (created, still missing)."""
        # sudo: the reminders are activities of other users
        Activity = self.env["mail.activity"].sudo().with_context(active_test=False)
        activity_type = self.env.ref(REMINDER_TYPES[kind])
        all_types = [self.env.ref(xmlid).id for xmlid in REMINDER_TYPES.values()]
        base = [
            ("res_model", "=", "res.partner"),
            ("activity_type_id", "=", activity_type.id),
        ]
        open_activities = Activity.search_fetch(
            expression.AND([base, [("active", "=", True)]]), ["res_id", "date_deadline"]
        )
        stale = open_activities.filtered(
            lambda a: (
                a.res_id not in wanted
                or (kind == "greeting" and a.date_deadline != wanted[a.res_id].deadline)
            )
        )
        stale.unlink()
        missing = set(wanted) - set((open_activities - stale).mapped("res_id"))
        if not missing:
            return 0, 0
        # Done since the reason appeared: handled.
        done = dict(
            Activity._read_group(
                expression.AND(
                    [base, [("active", "=", False), ("res_id", "in", list(missing))]]
                ),
                ["res_id"],
                ["date_done:max"],
            )
        )
        missing = {
            pid for pid in missing if not done.get(pid) or done[pid] < wanted[pid].since
        }
        missing = self._respect_contact_interval(
            missing, all_types, activity_type, today
        )
        to_create = sorted(missing)[: max(budget, 0)]
        self._create_reminders(activity_type, to_create, wanted)
        return len(to_create), len(missing) - len(to_create)

    @api.model
    def _respect_contact_interval(self, partner_ids, all_types, activity_type, today):
        """Drop partners contacted, or with another reminder pending, within
        their minimum days between contacts."""
        # sudo: the customers of every salesperson, whoever runs the reminders
        partners = self.env["res.partner"].sudo().browse(partner_ids)
        strict = partners.filtered("min_contact_interval_days")
        if not strict:
            return partner_ids
        # sudo: the customers' activities, whoever planned them
        Activity = self.env["mail.activity"].sudo().with_context(active_test=False)
        recent = {}
        for res_id, active, last_done, last_deadline in Activity._read_group(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", strict.ids),
                ("activity_type_id", "in", all_types),
                ("activity_type_id", "!=", activity_type.id),
            ],
            ["res_id", "active"],
            ["date_done:max", "date_deadline:max"],
        ):
            recent.setdefault(res_id, []).append(last_deadline if active else last_done)
        skip = set()
        for partner in strict:
            interval = timedelta(days=partner.min_contact_interval_days)
            contacts = [d for d in recent.get(partner.id, []) if d]
            if partner.last_followup_date:
                contacts.append(partner.last_followup_date)
            if any(abs(today - contact) < interval for contact in contacts):
                skip.add(partner.id)
        return partner_ids - skip

    @api.model
    def _customer_teams(self, customers):
        """The sales team of each customer: its own (when CRM adds one to
        partners), else the team of its latest order."""
        teams = {}
        if "team_id" in customers._fields:
            teams = {c.id: c.team_id for c in customers if c.team_id}
        others = [cid for cid in customers.ids if cid not in teams]
        if others:
            self.env["sale.order"].flush_model(["partner_id", "team_id", "date_order"])
            self.env.cr.execute(
                SQL(
                    """SELECT DISTINCT ON (p.commercial_partner_id)
                              p.commercial_partner_id, so.team_id
                         FROM sale_order so
                         JOIN res_partner p ON p.id = so.partner_id
                        WHERE p.commercial_partner_id = ANY(%s)
                          AND so.team_id IS NOT NULL AND so.state != 'cancel'
                     ORDER BY p.commercial_partner_id, so.date_order DESC""",
                    others,
                )
            )
            # sudo: the customer's sales team, whatever the user's sales rights
            Team = self.env["crm.team"].sudo()
            teams.update({cid: Team.browse(tid) for cid, tid in self.env.cr.fetchall()})
        return teams

    @api.model
    def _create_reminders(self, activity_type, partner_ids, wanted):
        if not partner_ids:
            return
        # sudo: the customers of every salesperson, whoever runs the reminders
        partners = self.env["res.partner"].sudo().browse(partner_ids)
        teams = self._customer_teams(partners.commercial_partner_id)
        fallback = self.env.company._relationship_setting("reminder_user_id")
        # sudo: the configured user, even of a company the runner cannot see
        fallback_user = self.env["res.users"].sudo().browse(fallback).exists()
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = []
        for partner in partners:
            commercial = partner.commercial_partner_id
            user = (
                commercial.user_id
                or teams.get(commercial.id, self.env["crm.team"]).user_id
                or fallback_user
            )
            if not user:
                _logger.warning(
                    "No salesperson, team leader nor fallback user for the "
                    "reminder of partner %s",
                    partner.id,
                )
                continue
            reminder = wanted[partner.id]
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "summary": reminder.summary,
                    "date_deadline": reminder.deadline,
                    "user_id": user.id,
                }
            )
        # sudo: the reminders are activities of other users
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(vals_list)
