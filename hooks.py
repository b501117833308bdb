# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tools.sql import column_exists, create_column

# Stored computed columns of res.partner. Created here, before the module's
# fields are set up, so that installing on a database with a million partners
# does not recompute them one by one: their value is empty for every existing
# partner (no tier, no follow-up yet), which is what NULL says.
PRECREATED_PARTNER_COLUMNS = (
    ("loyalty_quadrant", "varchar"),
    ("next_followup_date", "date"),
)


def pre_init_hook(env):
    for name, sql_type in PRECREATED_PARTNER_COLUMNS:
        if not column_exists(env.cr, "res_partner", name):
            create_column(env.cr, "res_partner", name, sql_type)


def post_init_hook(env):
    """Fill the profiles of the existing customers right after the install, in
    the background: the refresh cron runs in batches as soon as a cron worker
    is free, instead of one long ORM recompute inside the install."""
    env.ref("customer_relationship.ir_cron_refresh_profiles")._trigger()
