# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .res_partner import LIFECYCLE_STAGES

_logger = logging.getLogger(__name__)

# The entries a playbook can follow: every stage a customer enters but
# "potential" (where every partner starts), and the return from a dormancy.
BACK_FROM_DORMANT = "back_from_dormant"
PLAYBOOK_STAGES = [
    *(stage for stage in LIFECYCLE_STAGES if stage[0] != "potential"),
    (BACK_FROM_DORMANT, "Back from Dormant"),
]


class CustomerLifecyclePlaybook(models.Model):
    """What a lifecycle stage calls for (SPEC §2): an Odoo activity plan
    launched for the customer's salesperson when the customer enters the stage.

    The profile refresh (nightly pass and live updates) schedules the plans of
    the entries it writes, once per entry: the entry's lifecycle history row is
    claimed (``playbook_scheduled``) in the same transaction as the profile.
    """

    _name = "customer.lifecycle.playbook"
    _description = "Customer Lifecycle Playbook"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    stage = fields.Selection(
        PLAYBOOK_STAGES,
        required=True,
        help="The plan is launched when a customer enters this stage. Back from "
        "Dormant: when a dormant customer orders again (instead of the plans of "
        "the stage it comes back to).",
    )
    plan_id = fields.Many2one(
        "mail.activity.plan",
        string="Activity Plan",
        required=True,
        ondelete="restrict",
        check_company=True,
        domain="[('res_model', '=', 'res.partner')]",
        help="Its activities are scheduled on the customer, for the customer's "
        "salesperson (else the sales team leader, else the reminders fallback "
        "user) unless the plan names a default user; their due dates count "
        "from the day the entry is recorded.",
    )
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        help="Leave empty to use the playbook in every company.",
    )
    template_count = fields.Integer(string="Activities", related="plan_id.steps_count")

    @api.constrains("plan_id")
    def _check_plan_model(self):
        for playbook in self:
            if playbook.plan_id.res_model != "res.partner":
                raise ValidationError(
                    self.env._(
                        "The plan %(plan)s of the playbook %(playbook)s does not "
                        "apply to contacts: choose a plan for contacts.",
                        plan=playbook.plan_id.name,
                        playbook=playbook.name,
                    )
                )

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()  # _stages_with_playbooks
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()  # _stages_with_playbooks
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()  # _stages_with_playbooks
        return super().unlink()

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    @tools.ormcache("company_id")
    def _stages_with_playbooks(self, company_id):
        """The entries with an active playbook in the company: each batch of
        the profile refresh asks, and the answer changes with the playbooks."""
        # sudo: the engine launches the company's playbooks, whoever runs it
        playbooks = self.sudo().search([("company_id", "in", [False, company_id])])
        return frozenset(playbooks.mapped("stage"))

    @api.model
    def _schedule_entries(self, entries, today):
        """Launch the plans of the playbooks for the customers entering a
        stage: ``entries`` maps partner ids to the entry (a stage or
        BACK_FROM_DORMANT), written in this transaction with their history.

        Once per entry, whoever runs it: the open history row of each customer
        is claimed by one UPDATE (a second run, or a second worker, finds it
        claimed or waits on its lock); then every activity of the batch is
        created by one create(). Return the activities created.
        """
        Activity = self.env["mail.activity"]
        stages = self._stages_with_playbooks(self.env.company.id)
        entries = {pid: entry for pid, entry in entries.items() if entry in stages}
        if not entries:
            return Activity
        # sudo: the engine launches the company's playbooks, whoever runs it
        playbooks = self.sudo().search(
            [
                ("company_id", "in", [False, self.env.company.id]),
                ("stage", "in", list(set(entries.values()))),
                ("plan_id.active", "=", True),
            ]
        )
        if not playbooks:
            return Activity
        wanted = [
            pid for pid, entry in entries.items() if entry in playbooks.mapped("stage")
        ]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE customer_lifecycle_history h
                      SET playbook_scheduled = true
                    WHERE h.partner_id = ANY(%s) AND h.company_id = %s
                      AND h.date_end IS NULL
                      AND NOT COALESCE(h.playbook_scheduled, false)
                RETURNING h.partner_id""",
                wanted,
                self.env.company.id,
            )
        )
        claimed = sorted(row[0] for row in self.env.cr.fetchall())
        self.env["customer.lifecycle.history"].invalidate_model(["playbook_scheduled"])
        if not claimed:
            return Activity
        assignees = self._assignees(claimed)
        by_entry = defaultdict(list)
        for playbook in playbooks:
            by_entry[playbook.stage].append(playbook)
        templates = playbooks.plan_id.template_ids
        templates.fetch(
            [
                "activity_type_id",
                "summary",
                "note",
                "responsible_type",
                "responsible_id",
                "delay_count",
                "delay_unit",
                "delay_from",
            ]
        )
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list, unassigned = [], 0
        for partner_id in claimed:
            for playbook in by_entry[entries[partner_id]]:
                for template in playbook.plan_id.template_ids:
                    if template.responsible_type == "other":
                        user = template.responsible_id
                    else:
                        user = assignees.get(partner_id)
                    if not user:
                        unassigned += 1
                        continue
                    # the texts of the shipped plans are those of their
                    # activity types: in the salesperson's language
                    activity_type = template.activity_type_id.with_context(
                        lang=user.lang or self.env.lang
                    )
                    vals_list.append(
                        {
                            "res_model_id": model_id,
                            "res_id": partner_id,
                            "activity_type_id": activity_type.id,
                            "summary": template.summary or activity_type.summary,
                            "note": template.note or activity_type.default_note,
                            "date_deadline": template._get_date_deadline(today),
                            "user_id": user.id,
                            "automated": True,
                        }
                    )
        if unassigned:
            _logger.info(
                "Lifecycle playbooks: %s activities without anyone to assign them to",
                unassigned,
            )
        # sudo: the playbooks plan activities for other users
        Activity = Activity.sudo().with_context(
            mail_activity_quick_update=True, tracking_disable=True
        )
        # The activities name their record one by one: read the partners at once.
        Activity.env["res.partner"].browse(claimed).mapped("display_name")
        return Activity.create(vals_list)

    @api.model
    def _assignees(self, partner_ids):
        """{partner id: res.users} who gets the playbook activities of each
        customer in the current company: as its reminders, its salesperson,
        else its sales team's leader, else the company's reminders user, who
        work for the company (one query)."""
        Reminder = self.env["customer.relationship.reminder"]
        self.env.cr.execute(
            SQL(
                """SELECT cp.id, %(assignee)s
                     FROM res_partner cp
                    CROSS JOIN (SELECT %(company)s AS company_id,
                                       %(fallback)s::int AS fallback_user_id) rc
                          %(joins)s
                    WHERE cp.id = ANY(%(ids)s)""",
                assignee=Reminder._assignee_sql(),
                joins=Reminder._assignee_joins_sql(),
                company=self.env.company.id,
                fallback=Reminder._fallback_user_id(),
                ids=partner_ids,
            )
        )
        rows = dict(self.env.cr.fetchall())
        # sudo: the users are read to assign them, whatever the runner sees
        users = self.env["res.users"].sudo().browse({u for u in rows.values() if u})
        users.fetch(["lang"])
        return {pid: users.browse(uid) for pid, uid in rows.items() if uid}
