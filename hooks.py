# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

from .models.res_config_settings import PARAM_PREFIX
from .models.sale_order import PROFILE_ORDER_INDEX

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


def uninstall_hook(env):
    """Remove what Odoo does not remove with the module's records and fields.

    The reminders and escalations are activities of the module's activity
    types, which cannot be deleted while activities use them; their chatter
    messages stay. The settings are system parameters without external id.
    """
    activity_types = (
        env["ir.model.data"]
        .sudo()
        .search(
            [
                ("module", "=", "customer_relationship"),
                ("model", "=", "mail.activity.type"),
            ]
        )
        .mapped("res_id")
    )
    env["mail.activity"].sudo().with_context(active_test=False).search(
        [("activity_type_id", "in", activity_types)]
    ).unlink()
    env["ir.config_parameter"].sudo().search(
        [("key", "=like", PARAM_PREFIX + "%")]
    ).filtered(lambda param: param.key.startswith(PARAM_PREFIX)).unlink()
    env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(PROFILE_ORDER_INDEX)))
