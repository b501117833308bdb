# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Follow-ups per company (18.0.1.5.0): the follow-up dates and cadence of
res_partner become company-dependent (one jsonb column, a key per company).

Each value moves to the key of the partner's company, else of the main
company (the company whose reminders the single follow-up was used by). The
job's open reminders get the company of their queue row (else of their
customer, else the main company); the queue's key gets the company.
"""

import logging

from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

from odoo.addons.customer_relationship.migrations.company_dependent import (
    main_company_id,
    make_company_dependent,
)

_logger = logging.getLogger(__name__)

# The res_partner columns that become company-dependent.
COMPANY_DEPENDENT_COLUMNS = (
    "last_followup_date",
    "last_followup_source",
    "next_followup_date",
    "next_followup_manual",
    "custom_followup_interval_days",
)


def migrate(cr, version):
    main = main_company_id(cr)
    # the report's view reads the columns: Odoo creates it again on update
    cr.execute("DROP VIEW IF EXISTS customer_followup_hygiene_report")
    make_company_dependent(cr, COMPANY_DEPENDENT_COLUMNS, main)
    if not column_exists(cr, "mail_activity", "customer_reminder_company_id"):
        create_column(cr, "mail_activity", "customer_reminder_company_id", "int4")
    queue_company = SQL("NULL::int4")
    if column_exists(cr, "customer_followup_queue", "company_id"):
        queue_company = SQL(
            """(SELECT q.company_id FROM customer_followup_queue q
                 WHERE q.activity_id = a.id LIMIT 1)"""
        )
    cr.execute(
        SQL(
            """UPDATE mail_activity a
                  SET customer_reminder_company_id = COALESCE(%s, p.company_id, %s)
                 FROM res_partner p
                WHERE p.id = a.res_id AND a.res_model = 'res.partner'
                  AND a.customer_reminder_kind IS NOT NULL
                  AND a.customer_reminder_company_id IS NULL""",
            queue_company,
            main,
        )
    )
    _logger.info("%s reminders given their company", cr.rowcount)
    # the key with the company is created by the model (init)
    cr.execute("DROP INDEX IF EXISTS customer_followup_queue_key_uniq")
    if column_exists(cr, "customer_followup_queue", "company_id"):
        cr.execute(
            SQL(
                "UPDATE customer_followup_queue SET company_id = %s "
                "WHERE company_id IS NULL",
                main,
            )
        )
