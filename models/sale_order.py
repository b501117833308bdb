# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import models
from odoo.tools import SQL

# Unknown to the ORM: the uninstall hook drops it.
PROFILE_ORDER_INDEX = "sale_order_customer_relationship_idx"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def init(self):
        res = super().init()
        # The profile refresh aggregates the confirmed orders of a batch of
        # customers: with this index it reads no table page (index-only scan).
        self.env.cr.execute(
            SQL(
                """CREATE INDEX IF NOT EXISTS %s
                       ON sale_order (partner_id)
                  INCLUDE (date_order, amount_untaxed, currency_rate, company_id)
                    WHERE state = 'sale'""",
                SQL.identifier(PROFILE_ORDER_INDEX),
            )
        )
        return res

    def _confirmation_error_message(self):
        error = super()._confirmation_error_message()
        if error:
            return error
        customer = self._blacklisted_customer()
        if customer and self._blacklist_mode() == "block":
            return self.env._(
                "%(customer)s is blacklisted (%(reason)s). Orders of blacklisted "
                "customers cannot be confirmed; a customer relationship manager can "
                "lift the blacklist.",
                customer=customer.display_name,
                reason=customer._blacklist_reason_text(),
            )
        return False

    def _action_confirm(self):
        res = super()._action_confirm()
        if self._blacklist_mode() == "warn":
            for order in self:
                customer = order._blacklisted_customer()
                if customer:
                    order.message_post(
                        body=Markup("<strong>%s</strong>")
                        % self.env._(
                            "Confirmed although %(customer)s is blacklisted "
                            "(%(reason)s).",
                            customer=customer.display_name,
                            reason=customer._blacklist_reason_text(),
                        ),
                        message_type="comment",
                        subtype_xmlid="mail.mt_note",
                    )
        return res

    def _blacklisted_customer(self):
        """The order's commercial partner when it is blacklisted."""
        self.ensure_one()
        # sudo: the blacklist applies to users who may not read its fields
        customer = self.partner_id.commercial_partner_id.sudo()
        return customer if customer.is_customer_blacklisted else customer.browse()

    def _blacklist_mode(self):
        return self.env.company._relationship_setting("blacklist_mode")
