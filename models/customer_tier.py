# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from ..engine.complaint_steps import CLOSED_STEPS


class CustomerTier(models.Model):
    """A customer tier (客户等级): A, B, C... ordered by value.

    Tiers are assigned by the profile refresh, either by thresholds (minimum
    revenue and order count) or by Pareto shares of the window revenue. The tier
    also sets how often its customers are followed up and how much faster their
    complaints must be handled.
    """

    _name = "customer.tier"
    _description = "Customer Tier"
    _order = "sequence, id"

    # Description
    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Short stable code used by imports and integrations (A, B, C).",
    )
    sequence = fields.Integer(
        default=10, help="Lower sequence means a more valuable tier."
    )
    color = fields.Integer(string="Color Index")
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to share the tier between all companies.",
    )
    # Assignment (threshold mode)
    min_revenue = fields.Monetary(
        string="Minimum Revenue",
        currency_field="currency_id",
        help="Window revenue a customer needs to reach this tier in threshold mode.",
    )
    min_order_count = fields.Integer(
        string="Minimum Orders",
        help="Confirmed orders in the window a customer needs to reach this tier "
        "in threshold mode.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
    )
    is_high_value = fields.Boolean(
        string="High Value",
        help="Customers of a high-value tier count as high value in the value "
        "segments (golden and meteor) and as strong by default.",
    )
    # Service levels
    followup_interval_days = fields.Integer(
        string="Follow-up Cadence (days)",
        default=30,
        help="Days between two follow-ups of a customer of this tier, unless the "
        "customer has a cadence of its own.",
    )
    complaint_sla_factor = fields.Float(
        string="Complaint SLA Factor",
        default=1.0,
        help="Multiplies the complaint resolution time of the priority: 0.5 means "
        "this tier's complaints must be solved twice as fast.",
    )
    partner_count = fields.Integer(compute="_compute_partner_count")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A tier code must be unique per company.",
        ),
        (
            "followup_interval_days_positive",
            "CHECK(followup_interval_days > 0)",
            "The follow-up cadence must be at least one day.",
        ),
        (
            "complaint_sla_factor_positive",
            "CHECK(complaint_sla_factor > 0)",
            "The complaint SLA factor must be greater than zero.",
        ),
        (
            "min_revenue_positive",
            "CHECK(min_revenue >= 0)",
            "The minimum revenue of a tier cannot be negative.",
        ),
        (
            "min_order_count_positive",
            "CHECK(min_order_count >= 0)",
            "The minimum order count of a tier cannot be negative.",
        ),
    ]

    @api.depends_context("company")
    def _compute_currency_id(self):
        for tier in self:
            tier.currency_id = (tier.company_id or self.env.company).currency_id

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("customer_tier_id", "in", self.ids)],
                ["customer_tier_id"],
                ["__count"],
            )
        )
        for tier in self:
            tier.partner_count = counts.get(tier, 0)

    @api.model
    def _get_lowest_tier(self):
        """The least valuable active tier (highest sequence)."""
        return self.search([], order="sequence desc, id desc", limit=1)

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def write(self, vals):
        result = super().write(vals)
        if "followup_interval_days" in vals:
            # The next follow-ups planned from the tier's cadence follow it.
            self.env["res.partner"]._replan_followups(
                SQL("p.customer_tier_id = ANY(%s)", self.ids)
            )
        if "complaint_sla_factor" in vals:
            # sudo: the factor moves the SLA deadline of every open complaint
            self.env["customer.complaint"].sudo().search(
                [
                    ("partner_id.customer_tier_id", "in", self.ids),
                    ("step", "not in", CLOSED_STEPS),
                ]
            )._schedule_sla_checks()
        return result

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "contacts.action_contacts"
        )
        action["domain"] = [("customer_tier_id", "=", self.id)]
        # Setting a tier is the manager's: nobody else gets it as a default.
        if self.env.user.has_group("customer_relationship.group_manager"):
            action["context"] = {"default_customer_tier_id": self.id}
        return action
