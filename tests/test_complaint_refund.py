# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .complaint_common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintRefund(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint = cls._create_complaint()

    def _propose_refund(self, amount):
        complaint = self.advance(self.complaint.with_user(self.user_own), "propose")
        complaint.write(
            {
                "solution_type": "refund",
                "solution_details": "Refund the machine.",
                "refund_amount": amount,
            }
        )
        return complaint

    def test_refund_below_limit_needs_no_approval(self):
        complaint = self._propose_refund(1000.0)
        self.assertFalse(complaint.refund_approval_required)
        complaint.action_next_step()
        self.assertEqual(complaint.step, "verdict")

    def test_refund_above_limit_needs_manager(self):
        complaint = self._propose_refund(1500.0)
        self.assertTrue(complaint.refund_approval_required)
        with self.assertRefused(UserError, "approval of the refund", "1,500.00"):
            complaint.action_next_step()
        with self.assertRefused(UserError, "approval of the refund"):
            complaint.action_send_solution()
        # the handler can neither press the button nor write the approval
        with self.assertRaises(AccessError):
            complaint.action_approve_refund()
        with self.assertRaises(AccessError):
            complaint.write({"refund_approved_by_id": self.user_own.id})
        self.assertFalse(complaint.refund_approved_by_id)
        # a user seeing all customers is not a manager either
        with self.assertRaises(AccessError):
            complaint.with_user(self.user_all).action_approve_refund()
        # the manager approves, and the chatter records it
        complaint.with_user(self.user_manager).action_approve_refund()
        self.assertEqual(complaint.refund_approved_by_id, self.user_manager)
        self.assertTrue(complaint.refund_approval_date)
        message = complaint.message_ids[0]
        self.assertIn("approved by Mary Manager", message.body)
        self.assertIn("1,500.00", message.body)
        complaint.action_next_step()
        self.assertEqual(complaint.step, "verdict")

    def test_changed_refund_voids_approval(self):
        complaint = self._propose_refund(1500.0)
        complaint.with_user(self.user_manager).action_approve_refund()
        complaint.write({"refund_amount": 5000.0})
        self.assertFalse(complaint.refund_approved_by_id)
        self.assertIn("approval is void", complaint.message_ids[0].body)
        with self.assertRefused(UserError, "approval of the refund"):
            complaint.action_next_step()

    def test_approval_without_refund_refused(self):
        complaint = self._propose_refund(10.0)
        with self.assertRefused(UserError, "no refund above the approval limit"):
            complaint.with_user(self.user_manager).action_approve_refund()

    def test_approve_button_only_for_managers(self):
        arch = self.env["customer.complaint"].get_view(
            self.env.ref("customer_relationship.customer_complaint_view_form").id
        )["arch"]
        self.assertIn('name="action_approve_refund"', arch)
        arch = (
            self.env["customer.complaint"]
            .with_user(self.user_own)
            .get_view(
                self.env.ref("customer_relationship.customer_complaint_view_form").id
            )["arch"]
        )
        self.assertNotIn('name="action_approve_refund"', arch)
