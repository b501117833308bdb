# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Where the addon's settings live, and their defaults (each defined here once).

* Global (one value for the whole database): the relationship settings of
  RELATIONSHIP_SETTINGS, stored as system parameters
  ``customer_relationship.<key>``, read with ``res.company._relationship_setting``
  and edited on the settings page as the field of the same name.
* Per company: the complaint settings (refund approval limit, SLA hours per
  priority, escalation manager, repeat complainers), fields of ``res.company``
  (models/res_company.py) shown here as related fields.

The fields are those of ``customer.relationship.settings.mixin``, shared by the
Settings page (``res.config.settings``, system administrators) and the
relationship managers' page (``customer.relationship.settings``,
models/customer_relationship_settings.py).
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

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
    "rating_window_months": (int, 12),
    "luxury_cost_share": (int, 50),
    "luxury_complaint_cost": (int, 200),
    "followup_due_days": (int, 3),
    "greeting_lead_days": (int, 3),
    "prospect_lead_days": (int, 7),
    "quote_reminder_days": (int, 7),
    "followup_default_interval_days": (int, 30),
    "followup_daily_capacity": (int, 20),
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
    "followup_default_interval_days",
)


def _setting(key, field_class, *args, **kwargs):
    """The settings-page field of a relationship setting, with its default
    (read and written by ``_get_relationship_settings`` and
    ``_set_relationship_settings``)."""
    default = RELATIONSHIP_SETTINGS[key][1]
    if field_class is not fields.Many2one:
        kwargs["default"] = default
    return field_class(*args, **kwargs)


class CustomerRelationshipSettingsMixin(models.AbstractModel):
    _name = "customer.relationship.settings.mixin"
    _description = "Customer Relationship Settings Fields"

    # As on the Settings page: the company whose complaint settings are shown.
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
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
    # Loyalty from the ratings, luxury by cost
    rating_window_months = _setting(
        "rating_window_months",
        fields.Integer,
        string="Ratings Count in Loyalty (months)",
        help="The satisfaction ratings of complaints closed in these last months "
        "count in the loyalty score: a good rating adds, a bad one subtracts. "
        "0: the ratings do not count.",
    )
    luxury_cost_share = _setting(
        "luxury_cost_share",
        fields.Integer,
        string="Luxury: Cost above (% of revenue)",
        help="A partner or strategic alliance relationship whose cost in the "
        "revenue window (posted credit notes, refunds granted through "
        "complaints, the cost of each complaint handled) exceeds this share of "
        "its window revenue is flagged as a luxury. 0: only the lowest-tier "
        "rule flags it.",
    )
    luxury_complaint_cost = _setting(
        "luxury_complaint_cost",
        fields.Integer,
        string="Luxury: Cost per Complaint",
        help="What handling one complaint costs, in the main company's currency.",
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
    followup_default_interval_days = _setting(
        "followup_default_interval_days",
        fields.Integer,
        string="Default Follow-up Cadence (days)",
        help="Days between follow-ups of customers that have neither a cadence of "
        "their own nor a tier, and of prospects.",
    )
    followup_daily_capacity = _setting(
        "followup_daily_capacity",
        fields.Integer,
        string="Follow-up Reminders per Salesperson",
        help="At most this many new follow-up, prospect, win-back and reorder "
        "reminders a day per salesperson, and never more than this many open: "
        "each run of the reminders tops them up, best tiers and most overdue "
        "first, and the other customers wait in the follow-up queue. Greetings "
        "and complaint activities are apart.",
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
    key_relationship_complaint_team_id = fields.Many2one(
        related="company_id.key_relationship_complaint_team_id", readonly=False
    )
    key_relationship_complaint_priority = fields.Selection(
        related="company_id.key_relationship_complaint_priority", readonly=False
    )
    key_relationship_delivery_priority = fields.Selection(
        related="company_id.key_relationship_delivery_priority", readonly=False
    )

    def _get_relationship_settings(self):
        """{field name: value} of the stored relationship settings."""
        company = self.env.company
        values = {
            key: company._relationship_setting(key) for key in RELATIONSHIP_SETTINGS
        }
        for key in RELATIONSHIP_SETTINGS:
            field = self._fields[key]
            if field.type == "many2one":
                # a deleted record is no value, not a broken settings page
                values[key] = (
                    self.env[field.comodel_name].browse(values[key]).exists().id
                )
        return values

    def _set_relationship_settings(self):
        """Store the relationship settings of ``self``: the one writer of the
        parameters (0 is stored as 0, not as "the default")."""
        self.ensure_one()
        cadence = self.env.company._relationship_setting(
            "followup_default_interval_days"
        )
        # sudo: system parameters; the callers checked who saves the settings
        params = self.env["ir.config_parameter"].sudo()
        for key in RELATIONSHIP_SETTINGS:
            value = self[key]
            if self._fields[key].type == "many2one":
                value = value.id
            value = False if value is False or value is None else str(value)
            if params.get_param(PARAM_PREFIX + key) != value:
                params.set_param(PARAM_PREFIX + key, value)
        if self.followup_default_interval_days != cadence:
            # The next follow-ups planned from the default cadence follow it.
            self.env["res.partner"]._replan_followups(
                SQL(
                    "p.customer_tier_id IS NULL "
                    "AND COALESCE(p.custom_followup_interval_days, 0) = 0"
                )
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

    def action_refresh_profiles_now(self):
        """Save these settings and re-run today's profile refresh with them."""
        self.execute()
        return self.env["customer.profile.refresh"].action_refresh_now()


class ResConfigSettings(models.TransientModel):
    _name = "res.config.settings"
    _inherit = ["res.config.settings", "customer.relationship.settings.mixin"]

    @api.model
    def get_values(self):
        values = super().get_values()
        values.update(self._get_relationship_settings())
        return values

    def set_values(self):
        result = super().set_values()
        self._set_relationship_settings()
        return result
