# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError

from .complaint_common import ComplaintCase

NOW = datetime(2026, 3, 2, 9, 0, 0)


class TestComplaintDuplicate(ComplaintCase):
    """A complaint of the same customer about the same order or product within
    the window is flagged; a manager merges the two."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.complaint_duplicate_days = 7
        cls.other_product = cls.env["product.product"].create({"name": "Other Item"})

    def test_flag_within_the_window(self):
        with freeze_time(NOW):
            first = self._create_complaint(name="Motor broke")
        with freeze_time(NOW + timedelta(days=3)):
            second = self._create_complaint(name="Motor broke again")
            other_product = self._create_complaint(product_id=self.other_product.id)
            other_customer = self._create_complaint(partner_id=self.customer_other.id)
        with freeze_time(NOW + timedelta(days=8)):
            too_late = self._create_complaint()
        self.assertFalse(first.duplicate_of_id)
        self.assertEqual(second.duplicate_of_id, first)
        self.assertFalse(other_product.duplicate_of_id)
        self.assertFalse(other_customer.duplicate_of_id)
        # 8 days after the first, 5 after the second
        self.assertEqual(too_late.duplicate_of_id, second)
        note = second.message_ids.filtered(
            lambda m: "Possible duplicate" in (m.body or "")
        )
        self.assertIn(first.number, note.body)

    def test_same_order_and_setting_off(self):
        order = self.create_order(self.customer_own)
        first = self._create_complaint(product_id=False, sale_order_id=order.id)
        second = self._create_complaint(product_id=self.other_product.id)
        self.assertFalse(second.duplicate_of_id)
        second.sale_order_id = order
        self.assertEqual(second.duplicate_of_id, first)
        self.company.complaint_duplicate_days = 0
        self.assertFalse(self._create_complaint(sale_order_id=order.id).duplicate_of_id)

    def test_cancelled_complaints_are_no_originals(self):
        first = self.advance(self._create_complaint(), "cancelled")
        self.assertFalse(self._create_complaint().duplicate_of_id)
        self.assertTrue(first)

    def test_manager_merges(self):
        first = self._create_complaint(name="Original")
        second = self._create_complaint(name="Same again")
        second.message_post(
            body="Photo of the motor", attachments=[("motor.txt", b"x")]
        )
        self.assertEqual(second.duplicate_of_id, first)
        with self.assertRaises(AccessError):
            second.with_user(self.user_own).action_merge_into_duplicate()
        second.with_user(self.user_manager).action_merge_into_duplicate()
        self.assertEqual(second.step, "cancelled")
        self.assertIn(first.number, second.cancel_reason)
        moved = first.message_ids.filtered(
            lambda m: "Photo of the motor" in (m.body or "")
        )
        self.assertEqual(len(moved), 1)
        self.assertEqual(moved.attachment_ids.res_id, first.id)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "customer.complaint"), ("res_id", "=", first.id)]
        )
        self.assertIn("motor.txt", attachments.mapped("name"))
        self.assertTrue(
            first.message_ids.filtered(
                lambda m: "was merged into this one" in (m.body or "")
            )
        )
        self.assertEqual(first.step, "listen")
