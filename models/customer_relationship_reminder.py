# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import calendar
import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, format_date

from .customer_followup_queue import GREETING_KINDS, PACED_KINDS
from .res_config_settings import PARAM_PREFIX

_logger = logging.getLogger(__name__)

# At most this many activities are created per call; the cron runner calls
# again while some remain.
BATCH_SIZE = 5000
# The activity type of each kind of reminder (mail.activity
# customer_reminder_kind; see ``_reminder_kinds`` for who needs one).
REMINDER_TYPES = {
    "followup": "customer_relationship.mail_activity_type_followup",
    "prospect": "customer_relationship.mail_activity_type_prospect",
    "winback": "customer_relationship.mail_activity_type_winback",
    "reorder": "customer_relationship.mail_activity_type_reorder",
    "birthday": "customer_relationship.mail_activity_type_greeting",
    "anniversary": "customer_relationship.mail_activity_type_greeting",
    "holiday": "customer_relationship.mail_activity_type_greeting",
}
# Reasons whose reminder is due the day it is first wanted: the queue keeps
# that first day as the reminder's due date.
DUE_WHEN_FOUND = ("never", "prospect_never", "quote", "dormant")
# The company-dependent values of res.partner the reminders read, each
# company's for its rows: those that choose the rows, and the others.
FILTER_VALUES = ("is_customer_blacklisted", "order_count", "last_followup_date")
COMPANY_VALUES = (
    "customer_tier_id",
    "custom_followup_interval_days",
    "window_revenue",
    "next_followup_date",
    "lifecycle_stage",
    "lifecycle_stage_date",
    "last_order_date",
    "expected_reorder_date",
)
# The run in progress (a day), while its activities are created batch after
# batch: the next calls serve the queue without computing it again.
RUN_PARAM = PARAM_PREFIX + "reminder_run_date"


