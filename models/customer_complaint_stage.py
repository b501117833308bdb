# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from ..engine.complaint_steps import STEPS


class CustomerComplaintStage(models.Model):
    """A stage of the complaint workflow (客户投诉处理六步法)."""

    _name = "customer.complaint.stage"
    _description = "Complaint Stage"
    _order = "sequence, id"

    # Description
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    step = fields.Selection(
        STEPS,
        required=True,
        default="listen",
        help="Step of the complaint method this stage stands for. It decides "
        "which facts a complaint needs before it may leave the stage.",
    )
    description = fields.Text(
        translate=True,
        help="What the handler does in this stage; shown on the complaint.",
    )
    fold = fields.Boolean(
        string="Folded in Kanban",
        help="Folded stages are collapsed in the kanban view.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the stage between all companies.",
    )
    # Communication
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", "customer.complaint")],
        help="Sent automatically to the customer when a complaint reaches this "
        "stage, e.g. the satisfaction survey when it is done.",
    )
