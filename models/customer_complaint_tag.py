# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from random import randint

from odoo import fields, models


class CustomerComplaintTag(models.Model):
    """A free label to triage complaints: "recall", "VIP", "press"..."""

    _name = "customer.complaint.tag"
    _description = "Complaint Tag"
    _order = "name, id"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer(string="Color Index", default=lambda self: randint(1, 11))
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the tag between all companies.",
    )

    _sql_constraints = [
        ("name_company_uniq", "unique (name, company_id)", "This tag already exists."),
    ]
