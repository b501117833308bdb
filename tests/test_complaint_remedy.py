# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .complaint_common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintRemedy(ComplaintCase):
    """An accepted refund prepares a draft credit note, a replacement a draft
    quotation: once, whoever accepts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.create_order(cls.customer_own)
        cls.order.action_confirm()
        cls.invoice = cls.order._create_invoices()
        cls.invoice.action_post()

    def _at_verdict(self, **solution):
        complaint = self._create_complaint(
            partner_id=self.contact_own.id, sale_order_id=self.order.id
        )
        self.advance(complaint, "propose")
        complaint.write({"solution_details": "What we do for you.", **solution})
        complaint.action_next_step()
        self.assertEqual(complaint.step, "verdict")
        return complaint

    def test_refund_accepted_on_the_portal_prepares_a_credit_note(self):
        complaint = self._at_verdict(solution_type="refund", refund_amount=200.0)
        # as the portal controller does: the portal user's sudo record
        complaint.with_user(self.user_portal).sudo()._portal_set_verdict(
            "accepted", "", self.contact_own
        )
        self.assertEqual(complaint.step, "follow_up")
        credit_note = complaint.credit_note_ids
        self.assertEqual(len(credit_note), 1)
        self.assertRecordValues(
            credit_note,
            [
                {
                    "move_type": "out_refund",
                    "state": "draft",
                    "amount_total": 200.0,
                    "reversed_entry_id": self.invoice.id,
                    "partner_id": self.invoice.partner_id.id,
                    "invoice_origin": complaint.number,
                    "company_id": complaint.company_id.id,
                    "invoice_user_id": self.user_own.id,
                }
            ],
        )
        self.assertEqual(complaint.credit_note_count, 1)
        note = complaint.message_ids.filtered(
            lambda m: "draft credit note" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertIn(self.invoice.name, note.body)
        self.assertEqual(note.author_id, self.env.ref("base.partner_root"))
        action = complaint.action_open_credit_notes()
        self.assertEqual(action["res_id"], credit_note.id)

    def test_refund_without_invoice_is_on_the_customer(self):
        complaint = self._create_complaint()
        self.advance(complaint, "propose")
        complaint.write(
            {
                "solution_type": "refund",
                "refund_amount": 80.0,
                "solution_details": "Refund.",
            }
        )
        complaint.action_next_step()
        complaint.with_user(self.user_own).action_set_verdict_accepted()
        credit_note = complaint.credit_note_ids
        self.assertEqual(credit_note.partner_id, self.customer_own)
        self.assertFalse(credit_note.reversed_entry_id)
        self.assertEqual(credit_note.amount_total, 80.0)
        # a handler without accounting rights sees the count, not the moves
        self.assertEqual(complaint.with_user(self.user_own).credit_note_count, 1)

    def test_replacement_prepares_a_free_quotation(self):
        complaint = self._at_verdict(solution_type="replace")
        complaint.with_user(self.user_own).action_set_verdict_accepted()
        order = complaint.replacement_order_ids
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.partner_id, self.contact_own)
        self.assertEqual(order.order_line.product_id, self.product)
        self.assertEqual(order.order_line.discount, 100.0)
        self.assertEqual(order.amount_total, 0.0)
        self.assertEqual(order.origin, complaint.number)
        self.assertFalse(complaint.credit_note_ids)
        self.assertEqual(complaint.replacement_order_count, 1)

    def test_once_and_only_when_accepted(self):
        complaint = self._at_verdict(solution_type="refund", refund_amount=50.0)
        complaint.action_set_verdict_rejected()
        self.assertFalse(complaint.credit_note_ids)
        complaint.action_next_step()  # proposed again
        complaint.action_set_verdict_accepted()
        self.assertEqual(len(complaint.credit_note_ids), 1)
        # writing the verdict again prepares nothing more
        complaint.write({"verdict": "accepted"})
        self.assertEqual(len(complaint.credit_note_ids), 1)