class CustomerRelationshipReminder(models.AbstractModel):
    """The daily reminders (SPEC §2), as activities on the customers.

    A run starts by computing, in set-based SQL, who needs which reminder
    today (one SELECT per kind, ``_reminder_kinds``) into the follow-up queue
    (customer.followup.queue), per customer and company: each company follows
    a shared customer up on its own profile, follow-ups and settings, and
    reminds its own people (the salesperson when they work for the company,
    else the sales team leader, else the company's configured user). It then
    removes the open reminders it made whose reason is gone (or beside which
    a person planned an activity), moves their due date or salesperson when
    those changed, and creates the missing ones: greetings all, the other
    kinds (paced) up to each salesperson's capacity of open reminders in each
    company, best tiers first. The job touches only the activities it created
    (``customer_reminder_kind``), each with its company.

    A reminder is never duplicated: an open one is kept, and one done since
    its reason appeared counts as handled. Do-not-contact and blacklisted
    customers get none, and a customer's minimum days between contacts are
    respected across all kinds. Customers nobody can be reminded for stay in
    the queue without salesperson, and are never counted as remaining work.
    """

    _name = "customer.relationship.reminder"
    _description = "Customer Relationship Reminders"

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_relationship_reminders(self, batch_size=BATCH_SIZE):
        """Start a run (the queue and the job's open reminders brought up to
        date) unless one is in progress today, then create the next batch of
        reminders; report the progress."""
        today = self._today()
        # sudo: the settings are system parameters, the queue the job's
        params = self.env["ir.config_parameter"].sudo()
        if params.get_param(RUN_PARAM) != fields.Date.to_string(today):
            self._start_run(today)
        created, remaining = self._create_batch(today, batch_size)
        params.set_param(RUN_PARAM, fields.Date.to_string(today) if remaining else "")
        self.env["ir.cron"]._notify_progress(done=created, remaining=remaining)
        if remaining:
            self.env.ref(
                "customer_relationship.ir_cron_relationship_reminders"
            )._trigger()

    @api.model
    def _today(self):
        """The reminders' day: today in the company's time zone."""
        return self.env.company._relationship_today()

    @api.model
    def _start_run(self, today):
        self.env.flush_all()
        counts = self._refresh_queue(today)
        counts.update(self._sync_activities(today))
        _logger.info(
            "Customer reminders of %s: %s wanted (%s new, %s changed, %s gone), "
            "%s without anyone to remind; %s reminders removed, %s updated",
            today,
            counts["wanted"],
            counts["inserted"],
            counts["updated"],
            counts["removed"],
            counts["unassigned"],
            counts["stale"],
            counts["moved"],
        )
        return counts

    @api.model
    def _reminder_kinds(self):
        """Each kind of reminder (mail.activity customer_reminder_kind) and the
        method giving the SELECT of the records that need one on a day."""
        return [
            ("followup", self._wanted_followup),
            ("prospect", self._wanted_prospect),
            ("winback", self._wanted_winback),
            ("reorder", self._wanted_reorder),
            ("birthday", self._wanted_birthday),
            ("anniversary", self._wanted_anniversary),
            ("holiday", self._wanted_holiday),
        ]

    # ------------------------------------------------------------
    # WHO NEEDS A REMINDER
    # ------------------------------------------------------------
    # Each _wanted_<kind>(today) is one SELECT of the columns of WANTED_COLUMNS
    # over the customers ``cp`` that may be contacted (``_customers_sql``, the
    # CTE of ``_customers_cte``).

    WANTED_COLUMNS = (
        "partner_id",
        "customer_id",
        "kind",
        "reason",
        "reason_date",
        "holiday_id",
        "date_due",
        "date_deadline",
        "date_handled",
        # CUSTOMER_COLUMNS
        "user_id",
        "company_id",
        "customer_tier_id",
        "tier_sequence",
        "window_revenue",
    )

    @api.model
    def _reminder_companies(self):
        """The companies reminding their salespeople: every company keeping a
        profile of its customers."""
        return self.env["customer.profile.refresh"]._profile_companies()

    @api.model
    def _companies_sql(self, today):
        """The companies as an SQL row source ``rc``, with each one's settings
        the kinds read: (company_id, default_cadence, due_limit, lead,
        lead_limit, quote_days, quote_limit, greeting_window, capacity,
        fallback_user_id)."""
        rows = []
        for company in self._reminder_companies():
            get = company._relationship_setting
            lead = get("prospect_lead_days")
            quote_days = get("quote_reminder_days")
            rows.append(
                SQL(
                    "(%s, %s, %s::date, %s, %s::date, %s, %s::date, %s, %s, %s::int)",
                    company.id,
                    get("followup_default_interval_days"),
                    today + timedelta(days=get("followup_due_days")),
                    lead,
                    today + timedelta(days=lead),
                    quote_days,
                    today - timedelta(days=quote_days),
                    get("greeting_lead_days") + 1,
                    get("followup_daily_capacity"),
                    self._fallback_user_id(company),
                )
            )
        return SQL(
            "(VALUES %s) AS rc(company_id, default_cadence, due_limit, lead, "
            "lead_limit, quote_days, quote_limit, greeting_window, capacity, "
            "fallback_user_id)",
            SQL(", ").join(rows),
        )

    @api.model
    def _customers_cte(self, today):
        """SELECT of the customers that may be contacted and may need a
        reminder, one row per customer and company (``company_id``) that
        follows it up: a customer's company, or each company in which a
        shared customer bought or was followed up (a prospect: the company of
        the run). Each row has the company's profile, follow-ups and settings,
        the columns the kinds read, the tier's cadence and sequence, the
        effective cadence, and who gets the reminders (``assignee_id``, see
        ``_assignee_sql``): read once per run (one scan of res_partner), as
        the CTE ``customers``."""
        Partner = self.env["res.partner"]

        # The company's values, each read once from its jsonb (OFFSET 0 keeps
        # PostgreSQL from copying each expression to every place it is used):
        # those that choose the rows first, the others for the rows chosen.
        def values(fnames):
            return SQL(", ").join(
                SQL(
                    "%s AS %s",
                    Partner._company_value_sql(SQL("cp"), fname, SQL("rc.company_id")),
                    SQL.identifier(fname),
                )
                for fname in fnames
            )

        return SQL(
            """SELECT cp.id, %(assignee)s AS assignee_id, rc.company_id,
                      w.customer_tier_id, t.sequence AS tier_sequence,
                      COALESCE(NULLIF(w.custom_followup_interval_days, 0),
                               t.followup_interval_days, rc.default_cadence)
                          AS cadence,
                      w.window_revenue, v.order_count, cp.purchase_intent,
                      cp.expected_purchase_date, cp.quote_date,
                      v.last_followup_date, w.next_followup_date,
                      w.lifecycle_stage, w.lifecycle_stage_date,
                      w.last_order_date, w.expected_reorder_date,
                      cp.greetings_opt_in, cp.greetings_opt_out,
                      cp.company_anniversary
                 FROM res_partner cp
                 JOIN companies rc
                   ON cp.company_id IS NULL OR cp.company_id = rc.company_id
                 JOIN LATERAL (SELECT %(filter_values)s OFFSET 0) v
                   ON NOT COALESCE(v.is_customer_blacklisted, false)
                  AND (v.order_count > 0 OR v.last_followup_date IS NOT NULL
                       OR ((cp.purchase_intent IS NOT NULL OR cp.greetings_opt_in)
                           AND rc.company_id = COALESCE(cp.company_id, %(run)s)))
           CROSS JOIN LATERAL (SELECT %(values)s OFFSET 0) w
            LEFT JOIN customer_tier t ON t.id = w.customer_tier_id
                      %(assignee_joins)s
                WHERE %(scope)s AND NOT COALESCE(cp.do_not_contact, false)
                  AND NOT COALESCE(cp.blacklist_group_wide, false)""",
            assignee=self._assignee_sql(),
            assignee_joins=self._assignee_joins_sql(),
            filter_values=values(FILTER_VALUES),
            values=values(COMPANY_VALUES),
            scope=Partner._customer_scope_sql(SQL("cp")),
            run=self.env.company.id,
        )

    @api.model
    def _customer_columns_sql(self):
        """The columns of the customer ``cp`` each kind gives its rows (see
        CUSTOMER_COLUMNS)."""
        return SQL(
            """cp.assignee_id, cp.company_id, cp.customer_tier_id,
               cp.tier_sequence, cp.window_revenue::float"""
        )

    @api.model
    def _customers_sql(self):
        """FROM item of the customers ``cp`` (the CTE of ``_customers_cte``)
        with the settings of their company ``rc`` (the CTE ``companies``)."""
        return SQL("customers cp JOIN companies rc ON rc.company_id = cp.company_id")

    @api.model
    def _next_followup_sql(self):
        """LATERAL item ``f`` with the customer's next follow-up ``next_date``
        (planned, else from the cadence)."""
        return SQL(
            """LATERAL (SELECT COALESCE(cp.next_followup_date,
                                        cp.last_followup_date + cp.cadence)
                               AS next_date) f"""
        )

    @api.model
    def _handled_sql(self, partner, kind, since):
        """No activity of ``kind``'s type done on ``partner`` since ``since``
        (SQL expressions) by a person or as a reminder of the row's company
        (``cp.company_id``): a reminder handled is not asked again while its
        reason lasts."""
        return SQL(
            """NOT EXISTS (SELECT 1 FROM mail_activity done
                            WHERE done.res_model = 'res.partner'
                              AND done.res_id = %(partner)s AND NOT done.active
                              AND done.activity_type_id = %(type)s
                              AND done.date_done >= %(since)s
                              AND (done.customer_reminder_company_id IS NULL
                                   OR done.customer_reminder_company_id
                                      = cp.company_id))""",
            partner=partner,
            type=self.env.ref(REMINDER_TYPES[kind]).id,
            since=since,
        )

    @api.model
    def _wanted_followup(self, today):
        """Customers due (within the due days) on their cadence, and those who
        bought and were never followed up (prospects have their own kind)."""
        return SQL(
            """SELECT cp.id, cp.id, 'followup',
                      CASE WHEN cp.last_followup_date IS NULL THEN 'never'
                           ELSE 'due' END,
                      cp.last_followup_date, NULL::integer,
                      COALESCE(f.next_date, %(today)s),
                      COALESCE(f.next_date, %(today)s), NULL::date, %(customer)s
                 FROM %(customers)s CROSS JOIN %(next)s
                WHERE (cp.order_count > 0 OR cp.purchase_intent IS NULL)
                  AND CASE WHEN cp.last_followup_date IS NULL THEN cp.order_count > 0
                           ELSE f.next_date <= rc.due_limit END""",
            today=today,
            customers=self._customers_sql(),
            customer=self._customer_columns_sql(),
            next=self._next_followup_sql(),
        )

    @api.model
    def _wanted_prospect(self, today):
        """Prospects: the expected purchase date near, a quote without reply
        for N days, and the prospects who never bought on the cadence (own,
        else the default cadence) from their last contact (follow-up or quote),
        never contacted or due. One reminder per prospect: the first of these
        reasons that holds."""
        return SQL(
            """SELECT DISTINCT ON (cp.id, cp.company_id) cp.id, cp.id, 'prospect',
                      r.reason,
                      r.reason_date, NULL::integer, r.date_due, r.date_deadline,
                      r.date_handled, %(customer)s
                 FROM %(customers)s
           CROSS JOIN LATERAL (SELECT GREATEST(cp.last_followup_date, cp.quote_date)
                                   AS contact_date) c
           CROSS JOIN LATERAL (SELECT COALESCE(cp.next_followup_date,
                                               c.contact_date + cp.cadence)
                                   AS next_date) f
           CROSS JOIN LATERAL (VALUES
                  (1, 'expected_purchase', cp.expected_purchase_date,
                   cp.expected_purchase_date, cp.expected_purchase_date,
                   cp.expected_purchase_date - rc.lead,
                   cp.purchase_intent = 'not_now'
                   AND cp.expected_purchase_date <= rc.lead_limit),
                  (2, 'quote', cp.quote_date, cp.quote_date + rc.quote_days,
                   %(today)s::date, cp.quote_date,
                   cp.purchase_intent = 'quoted_no_reply'
                   AND cp.quote_date <= rc.quote_limit),
                  (3, CASE WHEN c.contact_date IS NULL
                           THEN 'prospect_never' ELSE 'prospect_due' END,
                   c.contact_date, COALESCE(f.next_date, %(today)s),
                   COALESCE(f.next_date, %(today)s), NULL::date,
                   COALESCE(cp.order_count, 0) = 0
                   AND cp.purchase_intent != 'will_not_buy'
                   AND (c.contact_date IS NULL OR f.next_date <= rc.due_limit))
              ) AS r(rank, reason, reason_date, date_due, date_deadline,
                     date_handled, wanted)
                WHERE cp.purchase_intent IS NOT NULL AND r.wanted
                  AND (r.date_handled IS NULL OR %(not_handled)s)
             ORDER BY cp.id, cp.company_id, r.rank""",
            customers=self._customers_sql(),
            customer=self._customer_columns_sql(),
            today=today,
            not_handled=self._handled_sql(
                SQL("cp.id"), "prospect", SQL("r.date_handled")
            ),
        )

    @api.model
    def _wanted_winback(self, today):
        """Dormant customers, until a win-back done since they turned dormant;
        not those whose dormancy got its playbook (the dormant stage's
        playbook makes the win-back offer)."""
        since = SQL("COALESCE(cp.lifecycle_stage_date, '1900-01-01'::date)")
        return SQL(
            """SELECT cp.id, cp.id, 'winback', 'dormant', cp.last_order_date,
                      NULL::integer, COALESCE(cp.lifecycle_stage_date, %(today)s),
                      %(today)s::date, %(since)s, %(customer)s
                 FROM %(customers)s
                WHERE cp.lifecycle_stage IN ('dormant_temporary', 'dormant_permanent')
                  AND %(not_handled)s
                  AND NOT EXISTS (SELECT 1 FROM customer_lifecycle_history h
                                   WHERE h.partner_id = cp.id AND h.date_end IS NULL
                                     AND h.company_id = cp.company_id
                                     AND h.playbook_scheduled)""",
            today=today,
            since=since,
            customers=self._customers_sql(),
            customer=self._customer_columns_sql(),
            not_handled=self._handled_sql(SQL("cp.id"), "winback", since),
        )

    @api.model
    def _wanted_reorder(self, today):
        """Customers whose product should be used up (the expected reorder
        date has come), until a reorder check done since their last order."""
        since = SQL("COALESCE(cp.last_order_date, '1900-01-01'::date)")
        return SQL(
            """SELECT cp.id, cp.id, 'reorder', 'reorder', cp.last_order_date,
                      NULL::integer, cp.expected_reorder_date,
                      cp.expected_reorder_date, %(since)s, %(customer)s
                 FROM %(customers)s
                WHERE cp.expected_reorder_date <= %(today)s
                  AND cp.lifecycle_stage
                      NOT IN ('dormant_temporary', 'dormant_permanent')
                  AND %(not_handled)s""",
            today=today,
            since=since,
            customers=self._customers_sql(),
            customer=self._customer_columns_sql(),
            not_handled=self._handled_sql(SQL("cp.id"), "reorder", since),
        )

    @api.model
    def _greeting_days(self, today, company=None):
        """{month-day 'MMDD': day} of the days from today to the greeting lead
        days ahead of ``company`` (the current one by default). 29 February
        falls on 28 February in other years."""
        company = company or self.env.company
        lead = company._relationship_setting("greeting_lead_days")
        days = {}
        for offset in range(min(lead, 365) + 1):
            day = today + timedelta(days=offset)
            days.setdefault(day.strftime("%m%d"), day)
            if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
                days.setdefault("0229", day)
        return days

    @api.model
    def _occasions_sql(self, today):
        """VALUES item ``o`` (company_id, month_day, day) of the greeting days
        of each company, joined to the row's company."""
        return SQL(
            "(VALUES %s) AS o(company_id, month_day, day)",
            SQL(", ").join(
                SQL("(%s, %s, %s::date)", company.id, month_day, day)
                for company in self._reminder_companies()
                for month_day, day in self._greeting_days(today, company).items()
            ),
        )

    @api.model
    def _greeting_handled_sql(self, partner, day):
        """No greeting done on ``partner`` for the occasion on ``day`` by a
        person or as a reminder of the row's company."""
        return SQL(
            """NOT EXISTS (SELECT 1 FROM mail_activity done
                            WHERE done.res_model = 'res.partner'
                              AND done.res_id = %s AND NOT done.active
                              AND done.activity_type_id = %s
                              AND done.date_deadline = %s
                              AND (done.customer_reminder_company_id IS NULL
                                   OR done.customer_reminder_company_id
                                      = cp.company_id))""",
            partner,
            self.env.ref(REMINDER_TYPES["birthday"]).id,
            day,
        )

    @api.model
    def _wanted_birthday(self, today):
        """Birthdays of the contacts (and of individual customers) of the
        customers who accept greetings, unless the person is not to be
        contacted or wants no greetings."""
        return SQL(
            """SELECT p.id, cp.id, 'birthday', 'birthday', o.day, NULL::integer,
                      o.day, o.day, o.day - rc.greeting_window, %(customer)s
                 FROM %(customers)s
                 JOIN res_partner p ON p.commercial_partner_id = cp.id
                 JOIN %(occasions)s ON o.company_id = cp.company_id
                  AND o.month_day = to_char(p.birthday, 'MMDD')
                WHERE cp.greetings_opt_in
                  AND p.active AND p.birthday IS NOT NULL
                  AND NOT COALESCE(p.do_not_contact, false)
                  AND NOT COALESCE(p.greetings_opt_out, false)
                  AND %(not_handled)s""",
            customers=self._customers_sql(),
            customer=self._customer_columns_sql(),
            occasions=self._occasions_sql(today),
            not_handled=self._greeting_handled_sql(SQL("p.id"), SQL("o.day")),
        )

    @api.model
    def _wanted_anniversary(self, today):
        """Anniversaries of the customers who accept greetings."""
        return SQL(
            """SELECT cp.id, cp.id, 'anniversary', 'anniversary', o.day,
                      NULL::integer, o.day, o.day, o.day - rc.greeting_window,
                      %(customer)s
                 FROM %(customers)s
                 JOIN %(occasions)s
                   ON o.company_id = cp.company_id
                  AND o.month_day = to_char(cp.company_anniversary, 'MMDD')
                WHERE cp.greetings_opt_in
                  AND NOT COALESCE(cp.greetings_opt_out, false)
                  AND %(not_handled)s""",
            customers=self._customers_sql(),
            customer=self._customer_columns_sql(),
            occasions=self._occasions_sql(today),
            not_handled=self._greeting_handled_sql(SQL("cp.id"), SQL("o.day")),
        )

    @api.model
    def _wanted_holiday(self, today):
        """Every holiday within the greeting lead days, for the customers who
        accept greetings (a company's holidays for its customers); holidays
        of the same day make one greeting."""
        return SQL(
            """SELECT DISTINCT ON (cp.id, cp.company_id, h.date) cp.id, cp.id,
                      'holiday', 'holiday', h.date, h.id, h.date, h.date,
                      h.date - rc.greeting_window, %(customer)s
                 FROM %(customers)s
                 JOIN customer_holiday h
                   ON h.active
                  AND h.date BETWEEN %(today)s AND %(today)s + rc.greeting_window - 1
                  AND (h.company_id IS NULL OR h.company_id = cp.company_id)
                WHERE cp.greetings_opt_in
                  AND NOT COALESCE(cp.greetings_opt_out, false)
                  AND %(not_handled)s
             ORDER BY cp.id, cp.company_id, h.date, h.id""",
            customers=self._customers_sql(),
            customer=self._customer_columns_sql(),
            today=today,
            not_handled=self._greeting_handled_sql(SQL("cp.id"), SQL("h.date")),
        )

    # ------------------------------------------------------------
    # THE QUEUE
    # ------------------------------------------------------------

    @api.model
    def _fallback_user_id(self, company=None):
        """The configured reminders user of ``company`` (the current one by
        default), when an active internal user of that company."""
        company = company or self.env.company
        user_id = company._relationship_setting("reminder_user_id")
        # sudo: the configured user, even of a company the runner cannot see
        user = self.env["res.users"].sudo().browse(user_id).exists()
        if not user or not user.active or user.share:
            return None
        return user.id if company in user.company_ids else None

    @api.model
    def _works_for_sql(self, user):
        """The user ``user`` (an SQL of its id) works for the row's company
        ``rc.company_id``: the company is one of theirs (a subquery that
        PostgreSQL hashes once per statement)."""
        return SQL(
            """(%s, rc.company_id) IN (SELECT uc.user_id, uc.cid
                                         FROM res_company_users_rel uc)""",
            user,
        )

    @api.model
    def _assignee_joins_sql(self):
        """The joins of ``_assignee_sql``: the customer's salesperson ``su``
        and the leader ``tl`` of its sales team (when partners have one, with
        CRM), active internal users (``_assignee_sql`` keeps those who work
        for the row's company)."""
        Partner = self.env["res.partner"]
        team = SQL("LEFT JOIN res_users tl ON false")
        if "team_id" in Partner._fields and Partner._fields["team_id"].store:
            team = SQL(
                """LEFT JOIN crm_team pt ON pt.id = cp.team_id
                   LEFT JOIN res_users tl ON tl.id = pt.user_id
                         AND tl.active AND NOT tl.share"""
            )
        return SQL(
            """LEFT JOIN res_users su ON su.id = cp.user_id
                     AND su.active AND NOT su.share
               %s""",
            team,
        )

    @api.model
    def _assignee_sql(self):
        """Who gets the reminders of the customer ``cp`` in the company
        ``rc``: its salesperson, else its sales team's leader, else the leader
        of the team of its latest order of the company (looked up only for
        those without either), else the company's reminders user; active
        internal users who work for the company only. A salesperson follows a
        shared customer up in each company they work for; another company's
        reminders go to its own people."""
        return SQL(
            """COALESCE(CASE WHEN %(su_works)s THEN su.id END,
                        CASE WHEN %(tl_works)s THEN tl.id END, (
                   SELECT leader.id
                     FROM res_partner op
                     JOIN sale_order so ON so.partner_id = op.id
                     JOIN crm_team tm ON tm.id = so.team_id
                     JOIN res_users leader ON leader.id = tm.user_id
                      AND leader.active AND NOT leader.share
                    WHERE op.commercial_partner_id = cp.id AND so.state != 'cancel'
                      AND so.company_id = rc.company_id AND %(leader_works)s
                 ORDER BY so.date_order DESC
                    LIMIT 1), rc.fallback_user_id)""",
            su_works=self._works_for_sql(SQL("su.id")),
            tl_works=self._works_for_sql(SQL("tl.id")),
            leader_works=self._works_for_sql(SQL("leader.id")),
        )

    @api.model
    def _refresh_queue(self, today):
        """Bring the follow-up queue up to date with who needs a reminder
        today, in one statement: rows no longer wanted are removed, new ones
        inserted, changed ones updated (the rest is not written)."""
        queue = self.env["customer.followup.queue"]
        self.env.flush_all()
        wanted = SQL(" UNION ALL ").join(
            SQL("(%s)", wanted_today(today))
            for _kind, wanted_today in self._reminder_kinds()
        )
        columns = SQL(", ").join(SQL.identifier(c) for c in self.WANTED_COLUMNS)
        values = (
            "partner_id, customer_id, kind, reason, reason_date, holiday_id, "
            "date_due, date_deadline, date_handled, user_id, company_id, "
            "customer_tier_id, tier_sequence, window_revenue, paced"
        )
        changing = [
            c.strip()
            for c in values.split(",")
            if c.strip()
            not in ("partner_id", "kind", "holiday_id", "company_id", "date_deadline")
        ]
        # A reason due the day it is first found keeps that day as its due date.
        deadline = SQL(
            """CASE WHEN q.reason = EXCLUDED.reason AND q.reason IN %s
                    THEN q.date_deadline ELSE EXCLUDED.date_deadline END""",
            DUE_WHEN_FOUND,
        )
        # Its estimates (CTEs have no statistics) are costly enough for
        # PostgreSQL to JIT-compile it, which costs seconds and saves nothing.
        self.env.cr.execute(SQL("SET LOCAL jit = off"))
        self.env.cr.execute(
            SQL(
                """
                WITH companies AS (SELECT * FROM %(companies)s),
                customers AS MATERIALIZED (%(customers)s),
                wanted (%(columns)s) AS MATERIALIZED (%(wanted)s),
                wanted_rows AS (
                    SELECT w.*, w.kind IN %(paced)s AS paced FROM wanted w
                ), removed AS (
                    DELETE FROM customer_followup_queue q
                     WHERE NOT EXISTS (
                           SELECT 1 FROM wanted_rows r
                            WHERE r.partner_id = q.partner_id AND r.kind = q.kind
                              AND COALESCE(r.holiday_id, 0) = COALESCE(q.holiday_id, 0)
                              AND COALESCE(r.company_id, 0) = COALESCE(q.company_id, 0))
                 RETURNING q.id
                ), upserted AS (
                    INSERT INTO customer_followup_queue AS q
                           (%(values)s, state, create_uid, create_date, write_uid,
                            write_date)
                    SELECT %(values)s, 'waiting', %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM wanted_rows
                    ON CONFLICT (partner_id, kind, (COALESCE(holiday_id, 0)),
                                 (COALESCE(company_id, 0)))
                    DO UPDATE SET %(assignments)s, date_deadline = %(deadline)s,
                                  write_uid = EXCLUDED.write_uid,
                                  write_date = EXCLUDED.write_date
                     WHERE (%(current)s, q.date_deadline)
                           IS DISTINCT FROM (%(excluded)s, %(deadline)s)
                 RETURNING (q.xmax = 0) AS inserted
                )
                SELECT (SELECT count(*) FROM wanted_rows),
                       (SELECT count(*) FROM wanted_rows WHERE user_id IS NULL),
                       (SELECT count(*) FROM removed),
                       (SELECT count(*) FILTER (WHERE inserted) FROM upserted),
                       (SELECT count(*) FILTER (WHERE NOT inserted) FROM upserted)
                """,
                companies=self._companies_sql(today),
                customers=self._customers_cte(today),
                columns=columns,
                wanted=wanted,
                paced=PACED_KINDS,
                values=SQL(values),
                uid=self.env.uid,
                now=self.env.cr.now(),
                assignments=SQL(", ").join(
                    SQL("%s = EXCLUDED.%s", SQL.identifier(c), SQL.identifier(c))
                    for c in changing
                ),
                deadline=deadline,
                current=SQL(", ").join(
                    SQL("q.%s", SQL.identifier(c)) for c in changing
                ),
                excluded=SQL(", ").join(
                    SQL("EXCLUDED.%s", SQL.identifier(c)) for c in changing
                ),
            )
        )
        wanted_count, unassigned, removed, inserted, updated = self.env.cr.fetchone()
        queue.invalidate_model()
        if inserted + removed > max(1000, wanted_count // 10):
            # The queue changed much (the first run fills it): the next
            # statements of the run are planned from its new statistics.
            self.env.cr.execute(SQL("ANALYZE customer_followup_queue"))
        return {
            "wanted": wanted_count,
            "unassigned": unassigned,
            "removed": removed,
            "inserted": inserted,
            "updated": updated,
        }

    # ------------------------------------------------------------
    # THE JOB'S ACTIVITIES
    # ------------------------------------------------------------

    @api.model
    def _job_reminder_sql(self):
        """The activity ``a`` is an open reminder of the job on a partner."""
        return SQL(
            """a.res_model = 'res.partner' AND a.active
               AND a.customer_reminder_kind IS NOT NULL"""
        )

    @api.model
    def _matches_sql(self):
        """The open reminder ``a`` is the one of the queue row ``q``."""
        return SQL(
            """a.res_id = q.partner_id AND a.customer_reminder_kind = q.kind
               AND a.customer_reminder_company_id IS NOT DISTINCT FROM q.company_id
               AND (q.kind NOT IN %s OR a.date_deadline = q.date_deadline)""",
            GREETING_KINDS,
        )

    @api.model
    def _sync_activities(self, today):
        """Mark the rows beside which a person planned an activity; remove the
        job's open reminders whose row is gone or planned by a person; link
        the others to their row, moving their due date and salesperson when
        the row's changed."""
        cr = self.env.cr
        greeting_type = self.env.ref(REMINDER_TYPES["birthday"]).id
        # A person's open activity on the customer or one of its contacts (but
        # a greeting) is the follow-up planned, in each company its user works
        # for (in every company without user).
        cr.execute(
            SQL(
                """
                WITH planned AS (
                    SELECT DISTINCT rp.commercial_partner_id AS customer_id,
                           uc.cid AS company_id
                      FROM mail_activity a
                      JOIN res_partner rp ON rp.id = a.res_id
                 LEFT JOIN res_company_users_rel uc ON uc.user_id = a.user_id
                     WHERE a.res_model = 'res.partner' AND a.active
                       AND a.customer_reminder_kind IS NULL
                       AND a.activity_type_id IS DISTINCT FROM %(greeting)s
                )
                UPDATE customer_followup_queue q
                   SET state = CASE WHEN p.customer_id IS NULL THEN 'waiting'
                                    ELSE 'planned' END,
                       activity_id = NULL
                  FROM customer_followup_queue q2
             LEFT JOIN planned p ON p.customer_id = q2.customer_id
                   AND (p.company_id IS NULL OR p.company_id = q2.company_id)
                 WHERE q.id = q2.id AND q.paced
                   AND (q.state = 'planned') != (p.customer_id IS NOT NULL)
                """,
                greeting=greeting_type,
            )
        )
        # Stale: no row wants it, or it repeats an older open reminder of the
        # same kind (and occasion day) on the partner, as the job before
        # 18.0.1.2.0 could leave them: the oldest one is kept.
        cr.execute(
            SQL(
                """
                SELECT a.id FROM mail_activity a
                 WHERE %(reminders)s
                   AND (NOT EXISTS (SELECT 1 FROM customer_followup_queue q
                                     WHERE %(matches)s AND q.state != 'planned')
                        OR EXISTS (SELECT 1 FROM mail_activity older
                                    WHERE older.res_model = 'res.partner'
                                      AND older.res_id = a.res_id
                                      AND older.active AND older.id < a.id
                                      AND older.customer_reminder_kind
                                          = a.customer_reminder_kind
                                      AND older.customer_reminder_company_id
                                          IS NOT DISTINCT FROM
                                          a.customer_reminder_company_id
                                      AND (a.customer_reminder_kind NOT IN %(greet)s
                                           OR older.date_deadline = a.date_deadline)))
                """,
                reminders=self._job_reminder_sql(),
                matches=self._matches_sql(),
                greet=GREETING_KINDS,
            )
        )
        stale_ids = [row[0] for row in cr.fetchall()]
        # sudo: the job's reminders are activities of other users
        Activity = self.env["mail.activity"].sudo()
        Activity.browse(stale_ids).unlink()
        # Link each row to its open reminder (greetings: of the occasion's day).
        cr.execute(
            SQL(
                """
                WITH found AS (
                    SELECT DISTINCT ON (q.id) q.id, a.id AS activity_id
                      FROM customer_followup_queue q
                      JOIN mail_activity a ON %(reminders)s AND %(matches)s
                     WHERE q.state != 'planned'
                  ORDER BY q.id, a.id
                )
                UPDATE customer_followup_queue q
                   SET activity_id = found.activity_id,
                       state = CASE WHEN found.activity_id IS NULL THEN 'waiting'
                                    ELSE 'reminded' END
                  FROM customer_followup_queue q2
             LEFT JOIN found ON found.id = q2.id
                 WHERE q.id = q2.id AND q.state != 'planned'
                   AND (q.activity_id IS DISTINCT FROM found.activity_id
                        OR q.state != CASE WHEN found.activity_id IS NULL
                                           THEN 'waiting' ELSE 'reminded' END)
                """,
                reminders=self._job_reminder_sql(),
                matches=self._matches_sql(),
            )
        )
        # The due date and salesperson of the row, when they changed.
        cr.execute(
            SQL(
                """SELECT a.id, q.date_deadline, COALESCE(q.user_id, a.user_id)
                     FROM customer_followup_queue q
                     JOIN mail_activity a ON a.id = q.activity_id
                    WHERE a.date_deadline != q.date_deadline
                       OR (q.user_id IS NOT NULL AND a.user_id != q.user_id)"""
            )
        )
        moves = defaultdict(list)
        for activity_id, deadline, user_id in cr.fetchall():
            moves[deadline, user_id].append(activity_id)
        quiet = Activity.with_context(mail_activity_quick_update=True)
        for (deadline, user_id), activity_ids in moves.items():
            quiet.browse(activity_ids).write(
                {"date_deadline": deadline, "user_id": user_id}
            )
        self.env["customer.followup.queue"].invalidate_model()
        return {"stale": len(stale_ids), "moved": sum(map(len, moves.values()))}

    @api.model
    def _candidates_sql(self, today, batch_size):
        """The waiting rows to remind now, best first, with the number of all
        of them: greetings, and paced rows within each salesperson's capacity
        left in the row's company (its capacity less their open paced
        reminders of the company and those created today and done already:
        at most a day's capacity of new ones, even when the job runs again),
        in queue order. A customer with minimum days between contacts gets one
        at a time, and none while another reminder is open or a contact
        (follow-up of any company, reminder done) is more recent than that."""
        company = self.env.company
        types = list({self.env.ref(xmlid).id for xmlid in REMINDER_TYPES.values()})
        order = SQL(
            "q.tier_sequence ASC NULLS LAST, q.date_due, "
            "q.window_revenue DESC NULLS LAST, q.id"
        )
        # The customer's last contact, whichever company made it.
        last_contact = SQL(
            """(SELECT max(j.value::date)
                  FROM jsonb_each_text(cp.last_followup_date) AS j)"""
        )
        return SQL(
            """
            WITH open_reminders AS (
                SELECT user_id, company_id, count(*) AS n FROM (
                    SELECT a.user_id, a.customer_reminder_company_id AS company_id
                      FROM mail_activity a
                     WHERE %(reminders)s AND a.customer_reminder_kind IN %(paced)s
                 UNION ALL
                    SELECT a.user_id, a.customer_reminder_company_id
                      FROM mail_activity a
                     WHERE a.customer_reminder_kind IN %(paced)s
                       AND a.create_date >= %(day_start)s
                       AND a.create_date < %(day_end)s AND NOT a.active
                ) AS used
              GROUP BY user_id, company_id
            ), waiting AS (
                SELECT q.*, cp.min_contact_interval_days AS min_days,
                       row_number() OVER (PARTITION BY q.user_id, q.company_id,
                                                       q.paced
                                          ORDER BY %(order)s) AS user_rank
                  FROM customer_followup_queue q
                  JOIN res_partner cp ON cp.id = q.customer_id
                 WHERE q.state = 'waiting' AND q.user_id IS NOT NULL
                   AND (COALESCE(cp.min_contact_interval_days, 0) <= 0
                        OR (COALESCE(%(last_contact)s, '1900-01-01')
                                <= %(today)s - cp.min_contact_interval_days
                            AND NOT EXISTS (
                                SELECT 1 FROM mail_activity other
                                  JOIN res_partner op ON op.id = other.res_id
                                 WHERE other.res_model = 'res.partner'
                                   AND op.commercial_partner_id = q.customer_id
                                   AND other.activity_type_id IN %(types)s
                                   AND (other.active OR other.date_done
                                        > %(today)s - cp.min_contact_interval_days))))
            ), served AS (
                SELECT q.*, row_number() OVER (PARTITION BY q.customer_id
                                               ORDER BY q.paced, %(order)s)
                           AS customer_rank
                  FROM waiting q
             LEFT JOIN %(companies)s ON rc.company_id = q.company_id
             LEFT JOIN open_reminders o ON o.user_id = q.user_id
                   AND o.company_id IS NOT DISTINCT FROM q.company_id
                 WHERE NOT q.paced
                    OR q.user_rank <= COALESCE(rc.capacity, %(capacity)s)
                                      - COALESCE(o.n, 0)
            )
            SELECT q.id, count(*) OVER () FROM served q
             WHERE q.min_days <= 0 OR q.min_days IS NULL OR q.customer_rank = 1
          ORDER BY q.paced, %(order)s
             LIMIT %(limit)s
            """,
            reminders=self._job_reminder_sql(),
            paced=PACED_KINDS,
            order=order,
            today=today,
            types=tuple(types),
            last_contact=last_contact,
            companies=self._companies_sql(today),
            capacity=company._relationship_setting("followup_daily_capacity"),
            day_start=company._relationship_day_start(today),
            day_end=company._relationship_day_start(today + timedelta(days=1)),
            limit=batch_size,
        )

    @api.model
    def _create_batch(self, today, batch_size):
        """Create the reminders of the next candidates of the queue; return
        (created, still to create)."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(self._candidates_sql(today, batch_size))
        rows = cr.fetchall()
        if not rows:
            return 0, 0
        total = rows[0][1]
        # sudo: the queue and the reminders are the job's, for every salesperson
        queue = self.env["customer.followup.queue"].sudo().browse([r[0] for r in rows])
        activities = self._create_reminders(queue)
        cr.execute(
            SQL(
                """UPDATE customer_followup_queue q
                      SET state = 'reminded', activity_id = v.activity_id
                     FROM unnest(%s::int[], %s::int[]) AS v(id, activity_id)
                    WHERE q.id = v.id""",
                queue.ids,
                activities.ids,
            )
        )
        queue.invalidate_recordset(["state", "activity_id"])
        return len(queue), total - len(queue)

    @api.model
    def _create_reminders(self, queue):
        """One activity per queue row, in the row order, for its salesperson,
        with the summary in the salesperson's language (dates too)."""
        model_id = self.env["ir.model"]._get_id("res.partner")
        types = {kind: self.env.ref(xmlid).id for kind, xmlid in REMINDER_TYPES.items()}
        queue.fetch(
            [
                "partner_id",
                "kind",
                "reason",
                "reason_date",
                "holiday_id",
                "date_deadline",
                "user_id",
                "company_id",
            ]
        )
        # The activities name their record one by one: read the partners at once.
        queue.partner_id.mapped("display_name")
        vals_list = []
        by_lang = defaultdict(list)
        for row in queue:
            by_lang[row.user_id.lang or "en_US"].append(row)
        summaries = {}
        # a salesperson of several companies may get a reminder of each
        with_company = len(self._reminder_companies()) > 1
        for lang, rows in by_lang.items():
            localised = self.with_context(lang=lang)
            for row in rows:
                summaries[row.id] = localised._summary(
                    row.with_context(lang=lang), with_company=with_company
                )
        for row in queue:
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": row.partner_id.id,
                    "activity_type_id": types[row.kind],
                    "summary": summaries[row.id],
                    "date_deadline": row.date_deadline,
                    "user_id": row.user_id.id,
                    "customer_reminder_kind": row.kind,
                    "customer_reminder_company_id": row.company_id.id,
                }
            )
        return (
            self.env["mail.activity"]
            # sudo: the reminders are activities of other users
            .sudo()
            .with_context(
                mail_activity_quick_update=True,
                mail_create_nosubscribe=True,
                tracking_disable=True,
            )
            .create(vals_list)
        )

    @api.model
    def _summary(self, row, with_company=False):
        """The reminder's summary for a queue row, in the context's language;
        ``with_company`` (a database of several companies), with the company
        whose follow-up it is."""
        summary = self._reason_summary(row)
        if with_company and row.company_id:
            return self.env._(
                "%(summary)s (%(company)s)",
                summary=summary,
                company=row.company_id.sudo().name,
            )
        return summary

    @api.model
    def _reason_summary(self, row):
        """What the reminder asks, for a queue row, in the context's language."""
        _ = self.env._
        lang = self.env.lang
        day = format_date(self.env, row.reason_date, lang_code=lang)
        if row.reason == "never":
            return _("First follow-up: this customer was never followed up")
        if row.reason == "due":
            return _("Follow up (last follow-up: %(date)s)", date=day)
        if row.reason == "prospect_never":
            return _("First follow-up of the prospect: never followed up yet")
        if row.reason == "prospect_due":
            return _("Follow up the prospect (last follow-up: %(date)s)", date=day)
        if row.reason == "expected_purchase":
            return _("The prospect expected to buy on %(date)s", date=day)
        if row.reason == "quote":
            return _("Quoted on %(date)s, no reply yet", date=day)
        if row.reason == "dormant":
            return _("Win back: no order since %(date)s", date=day)
        if row.reason == "reorder":
            return _(
                "Reorder check: the product bought on %(date)s should be used up",
                date=day,
            )
        if row.reason == "birthday":
            return _("Birthday on %(date)s", date=day)
        if row.reason == "anniversary":
            return _("Company anniversary on %(date)s", date=day)
        return _("%(holiday)s on %(date)s", holiday=row.holiday_id.name, date=day)
