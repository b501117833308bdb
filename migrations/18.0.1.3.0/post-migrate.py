# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Stage dates that mean what they say on upgraded databases (18.0.1.3.0).

Versions before 18.0.1.2.0 dated each stage the day a pass noticed it: at
install, every customer "became" its stage on install day. The first stage
row of each such customer is dated again from its orders, as the engine dates
a customer seen for the first time, with the stages before it rebuilt
(``customer.profile.refresh._date_noticed_history``).
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    redated = env["customer.profile.refresh"]._date_noticed_history()
    _logger.info("Stage history dated again from the orders: %s customers", redated)
