# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Follow-ups per company (18.0.1.5.0): the companies other than a shared
customer's former one take its last follow-up from its history, the contacts
of their own users (what an install does for every company)."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    recorded = env["res.partner"]._init_followups_from_history()
    _logger.info("Follow-ups of %s customers taken from their history", recorded)
