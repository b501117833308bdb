# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tools import SQL

from .models.res_config_settings import PARAM_PREFIX
from .models.sale_order import PROFILE_ORDER_INDEX

# Rows the uninstall hook deletes (or updates) per SQL statement.
UNINSTALL_BATCH_SIZE = 10_000


def post_init_hook(env):
    """Take each existing customer's last follow-up from its history (done
    activities, messages sent to it), in one statement; then fill the profiles
    of the existing customers right after the install, in the background: the
    refresh cron runs in batches as soon as a cron worker is free, instead of
    one long ORM recompute inside the install."""
    env["res.partner"]._init_followups_from_history()
    env.ref("customer_relationship.ir_cron_refresh_profiles")._trigger()


def uninstall_hook(env):
    """Clear what would stop Odoo from deleting the addon's records, and what
    it would leave behind.

    Odoo deletes the addon's records (tiers, stages, activity types...) before
    its tables and columns. So the complaints, which hold stages, go first,
    with their messages, followers, activities and ratings; partners drop their
    tier (the column goes with the addon); the reminders, activities of the
    addon's types on partners, are removed (their chatter messages stay). The
    settings are system parameters without external id; the order index is
    unknown to the ORM.

    Rows go by SQL, UNINSTALL_BATCH_SIZE per statement, so that a database with
    millions of them uninstalls in short statements rather than in one ORM
    unlink per record (the complaints' attachments go with Odoo's model
    deletion, files included).
    """
    env.flush_all()
    complaint = "customer.complaint"
    for table, model_column in (
        ("rating_rating", "res_model"),
        ("mail_activity", "res_model"),
        ("mail_followers", "res_model"),
        ("mail_message", "model"),
    ):
        _batched(
            env,
            SQL.identifier(table),
            SQL("%s = %s", SQL.identifier(model_column), complaint),
        )
    _batched(env, SQL.identifier("customer_complaint"), SQL("TRUE"))
    _batched(
        env,
        SQL.identifier("res_partner"),
        SQL("customer_tier_id IS NOT NULL"),
        action=SQL("UPDATE res_partner SET customer_tier_id = NULL"),
    )
    activity_types = _module_records(env, "mail.activity.type")
    _batched(
        env,
        SQL.identifier("mail_activity"),
        SQL("activity_type_id = ANY(%s)", activity_types.ids),
    )
    env.invalidate_all()
    # sudo: uninstalling removes the settings of every company and user
    env["ir.config_parameter"].sudo().search(
        [("key", "=like", PARAM_PREFIX + "%")]
    ).filtered(lambda param: param.key.startswith(PARAM_PREFIX)).unlink()
    env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(PROFILE_ORDER_INDEX)))


def _batched(env, table, condition, action=None):
    """Delete (or ``action``: an UPDATE of ``table``) the rows of ``table``
    matching ``condition``, UNINSTALL_BATCH_SIZE rows per statement."""
    action = action or SQL("DELETE FROM %s", table)
    query = SQL(
        "%s WHERE id IN (SELECT id FROM %s WHERE %s LIMIT %s)",
        action,
        table,
        condition,
        UNINSTALL_BATCH_SIZE,
    )
    while True:
        env.cr.execute(query)
        if env.cr.rowcount < UNINSTALL_BATCH_SIZE:
            return


def _module_records(env, model):
    """The records of ``model`` the addon created from its data files."""
    data = (
        env["ir.model.data"]
        # sudo: every record the addon created, of every company
        .sudo()
        .search([("module", "=", "customer_relationship"), ("model", "=", model)])
    )
    return (
        # sudo: every record the addon created, of every company
        env[model].sudo().with_context(active_test=False).browse(data.mapped("res_id"))
    )
