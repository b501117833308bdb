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

from odoo.addons.customer_relationship.migrations.company_dependent import (
    main_company_id,
    make_company_dependent,
)

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


def migrate(cr, version):
    main = main_company_id(cr)
    # the report's view reads the columns: Odoo creates it again on update
    cr.execute("DROP VIEW IF EXISTS customer_followup_hygiene_report")
    make_company_dependent(cr, COMPANY_DEPENDENT_COLUMNS, main)
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
