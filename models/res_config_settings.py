# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

PARAM_PREFIX = "customer_relationship."
# Every default of the spec, as (type, default). Stored as system parameters
# "customer_relationship.<key>" and edited on the settings page (cr_<key>).
RELATIONSHIP_PARAMS = {
    "revenue_window_months": (int, 12),
    "mature_order_count": (int, 10),
    "loyal_score": (int, 70),
    "dormant_days": (int, 180),
    "dormant_permanent_factor": (int, 3),
    "dormant_after_complaint_days": (int, 365),
    "tier_mode": (str, "pareto"),
    "pareto_share_a": (int, 80),
    "pareto_share_b": (int, 15),
    "pareto_share_c": (int, 5),
    "steady_months": (int, 4),
    "steady_window_months": (int, 12),
    "burden_complaint_count": (int, 3),
    "followup_due_days": (int, 3),
    "greeting_lead_days": (int, 3),
    "prospect_lead_days": (int, 7),
    "quote_reminder_days": (int, 7),
    "blacklist_mode": (str, "block"),
    "reminder_user_id": (int, 0),
}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Customer profile
    cr_revenue_window_months = fields.Integer(
        string="Revenue Window (months)",
        config_parameter=PARAM_PREFIX + "revenue_window_months",
        default=12,
    )
    cr_mature_order_count = fields.Integer(
        string="Orders to Be Mature",
        config_parameter=PARAM_PREFIX + "mature_order_count",
        default=10,
    )
    cr_loyal_score = fields.Integer(
        string="Loyalty Score to Be Loyal",
        config_parameter=PARAM_PREFIX + "loyal_score",
        default=70,
    )
    cr_dormant_days = fields.Integer(
        string="Dormant After (days)",
        config_parameter=PARAM_PREFIX + "dormant_days",
        default=180,
    )
    cr_dormant_permanent_factor = fields.Integer(
        string="Permanently Dormant After (x threshold)",
        config_parameter=PARAM_PREFIX + "dormant_permanent_factor",
        default=3,
    )
    cr_dormant_after_complaint_days = fields.Integer(
        string="Permanently Dormant After a Complaint (days)",
        config_parameter=PARAM_PREFIX + "dormant_after_complaint_days",
        default=365,
    )
    # Tiers
    cr_tier_mode = fields.Selection(
        [("threshold", "Thresholds"), ("pareto", "Pareto")],
        string="Tier Assignment",
        config_parameter=PARAM_PREFIX + "tier_mode",
        default="pareto",
    )
    cr_pareto_share_a = fields.Integer(
        string="First Tier Share (%)",
        config_parameter=PARAM_PREFIX + "pareto_share_a",
        default=80,
    )
    cr_pareto_share_b = fields.Integer(
        string="Second Tier Share (%)",
        config_parameter=PARAM_PREFIX + "pareto_share_b",
        default=15,
    )
    cr_pareto_share_c = fields.Integer(
        string="Other Tiers Share (%)",
        config_parameter=PARAM_PREFIX + "pareto_share_c",
        default=5,
    )
    # Value segments
    cr_steady_months = fields.Integer(
        string="Steady: Months with Orders",
        config_parameter=PARAM_PREFIX + "steady_months",
        default=4,
    )
    cr_steady_window_months = fields.Integer(
        string="Steady: Out of the Last (months)",
        config_parameter=PARAM_PREFIX + "steady_window_months",
        default=12,
    )
    cr_burden_complaint_count = fields.Integer(
        string="Burden: Complaints and Refunds",
        config_parameter=PARAM_PREFIX + "burden_complaint_count",
        default=3,
    )
    # Follow-up and reminders
    cr_followup_due_days = fields.Integer(
        string="Follow-up Due (days ahead)",
        config_parameter=PARAM_PREFIX + "followup_due_days",
        default=3,
    )
    cr_greeting_lead_days = fields.Integer(
        string="Greetings (days ahead)",
        config_parameter=PARAM_PREFIX + "greeting_lead_days",
        default=3,
    )
    cr_prospect_lead_days = fields.Integer(
        string="Expected Purchase (days ahead)",
        config_parameter=PARAM_PREFIX + "prospect_lead_days",
        default=7,
    )
    cr_quote_reminder_days = fields.Integer(
        string="Quote Without Reply (days)",
        config_parameter=PARAM_PREFIX + "quote_reminder_days",
        default=7,
    )
    cr_reminder_user_id = fields.Many2one(
        "res.users",
        string="Reminders Fallback User",
        config_parameter=PARAM_PREFIX + "reminder_user_id",
        domain=[("share", "=", False)],
        help="Gets the reminders of customers without salesperson nor sales team "
        "leader.",
    )
    # Blacklist
    cr_blacklist_mode = fields.Selection(
        [("block", "Block the order"), ("warn", "Warn on the order")],
        string="Orders of Blacklisted Customers",
        config_parameter=PARAM_PREFIX + "blacklist_mode",
        default="block",
    )

    # Complaints
    complaint_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Complaint Currency"
    )
    complaint_refund_approval_limit = fields.Monetary(
        related="company_id.complaint_refund_approval_limit",
        currency_field="complaint_currency_id",
        readonly=False,
    )
    complaint_sla_hours_low = fields.Integer(
        related="company_id.complaint_sla_hours_low", readonly=False
    )
    complaint_sla_hours_normal = fields.Integer(
        related="company_id.complaint_sla_hours_normal", readonly=False
    )
    complaint_sla_hours_high = fields.Integer(
        related="company_id.complaint_sla_hours_high", readonly=False
    )
    complaint_sla_hours_urgent = fields.Integer(
        related="company_id.complaint_sla_hours_urgent", readonly=False
    )
    complaint_escalation_user_id = fields.Many2one(
        related="company_id.complaint_escalation_user_id", readonly=False
    )
    complaint_repeat_min_count = fields.Integer(
        related="company_id.complaint_repeat_min_count", readonly=False
    )
    complaint_repeat_tier_ids = fields.Many2many(
        related="company_id.complaint_repeat_tier_ids", readonly=False
    )

    @api.constrains(*("cr_" + key for key in RELATIONSHIP_PARAMS))
    def _check_relationship_settings(self):
        for settings in self:
            settings._validate_relationship_settings()

    def _validate_relationship_settings(self):
        self.ensure_one()
        numbers = [
            name
            for name, field in self._fields.items()
            if name.startswith("cr_") and field.type == "integer"
        ]
        negative = [
            self._fields[name].get_description(self.env)["string"]
            for name in numbers
            if self[name] < 0
        ]
        if negative:
            raise ValidationError(
                self.env._(
                    "These settings cannot be negative: %(settings)s.",
                    settings=", ".join(negative),
                )
            )
        for name in (
            "cr_revenue_window_months",
            "cr_mature_order_count",
            "cr_dormant_days",
            "cr_dormant_permanent_factor",
            "cr_steady_window_months",
        ):
            if self[name] < 1:
                raise ValidationError(
                    self.env._(
                        "%(setting)s must be at least 1.",
                        setting=self._fields[name].get_description(self.env)["string"],
                    )
                )
        if self.cr_loyal_score > 100:
            raise ValidationError(
                self.env._("The loyalty score to be loyal is at most 100.")
            )
        if self.cr_steady_months > self.cr_steady_window_months:
            raise ValidationError(
                self.env._(
                    "A customer cannot order in more months (%(months)s) than the "
                    "steadiness window has (%(window)s).",
                    months=self.cr_steady_months,
                    window=self.cr_steady_window_months,
                )
            )
        shares = (
            self.cr_pareto_share_a + self.cr_pareto_share_b + self.cr_pareto_share_c
        )
        if shares != 100:
            raise ValidationError(
                self.env._(
                    "The Pareto shares of the tiers must add up to 100 %% (now "
                    "%(total)s %%).",
                    total=shares,
                )
            )

    @api.model
    def _cr_get(self, key):
        """A relationship setting, typed, with the spec's default."""
        kind, default = RELATIONSHIP_PARAMS[key]
        # sudo: the settings are system parameters; every user's flows read them
        raw = self.env["ir.config_parameter"].sudo().get_param(PARAM_PREFIX + key)
        if raw in (None, False, ""):
            return default
        try:
            return kind(raw)
        except ValueError:
            return default
