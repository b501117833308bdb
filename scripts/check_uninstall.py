"""Uninstall check, run in odoo-bin shell by scripts/check_uninstall.sh (``env``
is given by the shell).

CHECK_PHASE=prepare: create customer data (profiles, complaints, activities of
the addon's types, lifecycle history), then save in CHECK_STATE what the addon
owns (models, tables, columns, menus, crons, activity types) and how many
partners and orders there are.
CHECK_PHASE=uninstall: uninstall the addon as the Apps menu does.
CHECK_PHASE=check: nothing of the addon is left; partners and orders are.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.environ["ADDON_DIR"], "scripts"))
from check_data import (  # noqa: E402
    MODULE,
    create_customer_data,
    load_state,
    module_records,
    save_state,
)

from odoo.tools import SQL  # noqa: E402

from odoo.addons.customer_relationship.models.sale_order import (  # noqa: E402
    PROFILE_ORDER_INDEX as ORDER_INDEX,
)

# Index the addon creates in SQL (models/sale_order.py).
# Tables whose rows must all survive, and the rows' ids.
KEPT_TABLES = ("res_partner", "sale_order", "sale_order_line", "product_product")


def fetch(env, query, *args):
    env.cr.execute(SQL(query, *args))
    return env.cr.fetchall()


# The addon's own demo records (orders, their lines, customers) go with it, as
# any module's data does: only the other rows must survive.
OWN_RECORD = {
    "res_partner": SQL(
        "EXISTS (SELECT 1 FROM ir_model_data d WHERE d.module = %s"
        " AND d.model = 'res.partner' AND d.res_id = t.id)",
        "customer_relationship",
    ),
    "sale_order": SQL(
        "EXISTS (SELECT 1 FROM ir_model_data d WHERE d.module = %s"
        " AND d.model = 'sale.order' AND d.res_id = t.id)",
        "customer_relationship",
    ),
    "sale_order_line": SQL(
        "EXISTS (SELECT 1 FROM ir_model_data d WHERE d.module = %s"
        " AND d.model = 'sale.order' AND d.res_id = t.order_id)",
        "customer_relationship",
    ),
    "product_product": SQL(
        "EXISTS (SELECT 1 FROM ir_model_data d WHERE d.module = %s"
        " AND d.model = 'product.product' AND d.res_id = t.id)",
        "customer_relationship",
    ),
}


def kept_rows(env):
    return {
        table: [
            row[0]
            for row in fetch(
                env,
                "SELECT t.id FROM %s t WHERE NOT %s ORDER BY t.id",
                SQL.identifier(table),
                OWN_RECORD[table],
            )
        ]
        for table in KEPT_TABLES
    }


def prepare(env):
    create_customer_data(env)
    env.cr.commit()
    fields = module_records(env, "ir.model.fields").filtered("store")
    # The columns of the fields only the addon defines: a field it shares with
    # another module (e.g. company_id of the settings) stays with that module.
    columns = sorted(
        (env[f.model]._table, f.name)
        for f in fields
        if f.model in env
        and f.ttype not in ("one2many", "many2many")
        and set(env[f.model]._fields[f.name]._modules) == {MODULE}
    )
    # The addon's own models, not the ones it extends (res.partner...).
    models = module_records(env, "ir.model").filtered(
        lambda m: env[m.model]._original_module == MODULE
    )
    tables = sorted(
        {env[m.model]._table for m in models if not env[m.model]._abstract}
        | {
            r.name
            for r in env["ir.model.relation"].search([("module.name", "=", MODULE)])
        }
    )
    state = {
        "models": sorted(models.mapped("model")),
        "tables": tables,
        "columns": columns,
        "menus": module_records(env, "ir.ui.menu").ids,
        "crons": module_records(env, "ir.cron").ids,
        "activity types": module_records(env, "mail.activity.type").ids,
        "groups": module_records(env, "res.groups").ids,
        "activities": env["mail.activity"]
        .with_context(active_test=False)
        .search_count(
            [("activity_type_id", "in", module_records(env, "mail.activity.type").ids)]
        ),
        "kept rows": kept_rows(env),
    }
    assert fetch(env, "SELECT 1 FROM pg_indexes WHERE indexname = %s", ORDER_INDEX)
    assert state["activities"], "no activity of the addon's types to remove"
    assert ("res_partner", "customer_tier_id") in [tuple(c) for c in state["columns"]]
    save_state(state)
    print(
        "Addon owns {} models, {} tables, {} columns, {} menus, {} crons, {} "
        "activity types; {} activities of its types".format(
            *(
                len(state[k])
                for k in (
                    "models",
                    "tables",
                    "columns",
                    "menus",
                    "crons",
                    "activity types",
                )
            ),
            state["activities"],
        )
    )


def uninstall(env):
    module = env["ir.module.module"].search([("name", "=", MODULE)])
    module.button_immediate_uninstall()


def check(env):
    state = load_state()
    problems = []

    def left(what, rows):
        if rows:
            problems.append(f"{what} left: {rows}")

    left(
        "module",
        fetch(
            env,
            "SELECT state FROM ir_module_module WHERE name = %s AND state != %s",
            MODULE,
            "uninstalled",
        ),
    )
    left(
        "models",
        fetch(
            env,
            "SELECT model FROM ir_model WHERE model LIKE %s OR model = ANY(%s)",
            "customer.%",
            state["models"],
        ),
    )
    left(
        "tables",
        fetch(
            env,
            """SELECT table_name FROM information_schema.tables
                WHERE table_schema = current_schema()
                  AND (table_name LIKE %s OR table_name = ANY(%s))""",
            "customer\\_%",
            state["tables"],
        ),
    )
    for table, column in state["columns"]:
        left(
            f"column {table}.{column}",
            fetch(
                env,
                """SELECT 1 FROM information_schema.columns
                    WHERE table_schema = current_schema()
                      AND table_name = %s AND column_name = %s""",
                table,
                column,
            ),
        )
    left(
        "index",
        fetch(
            env, "SELECT indexname FROM pg_indexes WHERE indexname = %s", ORDER_INDEX
        ),
    )
    for what, table in (
        ("menus", "ir_ui_menu"),
        ("crons", "ir_cron"),
        ("activity types", "mail_activity_type"),
        ("groups", "res_groups"),
    ):
        left(
            what,
            fetch(
                env,
                "SELECT id FROM %s WHERE id = ANY(%s)",
                SQL.identifier(table),
                state[what],
            ),
        )
    left(
        "external ids",
        fetch(
            env,
            "SELECT model, name FROM ir_model_data WHERE module = %s",
            MODULE,
        ),
    )
    left(
        "settings",
        fetch(
            env,
            "SELECT key FROM ir_config_parameter WHERE key LIKE %s",
            "customer\\_relationship.%",
        ),
    )
    kept = kept_rows(env)
    for table, ids in state["kept rows"].items():
        if kept[table] != ids:
            lost = sorted(set(ids) - set(kept[table]))
            problems.append(f"{table}: {len(lost)} rows lost, e.g. {lost[:5]}")
    if problems:
        print("The uninstall left or lost:\n  " + "\n  ".join(problems))
        sys.exit(1)
    counts = ", ".join(f"{len(ids)} {t}" for t, ids in kept.items())
    print(f"Nothing of the addon is left; all rows kept ({counts}).")


def main(env):
    phases = {"prepare": prepare, "uninstall": uninstall, "check": check}
    phases[os.environ["CHECK_PHASE"]](env)


main(globals()["env"])  # given by odoo-bin shell
