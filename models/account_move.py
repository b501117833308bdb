# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._enqueue_refund_customers()
        return posted

    # button_cancel resets posted moves to draft first: this covers it too
    def button_draft(self):
        refunds = self.filtered(lambda move: move.state == "posted")
        res = super().button_draft()
        refunds._enqueue_refund_customers()
        return res

    def _enqueue_refund_customers(self):
        """A customer credit note posted or taken back counts in the customer's
        costs (value segment): its profile follows (live refresh queue)."""
        refunds = self.filtered(lambda move: move.move_type == "out_refund")
        if refunds:
            self.env["customer.profile.refresh.queue"]._enqueue(refunds.partner_id)
