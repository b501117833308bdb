# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Where the addon's settings live, and their defaults (each defined here once).

Every setting is the company's: a group of companies (集团) runs each company
its own way.

* The relationship settings of RELATIONSHIP_SETTINGS are the fields
  ``res.company.relationship_<key>`` (models/res_company.py), read with
  ``res.company._relationship_setting(key)`` and edited on the settings page
  as the field ``<key>``, for the current company.
* The complaint settings (refund approval limit, SLA hours per priority,
  escalation manager, repeat complainers) are fields of ``res.company`` too,
  shown here as related fields.

The fields are those of ``customer.relationship.settings.mixin``, shared by the
Settings page (``res.config.settings``, system administrators) and the
relationship managers' page (``customer.relationship.settings``,
models/customer_relationship_settings.py).
"""

from odoo import api, fields, models

# The system parameters of the addon's bookkeeping (and, before 18.0.1.4.0,
# of the relationship settings).
PARAM_PREFIX = "customer_relationship."
# The company field of each relationship setting: SETTING_PREFIX + key.
SETTING_PREFIX = "relationship_"
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


def _related(key, field_class):
    """The settings-page field of a relationship setting: the current
    company's (``res.company.relationship_<key>``)."""
    return field_class(related=f"company_id.{SETTING_PREFIX}{key}", readonly=False)


class CustomerRelationshipSettingsMixin(models.AbstractModel):
    _name = "customer.relationship.settings.mixin"
    _description = "Customer Relationship Settings Fields"

    # As on the Settings page: the company whose complaint settings are shown.
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    # Customer profile
    revenue_window_months = _related("revenue_window_months", fields.Integer)
    mature_order_count = _related("mature_order_count", fields.Integer)
    loyal_score = _related("loyal_score", fields.Integer)
    dormant_days = _related("dormant_days", fields.Integer)
    dormant_permanent_factor = _related("dormant_permanent_factor", fields.Integer)
    dormant_after_complaint_days = _related(
        "dormant_after_complaint_days", fields.Integer
    )
    # Tiers
    tier_mode = _related("tier_mode", fields.Selection)
    pareto_share_a = _related("pareto_share_a", fields.Integer)
    pareto_share_b = _related("pareto_share_b", fields.Integer)
    pareto_share_c = _related("pareto_share_c", fields.Integer)
    # Value segments
    steady_months = _related("steady_months", fields.Integer)
    steady_window_months = _related("steady_window_months", fields.Integer)
    burden_complaint_count = _related("burden_complaint_count", fields.Integer)
    burden_counts = _related("burden_counts", fields.Selection)
    # Loyalty from the ratings, luxury by cost
    rating_window_months = _related("rating_window_months", fields.Integer)
    luxury_cost_share = _related("luxury_cost_share", fields.Integer)
    luxury_complaint_cost = _related("luxury_complaint_cost", fields.Integer)
    # Follow-up and reminders
    followup_due_days = _related("followup_due_days", fields.Integer)
    greeting_lead_days = _related("greeting_lead_days", fields.Integer)
    prospect_lead_days = _related("prospect_lead_days", fields.Integer)
    quote_reminder_days = _related("quote_reminder_days", fields.Integer)
    followup_default_interval_days = _related(
        "followup_default_interval_days", fields.Integer
    )
    followup_daily_capacity = _related("followup_daily_capacity", fields.Integer)
    reminder_user_id = _related("reminder_user_id", fields.Many2one)
    # Blacklist
    blacklist_mode = _related("blacklist_mode", fields.Selection)

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

    @api.model
    def _pop_relationship_settings(self, vals_list):
        """Take the relationship settings out of ``vals_list``: they are
        written on the company in one write (``_write_relationship_settings``),
        so that the checks across settings (the Pareto shares add up to 100)
        see them all at once, not one related field after the other."""
        return [
            {
                SETTING_PREFIX + key: vals.pop(key)
                for key in list(vals)
                if key in RELATIONSHIP_SETTINGS
            }
            for vals in vals_list
        ]

    def _write_relationship_settings(self, settings_list):
        for record, values in zip(self, settings_list, strict=True):
            company = record.company_id
            changed = {
                fname: value
                for fname, value in values.items()
                if company._fields[fname].convert_to_write(company[fname], company)
                != value
            }
            if changed:
                company.write(changed)

    def action_refresh_profiles_now(self):
        """Save these settings and re-run today's profile refresh with them."""
        self.execute()
        return self.env["customer.profile.refresh"].action_refresh_now()


class ResConfigSettings(models.TransientModel):
    _name = "res.config.settings"
    _inherit = ["res.config.settings", "customer.relationship.settings.mixin"]

    @api.model_create_multi
    def create(self, vals_list):
        settings_list = self._pop_relationship_settings(vals_list)
        records = super().create(vals_list)
        records._write_relationship_settings(settings_list)
        return records
