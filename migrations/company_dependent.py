# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the migrations making res_partner columns company-dependent share
(imported by the version scripts; not a migration itself)."""

from odoo.tools import SQL
from odoo.tools.sql import column_exists


def main_company_id(cr):
    """The main company: the company whose settings computed the single
    profile before the profiles per company."""
    cr.execute(
        """SELECT res_id FROM ir_model_data
            WHERE module = 'base' AND name = 'main_company'"""
    )
    row = cr.fetchone()
    if row:
        return row[0]
    cr.execute("SELECT min(id) FROM res_company")
    return cr.fetchone()[0]


def make_company_dependent(cr, columns, main):
    """Turn each res_partner column of ``columns`` into a company-dependent
    jsonb column: each value moves to the key of the partner's company, else
    of the company ``main``. Done columns (jsonb already) and missing ones are
    skipped: the script may run again. One ALTER TABLE for all of them: the
    table is rewritten once, not once per column."""
    todo = []
    for column in columns:
        if not column_exists(cr, "res_partner", column):
            continue
        cr.execute(
            SQL(
                """SELECT udt_name FROM information_schema.columns
                    WHERE table_name = 'res_partner' AND column_name = %s""",
                column,
            )
        )
        if cr.fetchone()[0] == "jsonb":
            continue
        # a jsonb column has no foreign key (Odoo checks company-dependent
        # many2ones itself)
        cr.execute(
            SQL(
                """SELECT conname FROM pg_constraint
                    WHERE conrelid = 'res_partner'::regclass AND contype = 'f'
                      AND conkey = ARRAY[(
                          SELECT attnum FROM pg_attribute
                           WHERE attrelid = 'res_partner'::regclass
                             AND attname = %s)]::int2[]""",
                column,
            )
        )
        for (name,) in cr.fetchall():
            cr.execute(
                SQL(
                    "ALTER TABLE res_partner DROP CONSTRAINT %s",
                    SQL.identifier(name),
                )
            )
        todo.append(column)
    if not todo:
        return
    cr.execute(
        SQL(
            "ALTER TABLE res_partner %s",
            SQL(", ").join(
                SQL(
                    """ALTER COLUMN %(column)s TYPE jsonb
                       USING CASE WHEN %(column)s IS NULL THEN NULL
                                  ELSE jsonb_build_object(
                                      COALESCE(company_id, %(main)s)::text,
                                      to_jsonb(%(column)s)) END""",
                    column=SQL.identifier(column),
                    main=main,
                )
                for column in todo
            ),
        )
    )
