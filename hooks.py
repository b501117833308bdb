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
    """Remove what would stop Odoo from deleting the addon's records, or what
    it would leave behind.

    Odoo deletes the addon's records (tiers, stages...) before its tables and
    columns: the foreign keys that restrict deleting them (a partner's tier, a
    complaint's stage) are dropped first, as the columns holding them go with
    the addon. The reminders and escalations are activities of the addon's
    types, which cannot be deleted while activities use them; their chatter
    messages stay. The settings are system parameters without external id.
    """
    models = _module_records(env, "ir.model").mapped("model")
    tables = [
        env[model]._table
        for model in models
        if model in env and not env[model]._abstract
    ]
    env.cr.execute(
        SQL(
            """SELECT cl.relname, cs.conname
                 FROM pg_constraint cs
                 JOIN pg_class cl ON cl.oid = cs.conrelid
                 JOIN pg_class ref ON ref.oid = cs.confrelid
                WHERE cs.contype = 'f' AND cs.confdeltype = 'r'
                  AND ref.relname = ANY(%s)""",
            tables,
        )
    )
    for table, constraint in env.cr.fetchall():
        env.cr.execute(
            SQL(
                "ALTER TABLE %s DROP CONSTRAINT %s",
                SQL.identifier(table),
                SQL.identifier(constraint),
            )
        )
    activity_types = _module_records(env, "mail.activity.type")
    env["mail.activity"].sudo().with_context(active_test=False).search(
        [("activity_type_id", "in", activity_types.ids)]
    ).unlink()
    env["ir.config_parameter"].sudo().search(
        [("key", "=like", PARAM_PREFIX + "%")]
    ).filtered(lambda param: param.key.startswith(PARAM_PREFIX)).unlink()
    env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(PROFILE_ORDER_INDEX)))


def _module_records(env, model):
    """The records of ``model`` the addon created from its data files."""
    data = (
        env["ir.model.data"]
        .sudo()
        .search([("module", "=", "customer_relationship"), ("model", "=", model)])
    )
    return (
        env[model].sudo().with_context(active_test=False).browse(data.mapped("res_id"))
    )
