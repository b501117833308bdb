# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from .mail_activity import REMINDER_KINDS

# Why a customer is in the queue; the reminder's summary says it (see
# customer.relationship.reminder._summary).
QUEUE_REASONS = [
    ("never", "Never Followed Up"),
    ("due", "Follow-up Due"),
    ("prospect_never", "Prospect Never Followed Up"),
    ("prospect_due", "Prospect Follow-up Due"),
    ("expected_purchase", "Expected Purchase Near"),
    ("quote", "Quote Without Reply"),
    ("dormant", "Dormant"),
    ("reorder", "Product Used Up"),
    ("birthday", "Birthday"),
    ("anniversary", "Company Anniversary"),
    ("holiday", "Holiday"),
]
QUEUE_STATES = [
    ("waiting", "Waiting"),
    ("reminded", "Reminder Planned"),
    ("planned", "Planned by a Person"),
]
# The kinds paced by the salesperson's capacity (the others are greetings).
PACED_KINDS = ("followup", "prospect", "winback", "reorder")
GREETING_KINDS = ("birthday", "anniversary", "holiday")
QUEUE_KEY_INDEX = "customer_followup_queue_company_key_uniq"
# The key before 18.0.1.5.0, without the company.
OLD_QUEUE_KEY_INDEX = "customer_followup_queue_key_uniq"


class CustomerFollowupQueue(models.Model):
    """The follow-up queue: what the reminder job found due (SPEC §2).

    One row per record, company and kind of reminder (per holiday for
    holiday greetings): each company reminds its salespeople of a shared
    customer on its own follow-ups. Written by the reminder job in set-based
    SQL at the start of each run and sorted as the job serves it: tier
    order, then the longest due, then the window revenue. A row is waiting,
    reminded (the job's activity is open) or planned by a person (an
    activity someone planned on the customer or one of its contacts). Rows
    without salesperson are the customers nobody can be reminded for: they
    never use up anybody's capacity. Read-only for users.
    """

    _name = "customer.followup.queue"
    _description = "Follow-up Queue"
    _order = (
        "tier_sequence asc nulls last, date_due, window_revenue desc nulls last, id"
    )
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        help="Where the reminder goes: the customer, or the contact whose birthday "
        "it is.",
    )
    customer_id = fields.Many2one(
        "res.partner",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    kind = fields.Selection(REMINDER_KINDS, required=True, readonly=True)
    reason = fields.Selection(QUEUE_REASONS, required=True, readonly=True)
    reason_date = fields.Date(
        readonly=True,
        help="The date the reminder quotes: last follow-up, last order, quote, "
        "expected purchase or occasion.",
    )
    holiday_id = fields.Many2one(
        "customer.holiday",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        readonly=True,
        index="btree_not_null",
        help="Who gets the reminder: the salesperson, else the sales team leader, "
        "else the reminders fallback user (Settings). Empty: nobody can be "
        "reminded for this customer.",
    )
    company_id = fields.Many2one(
        "res.company",
        readonly=True,
        help="The company whose follow-up the reminder is: its profile of the "
        "customer, its settings and salespeople.",
    )
    customer_tier_id = fields.Many2one("customer.tier", readonly=True)
    tier_sequence = fields.Integer(readonly=True)
    window_revenue = fields.Float(string="Revenue (window)", readonly=True)
    date_due = fields.Date(
        string="Due Since",
        readonly=True,
        help="Since when the customer is due: the most overdue come first.",
    )
    days_overdue = fields.Integer(compute="_compute_days_overdue")
    date_deadline = fields.Date(string="Reminder Due Date", readonly=True)
    date_handled = fields.Date(
        readonly=True,
        help="A reminder of this kind done since this date handled the reason.",
    )
    paced = fields.Boolean(
        readonly=True,
        help="Counts against the salesperson's follow-up reminders capacity "
        "(greetings do not).",
    )
    state = fields.Selection(QUEUE_STATES, default="waiting", readonly=True)
    # Indexed: deleting an activity looks for the rows naming it.
    activity_id = fields.Many2one(
        "mail.activity",
        string="Reminder",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )

    def init(self):
        # One row per record, company, kind and holiday: the job's upsert key.
        self.env.cr.execute(
            SQL("DROP INDEX IF EXISTS %s", SQL.identifier(OLD_QUEUE_KEY_INDEX))
        )
        self.env.cr.execute(
            SQL(
                """CREATE UNIQUE INDEX IF NOT EXISTS %s
                       ON customer_followup_queue
                          (partner_id, kind, (COALESCE(holiday_id, 0)),
                           (COALESCE(company_id, 0)))""",
                SQL.identifier(QUEUE_KEY_INDEX),
            )
        )

    @api.depends("date_due")
    @api.depends_context("tz")
    def _compute_days_overdue(self):
        today = fields.Date.context_today(self)
        for row in self:
            row.days_overdue = (today - row.date_due).days if row.date_due else 0

    @api.model
    def _forget(self, customers, kinds):
        """Drop the current company's rows of ``kinds`` of ``customers``: a
        follow-up recorded in it answered them (the next run looks again)."""
        if customers:
            self.search(
                [
                    ("customer_id", "in", customers.ids),
                    ("kind", "in", kinds),
                    ("company_id", "in", [self.env.company.id, False]),
                ]
            ).unlink()
