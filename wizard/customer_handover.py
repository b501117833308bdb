# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


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
    partner_count = fields.Integer(compute="_compute_partner_count")
    move_activities = fields.Boolean(string="Open Activities", default=True)
    move_followers = fields.Boolean(string="Followers", default=True)
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

    @api.depends("partner_ids")
    def _compute_partner_count(self):
        for wizard in self:
            wizard.partner_count = len(wizard.partner_ids)

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
        # The customers and their contacts that the leaving salesperson held.
        partners = self.env["res.partner"].search(
            [
                ("commercial_partner_id", "in", customers.ids),
                "|",
                ("user_id", "=", self.from_user_id.id),
                ("id", "in", customers.ids),
            ]
        )
        summaries = self._followup_summaries(customers)
        partners.write({"user_id": self.to_user_id.id})
        if self.move_activities:
            self.env["mail.activity"].search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", partners.ids),
                    ("user_id", "=", self.from_user_id.id),
                ]
            ).with_context(mail_activity_quick_update=True).write(
                {"user_id": self.to_user_id.id}
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
                    "%(count)s customers handed over to %(user)s.",
                    count=len(customers),
                    user=self.to_user_id.name,
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
                    last=customer.last_followup_date or _("never"),
                    next=customer.next_followup_date or _("not planned"),
                    state=states.get(customer.followup_state, ""),
                ),
                _(
                    "Stage: %(stage)s; tier: %(tier)s; last order: %(order)s; open "
                    "complaints: %(complaints)s.",
                    stage=stages.get(customer.lifecycle_stage, _("not computed yet")),
                    tier=customer.customer_tier_id.name or _("none"),
                    order=customer.last_order_date or _("never"),
                    complaints=customer.open_complaint_count,
                ),
            ]
            if self.note:
                lines.append(self.note)
            summaries[customer.id] = Markup("<br/>").join(lines)
        return summaries
