# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

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
