# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date

from ..engine.complaint_steps import CLOSED_STEPS


class CustomerHandover(models.TransientModel):
    """Hand a salesperson's customers over to another (客户交接).

    Customers belong to the company, not to a salesperson: in one step the
    customers, their open activities and their followers move to the new
    salesperson, and each customer gets a handover note summarising its
    follow-up history.
    """

    _name = "customer.handover"
    _description = "Customer Handover"

    from_user_id = fields.Many2one(
        "res.users",
        string="From Salesperson",
        required=True,
        domain=[("share", "=", False)],
    )
    to_user_id = fields.Many2one(
        "res.users",
        string="To Salesperson",
        required=True,
        domain=[("share", "=", False)],
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        compute="_compute_partner_ids",
        store=True,
        readonly=False,
        help="The customers to hand over; by default all the customers of the "
        "salesperson who leaves.",
    )
    partner_count = fields.Integer(
        string="Customers to Hand Over", compute="_compute_preview"
    )
    order_count = fields.Integer(
        string="Open Quotations and Orders",
        compute="_compute_preview",
        help="The quotations and the orders not fully invoiced of these customers "
        "that the leaving salesperson holds.",
    )
    complaint_count = fields.Integer(
        string="Open Complaints",
        compute="_compute_preview",
        help="The open complaints of these customers that the leaving salesperson "
        "handles.",
    )
    activity_count = fields.Integer(string="Activities", compute="_compute_preview")
    follower_count = fields.Integer(
        string="Customers Followed",
        compute="_compute_preview",
        help="The customers the leaving salesperson follows: the new salesperson "
        "follows them instead.",
    )
    move_activities = fields.Boolean(string="Move Open Activities", default=True)
    move_followers = fields.Boolean(default=True)
    note = fields.Text(
        string="Handover Note",
        help="Added to the note posted on each customer, e.g. why the customers "
        "change hands.",
    )

    @api.depends("from_user_id")
    def _compute_partner_ids(self):
        Partner = self.env["res.partner"]
        for wizard in self:
            wizard.partner_ids = (
                Partner.search(
                    Partner._commercial_domain()
                    + [("user_id", "=", wizard.from_user_id.id)]
                )
                if wizard.from_user_id
                else Partner
            )

    @api.depends("partner_ids", "from_user_id")
    def _compute_preview(self):
        for wizard in self:
            customers = wizard.partner_ids.commercial_partner_id._origin
            moving = wizard._moving_records(customers)
            wizard.partner_count = len(customers)
            wizard.order_count = len(moving["orders"])
            wizard.complaint_count = len(moving["complaints"])
            wizard.activity_count = len(moving["activities"])
            wizard.follower_count = len(moving["followed"])

    def _moving_records(self, customers):
        """What the handover of ``customers`` moves from the leaving
        salesperson: their partners (the customers and the contacts the
        salesperson held), open orders, open complaints, open activities, and
        the customers the salesperson follows."""
        user = self.from_user_id._origin
        Partner = self.env["res.partner"]
        if not customers or not user:
            return {
                "partners": Partner,
                "orders": self.env["sale.order"],
                "complaints": self.env["customer.complaint"],
                "activities": self.env["mail.activity"],
                "followed": Partner,
            }
        partners = Partner.search(
            [
                ("commercial_partner_id", "in", customers.ids),
                "|",
                ("user_id", "=", user.id),
                ("id", "in", customers.ids),
            ]
        )
        # sudo: a manager hands over the customers' orders, whatever their
        # rights in Sales
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", customers.ids),
                    ("user_id", "=", user.id),
                    "|",
                    ("state", "in", ("draft", "sent")),
                    "&",
                    ("state", "=", "sale"),
                    ("invoice_status", "!=", "invoiced"),
                ]
            )
        )
        # sudo: a manager hands over every open complaint of the customers
        complaints = (
            self.env["customer.complaint"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", customers.ids),
                    ("user_id", "=", user.id),
                    ("step", "not in", CLOSED_STEPS),
                ]
            )
        )
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
                ("user_id", "=", user.id),
            ]
        )
        followed = customers.filtered(
            lambda customer: user.partner_id in customer.message_partner_ids
        )
        return {
            "partners": partners,
            "orders": orders,
            "complaints": complaints,
            "activities": activities,
            "followed": followed,
        }

    def action_handover(self):
        self.ensure_one()
        if not self.env.user.has_group("customer_relationship.group_manager"):
            raise AccessError(
                self.env._(
                    "Only customer relationship managers may hand customers over."
                )
            )
        if self.from_user_id == self.to_user_id:
            raise UserError(self.env._("Choose two different salespeople."))
        customers = self.partner_ids.commercial_partner_id
        if not customers:
            raise UserError(self.env._("There is no customer to hand over."))
        moving = self._moving_records(customers)
        summaries = self._followup_summaries(customers)
        new_user = self.to_user_id.id
        moving["partners"].write({"user_id": new_user})
        # Customers belong to the company: their open business moves with them.
        moving["orders"].write({"user_id": new_user})
        moving["complaints"].write({"user_id": new_user})
        if self.move_activities:
            moving["activities"].with_context(mail_activity_quick_update=True).write(
                {"user_id": new_user}
            )
        if self.move_followers:
            customers.message_subscribe(partner_ids=self.to_user_id.partner_id.ids)
            customers.message_unsubscribe(partner_ids=self.from_user_id.partner_id.ids)
        customers._message_log_batch(
            bodies={customer.id: summaries[customer.id] for customer in customers}
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Handed over to %(user)s: %(customers)s customers, %(orders)s "
                    "open quotations and orders, %(complaints)s open complaints.",
                    user=self.to_user_id.name,
                    customers=len(customers),
                    orders=len(moving["orders"]),
                    complaints=len(moving["complaints"]),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _followup_summaries(self, customers):
        """The handover note of each customer: who hands over to whom, and the
        follow-up history in a few lines."""
        followup_type = self.env.ref(
            "customer_relationship.mail_activity_type_followup"
        )
        done = dict(
            self.env["mail.activity"]
            .with_context(active_test=False)
            ._read_group(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", customers.ids),
                    ("activity_type_id", "=", followup_type.id),
                    ("active", "=", False),
                ],
                ["res_id"],
                ["__count"],
            )
        )
        states = dict(
            customers._fields["followup_state"]._description_selection(self.env)
        )
        stages = dict(
            customers._fields["lifecycle_stage"]._description_selection(self.env)
        )
        _ = self.env._
        summaries = {}
        for customer in customers:
            lines = [
                _(
                    "Customer handed over from %(old)s to %(new)s.",
                    old=self.from_user_id.name,
                    new=self.to_user_id.name,
                ),
                _(
                    "Follow-ups done: %(count)s; last follow-up: %(last)s; next: "
                    "%(next)s (%(state)s).",
                    count=done.get(customer.id, 0),
                    last=format_date(self.env, customer.last_followup_date)
                    or _("never"),
                    next=format_date(self.env, customer.next_followup_date)
                    or _("not planned"),
                    state=states.get(customer.followup_state, ""),
                ),
                _(
                    "Stage: %(stage)s; tier: %(tier)s; last order: %(order)s; open "
                    "complaints: %(complaints)s.",
                    stage=stages.get(customer.lifecycle_stage, _("not computed yet")),
                    tier=customer.customer_tier_id.name or _("none"),
                    order=format_date(self.env, customer.last_order_date) or _("never"),
                    complaints=customer.open_complaint_count,
                ),
            ]
            if self.note:
                lines.append(self.note)
            summaries[customer.id] = Markup("<br/>").join(lines)
        return summaries
