# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo import api, fields, models
from odoo.exceptions import AccessError


class CustomerRelationshipSettings(models.TransientModel):
    """The Customer Relationship section of the Settings page, for the
    relationship managers (SPEC §4: managers configure).

    Odoo's Settings (``res.config.settings``) stay the system administrators':
    that model holds every application's settings (API keys and secrets among
    them) and its public methods act for all of them, so it is never opened to
    other groups. This page has the fields of the relationship section only
    (``customer.relationship.settings.mixin``, the current company's), saves
    them and nothing else, and shows the same section as the Settings page.
    """

    _name = "customer.relationship.settings"
    _inherit = ["customer.relationship.settings.mixin"]
    _description = "Customer Relationship Settings"

    company_id = fields.Many2one(readonly=True)

    @api.model
    def _check_relationship_manager(self):
        if not self.env.su and not self.env.user.has_group(
            "customer_relationship.group_manager"
        ):
            raise AccessError(
                self.env._(
                    "Only customer relationship managers may change the customer "
                    "relationship settings."
                )
            )

    @api.model
    def _get_default_form_view(self):
        """The Customer Relationship section of the Settings page (one arch for
        both pages)."""
        # sudo: the addon's own view, whose record managers may not read
        section = self.env.ref(
            "customer_relationship.res_config_settings_view_form"
        ).sudo()
        form = etree.Element(
            "form",
            {
                "string": self.env._("Customer Relationship Settings"),
                "class": "oe_form_configuration",
                "js_class": "base_settings",
            },
        )
        # the company whose complaint settings the section shows
        etree.SubElement(form, "field", name="company_id", invisible="1")
        form.append(etree.fromstring(section.arch).find(".//app"))
        return form

    @api.model_create_multi
    def create(self, vals_list):
        self._check_relationship_manager()
        settings_list = self._pop_relationship_settings(vals_list)
        # sudo: the settings are related fields of the current company, which
        # managers set here and nowhere else (this model has no other field)
        records = super(CustomerRelationshipSettings, self.sudo()).create(vals_list)
        records._write_relationship_settings(settings_list)
        return records.sudo(False)

    def write(self, vals):
        self._check_relationship_manager()
        [settings] = self._pop_relationship_settings([vals])
        # sudo: see create
        records = self.sudo()
        result = super(CustomerRelationshipSettings, records).write(vals)
        records._write_relationship_settings([settings] * len(records))
        return result

    def execute(self):
        """Save the relationship settings (the Save button of the page): the
        record's creation wrote them on the current company."""
        self.ensure_one()
        self._check_relationship_manager()
        return {"type": "ir.actions.client", "tag": "reload"}
