# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tools import SQL


def migrate(cr, version):
    """One profile refresh pass per day (a unique date from this version on):
    keep the most advanced pass of each day, drop the others."""
    cr.execute(
        SQL(
            """DELETE FROM customer_profile_refresh r
                USING (SELECT id, row_number() OVER (
                              PARTITION BY date
                              ORDER BY done DESC, processed DESC, id DESC) AS rank
                         FROM customer_profile_refresh) ranked
                WHERE ranked.id = r.id AND ranked.rank > 1"""
        )
    )
