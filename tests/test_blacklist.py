# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CustomerRelationshipCase


@tagged("post_install", "-at_install")
class TestBlacklistOrders(CustomerRelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_own.write(
            {
                "is_customer_blacklisted": True,
                "blacklist_reason": "unpaid",
                "blacklist_note": "Invoice 2025/042 never paid",
            }
        )

    def make_order(self, partner):
        return self.create_order(partner, user=self.user_own, product_uom_qty=2)

    def test_block_mode_blocks_company_and_contacts(self):
        self.set_param("blacklist_mode", "block")
        for partner in (self.customer_own, self.contact_own):
            order = self.make_order(partner)
            with self.assertRefused(
                UserError, "Own Customer Co", "Unpaid", "Invoice 2025/042 never paid"
            ):
                order.action_confirm()
            self.assertEqual(order.state, "draft")

    def test_warn_mode_confirms_and_posts_warning(self):
        self.set_param("blacklist_mode", "warn")
        order = self.make_order(self.contact_own)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        warnings = order.message_ids.filtered(lambda m: "blacklisted" in (m.body or ""))
        self.assertEqual(len(warnings), 1)
        self.assertIn("Own Customer Co", warnings.body)

    def test_other_customers_confirm(self):
        self.set_param("blacklist_mode", "block")
        order = self.make_order(self.customer_free)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(
            order.message_ids.filtered(lambda m: "blacklisted" in (m.body or ""))
        )

    def test_lifting_blacklist_allows_orders(self):
        self.set_param("blacklist_mode", "block")
        self.customer_own.with_user(self.user_manager).is_customer_blacklisted = False
        order = self.make_order(self.customer_own)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
