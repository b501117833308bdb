# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .res_partner import LIFECYCLE_STAGES


class CustomerLifecycleHistory(models.Model):
    """One row per lifecycle stage a customer went through ("became X on")."""

    _name = "customer.lifecycle.history"
    _description = "Customer Lifecycle History"
    _order = "date_start desc, id desc"
    _rec_name = "stage"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
    )
    stage = fields.Selection(LIFECYCLE_STAGES, required=True)
    date_start = fields.Date(string="Became", required=True)
    date_end = fields.Date(string="Left")
    duration_days = fields.Integer(
        string="Days in Stage", compute="_compute_duration_days"
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
        help="The company of the profile whose stage this is.",
    )
    user_id = fields.Many2one(
        related="partner_id.user_id", string="Salesperson", store=True
    )

    playbook_scheduled = fields.Boolean(
        readonly=True,
        copy=False,
        help="The lifecycle playbooks of this entry were scheduled: once per entry.",
    )

    def _compute_duration_days(self):
        today = fields.Date.context_today(self)
        for history in self:
            end = history.date_end or today
            history.duration_days = (end - history.date_start).days
