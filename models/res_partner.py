# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Customer profile (kept on the commercial partner)
    customer_tier_id = fields.Many2one(
        "customer.tier",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        copy=False,
        help="Customer tier (客户等级) assigned by the profile refresh.",
    )
