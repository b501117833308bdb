# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CustomerHoliday(models.Model):
    """A holiday on which opted-in customers get greetings (春节, 中秋...).

    One record per holiday and year: lunar holidays move every year.
    """

    _name = "customer.holiday"
    _description = "Greeting Holiday"
    _order = "date desc, id"

    name = fields.Char(required=True, translate=True)
    date = fields.Date(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty for a holiday of every company."
    )
