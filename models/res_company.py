# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .customer_tier import COMPLAINT_PRIORITIES, DELIVERY_PRIORITIES
from .res_config_settings import PARAM_PREFIX, RELATIONSHIP_SETTINGS

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


class ResCompany(models.Model):
    _inherit = "res.company"

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
        """A relationship setting, typed, with the spec's default (see
        models/res_config_settings.py: global today, the same for every
        company)."""
        kind, default = RELATIONSHIP_SETTINGS[key]
        # sudo: the settings are read by every user's business rules
        raw = self.env["ir.config_parameter"].sudo().get_param(PARAM_PREFIX + key)
        if raw in (None, False, ""):
            return default
        try:
            return kind(raw)
        except ValueError:
            return default
