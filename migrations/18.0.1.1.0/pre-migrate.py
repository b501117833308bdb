# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0: record rules follow one pattern, <model>_rule_<scope>.

The rules live in a noupdate file, and an update does not delete obsolete
noupdate records: without renaming their external ids first, the update would
keep each old rule and create its copy under the new name.
"""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

MODULE = "customer_relationship"
RENAMED_XMLIDS = {
    "customer_tier_company_rule": "customer_tier_rule_company",
    "customer_lifecycle_history_company_rule": (
        "customer_lifecycle_history_rule_company"
    ),
    "customer_holiday_company_rule": "customer_holiday_rule_company",
    "customer_followup_hygiene_report_company_rule": (
        "customer_followup_hygiene_report_rule_company"
    ),
}


def migrate(cr, version):
    for old, new in RENAMED_XMLIDS.items():
        # A new name already taken (the update ran once without this script)
        # is left alone rather than turned into a duplicate key.
        cr.execute(
            SQL(
                """
                UPDATE ir_model_data
                   SET name = %(new)s
                 WHERE module = %(module)s
                   AND name = %(old)s
                   AND NOT EXISTS (
                       SELECT 1 FROM ir_model_data
                        WHERE module = %(module)s AND name = %(new)s
                   )
                """,
                module=MODULE,
                old=old,
                new=new,
            )
        )
        if cr.rowcount:
            _logger.info("Renamed %s.%s to %s.%s", MODULE, old, MODULE, new)
