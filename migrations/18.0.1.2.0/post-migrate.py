# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tools import SQL


def migrate(cr, version):
    """The passes finished before this version are done."""
    cr.execute(SQL("UPDATE customer_profile_refresh SET state = 'done' WHERE done"))
