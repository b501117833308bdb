# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .customer_tier import COMPLAINT_PRIORITIES, DELIVERY_PRIORITIES
from .res_config_settings import (
    POSITIVE_SETTINGS,
    RELATIONSHIP_SETTINGS,
    SETTING_PREFIX,
)

# The company setting holding the resolution time of each complaint priority.
COMPLAINT_SLA_HOURS_FIELDS = {
    "0": "complaint_sla_hours_low",
    "1": "complaint_sla_hours_normal",
    "2": "complaint_sla_hours_high",
    "3": "complaint_sla_hours_urgent",
}

# Other complaint settings that count hours or days and cannot be negative.
COMPLAINT_HOURS_FIELDS = (
    "complaint_at_risk_hours",
    "complaint_first_response_hours",
    "complaint_escalation_delay_hours",
    "complaint_duplicate_days",
)


def _setting(key, field_class, *args, **kwargs):
    """The company field of a relationship setting, with the spec's default."""
    if field_class is not fields.Many2one:
        kwargs["default"] = RELATIONSHIP_SETTINGS[key][1]
    return field_class(*args, **kwargs)


class ResCompany(models.Model):
    _inherit = "res.company"

    # The relationship settings (RELATIONSHIP_SETTINGS), each company its own.
    # Customer profile
    relationship_revenue_window_months = _setting(
        "revenue_window_months",
        fields.Integer,
        string="Revenue Window (months)",
    )
    relationship_mature_order_count = _setting(
        "mature_order_count",
        fields.Integer,
        string="Orders to Be Mature",
    )
    relationship_loyal_score = _setting(
        "loyal_score",
        fields.Integer,
        string="Loyalty Score to Be Loyal",
    )
    relationship_dormant_days = _setting(
        "dormant_days",
        fields.Integer,
        string="Dormant After (days)",
    )
    relationship_dormant_permanent_factor = _setting(
        "dormant_permanent_factor",
        fields.Integer,
        string="Permanently Dormant After (x threshold)",
    )
    relationship_dormant_after_complaint_days = _setting(
        "dormant_after_complaint_days",
        fields.Integer,
        string="Permanently Dormant After a Complaint (days)",
    )
    # Tiers
    relationship_tier_mode = _setting(
        "tier_mode",
        fields.Selection,
        [("threshold", "Thresholds"), ("pareto", "Pareto")],
        string="Tier Assignment",
    )
    relationship_pareto_share_a = _setting(
        "pareto_share_a",
        fields.Integer,
        string="First Tier Share (%)",
    )
    relationship_pareto_share_b = _setting(
        "pareto_share_b",
        fields.Integer,
        string="Second Tier Share (%)",
    )
    relationship_pareto_share_c = _setting(
        "pareto_share_c",
        fields.Integer,
        string="Other Tiers Share (%)",
    )
    # Value segments
    relationship_steady_months = _setting(
        "steady_months",
        fields.Integer,
        string="Steady: Months with Orders",
    )
    relationship_steady_window_months = _setting(
        "steady_window_months",
        fields.Integer,
        string="Steady: Out of the Last (months)",
    )
    relationship_burden_complaint_count = _setting(
        "burden_complaint_count",
        fields.Integer,
        string="Burden: Complaints and Refunds",
    )
    relationship_burden_counts = _setting(
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
    relationship_rating_window_months = _setting(
        "rating_window_months",
        fields.Integer,
        string="Ratings Count in Loyalty (months)",
        help="The satisfaction ratings of complaints closed in these last months "
        "count in the loyalty score: a good rating adds, a bad one subtracts. "
        "0: the ratings do not count.",
    )
    relationship_luxury_cost_share = _setting(
        "luxury_cost_share",
        fields.Integer,
        string="Luxury: Cost above (% of revenue)",
        help="A partner or strategic alliance relationship whose cost in the "
        "revenue window (posted credit notes, refunds granted through "
        "complaints, the cost of each complaint handled) exceeds this share of "
        "its window revenue is flagged as a luxury. 0: only the lowest-tier "
        "rule flags it.",
    )
    relationship_luxury_complaint_cost = _setting(
        "luxury_complaint_cost",
        fields.Integer,
        string="Luxury: Cost per Complaint",
        help="What handling one complaint costs, in the company's currency.",
    )
    # Follow-up and reminders
    relationship_followup_due_days = _setting(
        "followup_due_days",
        fields.Integer,
        string="Follow-up Due (days ahead)",
    )
    relationship_greeting_lead_days = _setting(
        "greeting_lead_days",
        fields.Integer,
        string="Greetings (days ahead)",
    )
    relationship_prospect_lead_days = _setting(
        "prospect_lead_days",
        fields.Integer,
        string="Expected Purchase (days ahead)",
    )
    relationship_quote_reminder_days = _setting(
        "quote_reminder_days",
        fields.Integer,
        string="Quote Without Reply (days)",
    )
    relationship_followup_default_interval_days = _setting(
        "followup_default_interval_days",
        fields.Integer,
        string="Default Follow-up Cadence (days)",
        help="Days between follow-ups of customers that have neither a cadence of "
        "their own nor a tier, and of prospects.",
    )
    relationship_followup_daily_capacity = _setting(
        "followup_daily_capacity",
        fields.Integer,
        string="Follow-up Reminders per Salesperson",
        help="At most this many new follow-up, prospect, win-back and reorder "
        "reminders a day per salesperson, and never more than this many open: "
        "each run of the reminders tops them up, best tiers and most overdue "
        "first, and the other customers wait in the follow-up queue. Greetings "
        "and complaint activities are apart.",
    )
    relationship_reminder_user_id = _setting(
        "reminder_user_id",
        fields.Many2one,
        "res.users",
        string="Reminders Fallback User",
        domain=[("share", "=", False)],
        help="Gets the reminders of customers without salesperson nor sales team "
        "leader.",
    )
    # Blacklist
    relationship_blacklist_mode = _setting(
        "blacklist_mode",
        fields.Selection,
        [("block", "Block the order"), ("warn", "Warn on the order")],
        string="Orders of Blacklisted Customers",
    )

    # Key relationships (partner and strategic alliance levels)
    key_relationship_complaint_team_id = fields.Many2one(
        "customer.complaint.team",
        string="Key Relationships Complaint Team",
        help="The complaints of partner and strategic alliance customers go to "
        "this team first (the escalation team). Empty: as any complaint.",
    )
    key_relationship_complaint_priority = fields.Selection(
        COMPLAINT_PRIORITIES,
        string="Key Relationships Complaint Priority at Least",
        default="2",
        help="A complaint of a partner or strategic alliance customer gets at "
        "least this priority when it is recorded.",
    )
    key_relationship_delivery_priority = fields.Selection(
        DELIVERY_PRIORITIES,
        string="Key Relationships Delivery Priority",
        default="1",
        help="The delivery priority of the new orders of partner and strategic "
        "alliance customers.",
    )

    # Complaints
    complaint_refund_approval_limit = fields.Monetary(
        string="Refund Approval Limit",
        currency_field="currency_id",
        default=1000.0,
        help="A refund above this amount needs a manager's approval before it "
        "is proposed to the customer.",
    )
    complaint_sla_hours_low = fields.Integer(
        string="Low Priority Resolution Time (hours)",
        default=120,
        help="Hours to solve a low priority complaint, before the tier's factor. "
        "0 means no deadline.",
    )
    complaint_sla_hours_normal = fields.Integer(
        string="Normal Priority Resolution Time (hours)",
        default=72,
        help="Hours to solve a normal priority complaint, before the tier's "
        "factor. 0 means no deadline.",
    )
    complaint_sla_hours_high = fields.Integer(
        string="High Priority Resolution Time (hours)",
        default=24,
        help="Hours to solve a high priority complaint, before the tier's factor. "
        "0 means no deadline.",
    )
    complaint_sla_hours_urgent = fields.Integer(
        string="Urgent Priority Resolution Time (hours)",
        default=8,
        help="Hours to solve an urgent complaint, before the tier's factor. 0 "
        "means no deadline.",
    )
    complaint_escalation_user_id = fields.Many2one(
        "res.users",
        string="Complaint Escalation Manager",
        domain=[("share", "=", False)],
        help="Receives the escalation of complaints past their deadline. Empty: "
        "the sales team leader of the salesperson when they are a Customer "
        "Relationship manager, else the first such manager of the company.",
    )
    complaint_at_risk_hours = fields.Integer(
        string="Complaint At Risk (hours)",
        default=24,
        help="An open complaint whose deadline is this close is shown at risk "
        "on its team's card.",
    )
    complaint_first_response_hours = fields.Integer(
        string="First Response Time (working hours)",
        default=4,
        help="Working hours to apologise to and thank the customer (step 2), "
        "before the tier's factor. 0 means no first-response target.",
    )
    complaint_escalation_delay_hours = fields.Integer(
        string="Second Escalation After (working hours)",
        default=24,
        help="A complaint still open this long after its deadline escalates "
        "again, to the Customer Relationship managers.",
    )
    complaint_duplicate_days = fields.Integer(
        string="Duplicate Complaint Window (days)",
        default=7,
        help="A new complaint of the same customer about the same order or "
        "product within these days is flagged as a possible duplicate. 0 "
        "turns the check off.",
    )
    complaint_repeat_min_count = fields.Integer(
        string="Repeat Complainer Threshold",
        default=2,
        help="Complaints over the last 12 months from which a large customer "
        "counts as a repeat complainer.",
    )
    complaint_repeat_tier_ids = fields.Many2many(
        "customer.tier",
        "res_company_complaint_repeat_tier_rel",
        "company_id",
        "tier_id",
        string="Large Customer Tiers",
        default=lambda self: self.env["customer.tier"].search([], limit=2),
        help="Tiers whose customers are watched for repeat complaints. Empty: "
        "every tier.",
    )

    @api.constrains(
        "complaint_refund_approval_limit",
        *COMPLAINT_SLA_HOURS_FIELDS.values(),
        *COMPLAINT_HOURS_FIELDS,
    )
    def _check_complaint_settings(self):
        for company in self:
            if company.complaint_refund_approval_limit < 0:
                raise ValidationError(
                    self.env._(
                        "The refund approval limit for complaints cannot be negative."
                    )
                )
            for fname in (
                *COMPLAINT_SLA_HOURS_FIELDS.values(),
                *COMPLAINT_HOURS_FIELDS,
            ):
                if company[fname] < 0:
                    raise ValidationError(
                        self.env._(
                            "The setting “%(setting)s” cannot be negative.",
                            setting=self._fields[fname]._description_string(self.env),
                        )
                    )

    @api.constrains("complaint_repeat_min_count")
    def _check_complaint_repeat_min_count(self):
        if any(company.complaint_repeat_min_count < 1 for company in self):
            raise ValidationError(
                self.env._(
                    "The repeat complainer threshold must be at least one complaint."
                )
            )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _relationship_today(self):
        """Today in the company's time zone (its address's, else the user's,
        else UTC): the day boundary of the follow-ups and reminders."""
        company = self[:1] or self.env.company
        return fields.Date.context_today(
            company.with_context(tz=company._relationship_tz())
        )

    def _relationship_tz(self):
        """The name of the time zone of the company's relationship days."""
        company = self[:1] or self.env.company
        # sudo: the company's address, whoever asks for the day
        return company.sudo().partner_id.tz or self.env.user.tz or "UTC"

    def _relationship_day_start(self, day):
        """The UTC time (naive, as stored) the company's day ``day`` began."""
        tz = pytz.timezone(self._relationship_tz())
        start = tz.localize(datetime.combine(day, time.min))
        return start.astimezone(pytz.utc).replace(tzinfo=None)

    def _relationship_setting(self, key):
        """A relationship setting of the company (the current company for an
        empty recordset): an id for the users, 0 for none."""
        company = self[:1] or self.env.company
        # sudo: the settings are read by every user's business rules
        value = company.sudo()[SETTING_PREFIX + key]
        if isinstance(value, models.BaseModel):
            return value.id or 0
        return value

    @api.constrains(*(SETTING_PREFIX + key for key in RELATIONSHIP_SETTINGS))
    def _check_relationship_settings(self):
        for company in self:
            company._validate_relationship_settings()

    def _validate_relationship_settings(self):
        self.ensure_one()

        def label(key):
            return self._fields[SETTING_PREFIX + key].get_description(self.env)[
                "string"
            ]

        get = self._relationship_setting
        numbers = [
            key
            for key in RELATIONSHIP_SETTINGS
            if self._fields[SETTING_PREFIX + key].type == "integer"
        ]
        negative = [label(key) for key in numbers if get(key) < 0]
        if negative:
            raise ValidationError(
                self.env._(
                    "These settings cannot be negative: %(settings)s.",
                    settings=", ".join(negative),
                )
            )
        for key in POSITIVE_SETTINGS:
            if get(key) < 1:
                raise ValidationError(
                    self.env._("%(setting)s must be at least 1.", setting=label(key))
                )
        if get("loyal_score") > 100:
            raise ValidationError(
                self.env._("The loyalty score to be loyal is at most 100.")
            )
        if get("steady_months") > get("steady_window_months"):
            raise ValidationError(
                self.env._(
                    "A customer cannot order in more months (%(months)s) than the "
                    "steadiness window has (%(window)s).",
                    months=get("steady_months"),
                    window=get("steady_window_months"),
                )
            )
        shares = get("pareto_share_a") + get("pareto_share_b") + get("pareto_share_c")
        if shares != 100:
            raise ValidationError(
                self.env._(
                    "The Pareto shares of the tiers must add up to 100 %% (now "
                    "%(total)s %%).",
                    total=shares,
                )
            )

    def write(self, vals):
        cadence_field = SETTING_PREFIX + "followup_default_interval_days"
        cadences = (
            {company.id: company[cadence_field] for company in self}
            if cadence_field in vals
            else {}
        )
        result = super().write(vals)
        changed = self.filtered(
            lambda company: (
                company.id in cadences
                and company[cadence_field] != cadences[company.id]
            )
        )
        for company in changed:
            # The next follow-ups planned from the default cadence follow it.
            self.env.flush_all()
            Partner = self.env["res.partner"].with_company(company)
            Partner._replan_followups(
                SQL(
                    "%s IS NULL AND COALESCE(%s, 0) = 0 "
                    "AND (p.company_id IS NULL OR p.company_id = %s)",
                    Partner._company_value_sql(SQL("p"), "customer_tier_id"),
                    Partner._company_value_sql(
                        SQL("p"), "custom_followup_interval_days"
                    ),
                    company.id,
                )
            )
        return result
