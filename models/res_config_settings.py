# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Where the addon's settings live, and their defaults (each defined here once).

* Global (one value for the whole database): the relationship settings of
  RELATIONSHIP_SETTINGS, stored as system parameters
  ``customer_relationship.<key>``, read with ``res.company._relationship_setting``
  and edited on the settings page as the field of the same name.
* Per company: the complaint settings (refund approval limit, SLA hours per
  priority, escalation manager, repeat complainers), fields of ``res.company``
  (models/res_company.py) shown here as related fields.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

PARAM_PREFIX = "customer_relationship."
# Every relationship default of the spec: key -> (type, default).
RELATIONSHIP_SETTINGS = {
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
    "burden_counts": (str, "costly"),
    "followup_due_days": (int, 3),
    "greeting_lead_days": (int, 3),
    "prospect_lead_days": (int, 7),
    "quote_reminder_days": (int, 7),
    "blacklist_mode": (str, "block"),
    "reminder_user_id": (int, 0),
}
# Settings that must be at least 1 (the others at least 0).
POSITIVE_SETTINGS = (
    "revenue_window_months",
    "mature_order_count",
    "dormant_days",
    "dormant_permanent_factor",
    "steady_window_months",
)


def _setting(key, field_class, *args, **kwargs):
    """The settings-page field of a relationship setting, with its default."""
    default = RELATIONSHIP_SETTINGS[key][1]
    if field_class is not fields.Many2one:
        kwargs["default"] = default
    return field_class(*args, config_parameter=PARAM_PREFIX + key, **kwargs)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Customer profile
    revenue_window_months = _setting(
        "revenue_window_months",
        fields.Integer,
        string="Revenue Window (months)",
    )
    mature_order_count = _setting(
        "mature_order_count",
        fields.Integer,
        string="Orders to Be Mature",
    )
    loyal_score = _setting(
        "loyal_score",
        fields.Integer,
        string="Loyalty Score to Be Loyal",
    )
    dormant_days = _setting(
        "dormant_days",
        fields.Integer,
        string="Dormant After (days)",
    )
    dormant_permanent_factor = _setting(
        "dormant_permanent_factor",
        fields.Integer,
        string="Permanently Dormant After (x threshold)",
    )
    dormant_after_complaint_days = _setting(
        "dormant_after_complaint_days",
        fields.Integer,
        string="Permanently Dormant After a Complaint (days)",
    )
    # Tiers
    tier_mode = _setting(
        "tier_mode",
        fields.Selection,
        [("threshold", "Thresholds"), ("pareto", "Pareto")],
        string="Tier Assignment",
    )
    pareto_share_a = _setting(
        "pareto_share_a",
        fields.Integer,
        string="First Tier Share (%)",
    )
    pareto_share_b = _setting(
        "pareto_share_b",
        fields.Integer,
        string="Second Tier Share (%)",
    )
    pareto_share_c = _setting(
        "pareto_share_c",
        fields.Integer,
        string="Other Tiers Share (%)",
    )
    # Value segments
    steady_months = _setting(
        "steady_months",
        fields.Integer,
        string="Steady: Months with Orders",
    )
    steady_window_months = _setting(
        "steady_window_months",
        fields.Integer,
        string="Steady: Out of the Last (months)",
    )
    burden_complaint_count = _setting(
        "burden_complaint_count",
        fields.Integer,
        string="Burden: Complaints and Refunds",
    )
    burden_counts = _setting(
        "burden_counts",
        fields.Selection,
        [
            ("costly", "Costly complaints only"),
            ("every", "Every complaint"),
        ],
        string="Burden: Complaints Counted",
        help="Costly complaints only: refunds paid (posted credit notes) and "
        "complaints judged unreasonable, so that a demanding customer who "
        "complains with reason is never called a burden. Every complaint: each "
        "complaint received counts.",
    )
    # Follow-up and reminders
    followup_due_days = _setting(
        "followup_due_days",
        fields.Integer,
        string="Follow-up Due (days ahead)",
    )
    greeting_lead_days = _setting(
        "greeting_lead_days",
        fields.Integer,
        string="Greetings (days ahead)",
    )
    prospect_lead_days = _setting(
        "prospect_lead_days",
        fields.Integer,
        string="Expected Purchase (days ahead)",
    )
    quote_reminder_days = _setting(
        "quote_reminder_days",
        fields.Integer,
        string="Quote Without Reply (days)",
    )
    reminder_user_id = _setting(
        "reminder_user_id",
        fields.Many2one,
        "res.users",
        string="Reminders Fallback User",
        domain=[("share", "=", False)],
        help="Gets the reminders of customers without salesperson nor sales team "
        "leader.",
    )
    # Blacklist
    blacklist_mode = _setting(
        "blacklist_mode",
        fields.Selection,
        [("block", "Block the order"), ("warn", "Warn on the order")],
        string="Orders of Blacklisted Customers",
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
    complaint_at_risk_hours = fields.Integer(
        related="company_id.complaint_at_risk_hours", readonly=False
    )
    complaint_first_response_hours = fields.Integer(
        related="company_id.complaint_first_response_hours", readonly=False
    )
    complaint_escalation_delay_hours = fields.Integer(
        related="company_id.complaint_escalation_delay_hours", readonly=False
    )
    complaint_duplicate_days = fields.Integer(
        related="company_id.complaint_duplicate_days", readonly=False
    )
    complaint_repeat_min_count = fields.Integer(
        related="company_id.complaint_repeat_min_count", readonly=False
    )
    complaint_repeat_tier_ids = fields.Many2many(
        related="company_id.complaint_repeat_tier_ids", readonly=False
    )

    @api.constrains(*RELATIONSHIP_SETTINGS)
    def _check_relationship_settings(self):
        for settings in self:
            settings._validate_relationship_settings()

    def _validate_relationship_settings(self):
        self.ensure_one()
        numbers = [
            name
            for name in RELATIONSHIP_SETTINGS
            if self._fields[name].type == "integer"
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
        for name in POSITIVE_SETTINGS:
            if self[name] < 1:
                raise ValidationError(
                    self.env._(
                        "%(setting)s must be at least 1.",
                        setting=self._fields[name].get_description(self.env)["string"],
                    )
                )
        if self.loyal_score > 100:
            raise ValidationError(
                self.env._("The loyalty score to be loyal is at most 100.")
            )
        if self.steady_months > self.steady_window_months:
            raise ValidationError(
                self.env._(
                    "A customer cannot order in more months (%(months)s) than the "
                    "steadiness window has (%(window)s).",
                    months=self.steady_months,
                    window=self.steady_window_months,
                )
            )
        shares = self.pareto_share_a + self.pareto_share_b + self.pareto_share_c
        if shares != 100:
            raise ValidationError(
                self.env._(
                    "The Pareto shares of the tiers must add up to 100 %% (now "
                    "%(total)s %%).",
                    total=shares,
                )
            )
