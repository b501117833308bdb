# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A profile per company (18.0.1.4.0): the profile columns of res_partner
become company-dependent (one jsonb column, a key per company).

Each value moves to the key of the partner's company, else of the main
company (the company whose settings the single profile was computed with);
the next pass computes the other companies' profiles. The stage and tier
history rows get the company of the profile they belong to.
"""

import logging

from odoo.tools import SQL
from odoo.tools.sql import column_exists

_logger = logging.getLogger(__name__)

# The res_partner columns that become company-dependent.
COMPANY_DEPENDENT_COLUMNS = (
    "customer_tier_id",
    "tier_locked",
    "tier_lock_reason",
    "lifecycle_stage",
    "lifecycle_stage_date",
    "value_segment",
    "loyalty_score",
    "loyalty_strength",
    "loyalty_quadrant",
    "first_order_date",
    "last_order_date",
    "order_count",
    "window_revenue",
    "window_cost",
    "average_order_interval",
    "expected_reorder_date",
    "is_customer_blacklisted",
    "blacklist_reason",
    "blacklist_note",
    "blacklist_date",
    "blacklist_user_id",
)


def _main_company_id(cr):
    cr.execute(
        """SELECT res_id FROM ir_model_data
            WHERE module = 'base' AND name = 'main_company'"""
    )
    row = cr.fetchone()
    if row:
        return row[0]
    cr.execute("SELECT min(id) FROM res_company")
    return cr.fetchone()[0]


def migrate(cr, version):
    main = _main_company_id(cr)
    # the report's view reads the columns: Odoo creates it again on update
    cr.execute("DROP VIEW IF EXISTS customer_followup_hygiene_report")
    for column in COMPANY_DEPENDENT_COLUMNS:
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
        cr.execute(
            SQL(
                """ALTER TABLE res_partner ALTER COLUMN %(column)s TYPE jsonb
                   USING CASE WHEN %(column)s IS NULL THEN NULL
                              ELSE jsonb_build_object(
                                  COALESCE(company_id, %(main)s)::text,
                                  to_jsonb(%(column)s)) END""",
                column=SQL.identifier(column),
                main=main,
            )
        )
    for table in ("customer_lifecycle_history", "customer_tier_history"):
        if not column_exists(cr, table, "company_id"):
            continue
        cr.execute(
            SQL(
                """UPDATE %(table)s h
                      SET company_id = COALESCE(p.company_id, %(main)s)
                     FROM res_partner p
                    WHERE p.id = h.partner_id AND h.company_id IS NULL""",
                table=SQL.identifier(table),
                main=main,
            )
        )
        _logger.info("%s: %s rows given their company", table, cr.rowcount)
