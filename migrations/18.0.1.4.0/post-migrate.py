# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Settings per company (18.0.1.4.0): each relationship setting, a system
parameter before, becomes a field of every company with the same value; the
parameters go. Today's pass starts over, so that the profiles of every
company are computed (the nightly pass would do it tonight)."""

import logging

from odoo import SUPERUSER_ID, api

from odoo.addons.customer_relationship.models.res_config_settings import (
    PARAM_PREFIX,
    RELATIONSHIP_SETTINGS,
    SETTING_PREFIX,
)

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    params = env["ir.config_parameter"]
    values = {}
    for key, (kind, _default) in RELATIONSHIP_SETTINGS.items():
        param = params.search([("key", "=", PARAM_PREFIX + key)])
        if not param:
            continue
        raw = param.value
        try:
            value = kind(raw) if raw not in (None, False, "") else None
        except ValueError:
            value = None
        if value is not None:
            field = env["res.company"]._fields[SETTING_PREFIX + key]
            if field.type == "many2one":
                value = env[field.comodel_name].browse(value).exists().id
            values[SETTING_PREFIX + key] = value
        param.unlink()
    companies = env["res.company"].with_context(active_test=False).search([])
    if values:
        companies.write(values)
    _logger.info(
        "Relationship settings of %s companies: %s copied from the parameters",
        len(companies),
        len(values),
    )
    env["customer.profile.refresh"]._restart_today()
