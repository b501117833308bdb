# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CustomerBlacklistConfirm(models.TransientModel):
    """Confirming orders of blacklisted customers in warn mode: the person
    confirming reads the warning first and confirms anyway, or not."""

    _name = "customer.blacklist.confirm"
    _description = "Confirm Orders of Blacklisted Customers"

    order_ids = fields.Many2many("sale.order", string="Orders", readonly=True)
    warning = fields.Text(compute="_compute_warning")

    @api.depends("order_ids")
    def _compute_warning(self):
        for wizard in self:
            texts = []
            for order in wizard.order_ids:
                blacklisted = order._blacklisted_partner()
                if blacklisted:
                    texts.append(
                        "%s: %s"
                        % (order.name, order._blacklist_warning_text(blacklisted))
                    )
            wizard.warning = "\n".join(texts)

    @api.model
    def _action_open(self, orders):
        wizard = self.create({"order_ids": [fields.Command.set(orders.ids)]})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Blacklisted Customer"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
            "context": {
                key: value
                for key, value in self.env.context.items()
                if key != "customer_blacklist_warning"
            },
        }

    def action_confirm(self):
        self.ensure_one()
        orders = self.order_ids.with_context(customer_blacklist_warning=False)
        return orders.action_confirm()
