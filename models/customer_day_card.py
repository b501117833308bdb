# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.osv import expression

from ..engine.complaint_steps import CLOSED_STEPS

CARD_KINDS = [
    ("followups", "Follow-ups Due Today"),
    ("complaints", "Complaints at Risk"),
    ("dormant", "Gone Dormant This Week"),
    ("greetings", "Greetings This Week"),
]
# The reminders a salesperson works through (the paced kinds of the queue).
FOLLOWUP_TYPES = (
    "customer_relationship.mail_activity_type_followup",
    "customer_relationship.mail_activity_type_prospect",
    "customer_relationship.mail_activity_type_winback",
    "customer_relationship.mail_activity_type_reorder",
)
GREETING_TYPE = "customer_relationship.mail_activity_type_greeting"
# An open complaint whose deadline comes within this time is at risk.
COMPLAINT_AT_RISK = timedelta(hours=24)
# "This week": the last seven days for what happened, the next seven for
# what comes.
WEEK = timedelta(days=6)
PREVIEW_SIZE = 5
MANAGER_GROUP = "customer_relationship.group_manager"


class CustomerDayCard(models.Model):
    """A card of "My Day", the salesperson's home: what needs them today,
    counted for the user who looks, with the rights they have."""

    _name = "customer.day.card"
    _description = "My Day Card"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(CARD_KINDS, required=True, readonly=True)
    sequence = fields.Integer(default=10)
    icon = fields.Char(default="fa-tasks", help="A Font Awesome icon class.")
    description = fields.Char(translate=True)
    item_count = fields.Integer(string="Count", compute="_compute_items")
    preview = fields.Json(
        compute="_compute_items", help="The first items, as the card lists them."
    )
    waiting_count = fields.Integer(
        compute="_compute_items",
        help="Follow-ups waiting in the queue for a free day of the salesperson.",
    )
    note = fields.Char(compute="_compute_items")

    _sql_constraints = [
        ("kind_uniq", "unique(kind)", "There is one card of each kind."),
    ]

    @api.depends_context("uid", "allowed_company_ids", "tz")
    def _compute_items(self):
        Queue = self.env["customer.followup.queue"]
        for card in self:
            model, domain, order = card._items()
            Model = self.env[model]
            card.item_count = Model.search_count(domain)
            card.preview = [
                {"id": record.id, "name": name, "detail": detail}
                for record, name, detail in card._preview(
                    Model.search(domain, order=order, limit=PREVIEW_SIZE)
                )
            ]
            card.waiting_count = (
                Queue.search_count(
                    [
                        ("user_id", "=", self.env.uid),
                        ("state", "=", "waiting"),
                        ("paced", "=", True),
                    ]
                )
                if card.kind == "followups"
                else 0
            )
            card.note = (
                self.env._(
                    "%(count)s more waiting in the follow-up queue",
                    count=card.waiting_count,
                )
                if card.waiting_count
                else False
            )

    def _items(self):
        """The model, domain and order of the card's items for the user."""
        self.ensure_one()
        uid = self.env.uid
        today = fields.Date.context_today(self)
        if self.kind == "complaints":
            return (
                "customer.complaint",
                [
                    ("step", "not in", CLOSED_STEPS),
                    ("sla_paused", "=", False),
                    ("sla_deadline", "!=", False),
                    ("sla_deadline", "<=", fields.Datetime.now() + COMPLAINT_AT_RISK),
                    "|",
                    ("user_id", "=", uid),
                    ("partner_id.user_id", "=", uid),
                ],
                "sla_deadline, id",
            )
        if self.kind == "dormant":
            return (
                "res.partner",
                expression.AND(
                    [
                        self.env["res.partner"]._customer_scope_domain(),
                        [
                            ("user_id", "=", uid),
                            ("lifecycle_stage", "=", "dormant_temporary"),
                            ("lifecycle_stage_date", ">=", today - WEEK),
                        ],
                    ]
                ),
                "lifecycle_stage_date desc, id",
            )
        if self.kind == "greetings":
            types, until = [GREETING_TYPE], today + WEEK
        else:
            types, until = FOLLOWUP_TYPES, today
        type_ids = [
            activity_type.id
            for activity_type in (
                self.env.ref(xmlid, raise_if_not_found=False) for xmlid in types
            )
            if activity_type
        ]
        return (
            "mail.activity",
            [
                ("user_id", "=", uid),
                ("res_model", "=", "res.partner"),
                ("activity_type_id", "in", type_ids),
                ("date_deadline", "<=", until),
            ],
            "date_deadline, id",
        )

    def _preview(self, records):
        """(record, name, detail) of the first items, as the card shows them."""
        self.ensure_one()
        if self.kind == "complaints":
            return [(c, c.display_name, c.sla_time_left or "") for c in records]
        if self.kind == "dormant":
            return [(p, p.display_name, "") for p in records]
        return [(a, a.res_name, a.summary or a.activity_type_id.name) for a in records]

    def action_open_items(self):
        """The card's items, where the user acts on them."""
        self.ensure_one()
        model, domain, _order = self._items()
        action = {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": model,
            "domain": domain,
            "views": [(False, "list"), (False, "form")],
            "context": {"create": False},
        }
        if model == "mail.activity":
            view = self.env.ref("mail.mail_activity_view_tree_open_target")
            action["views"] = [(view.id, "list"), (False, "form")]
        elif model == "customer.complaint":
            action["views"] = [(False, "list"), (False, "kanban"), (False, "form")]
        return action

    @api.model
    def action_open_home(self):
        """The app's home: My Day for salespeople, the customers for managers."""
        if self.env.user.has_group(MANAGER_GROUP):
            xmlid = "customer_relationship.res_partner_action_customer_profiles"
        else:
            xmlid = "customer_relationship.customer_day_card_action"
        return self.env["ir.actions.act_window"]._for_xml_id(xmlid)
