# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .complaint_common import STEP_FACTS, ComplaintCase, step_facts


@tagged("post_install", "-at_install")
class TestComplaintWorkflow(ComplaintCase):
    def test_seeded_stages(self):
        steps = self.env["customer.complaint.stage"].search([]).mapped("step")
        self.assertEqual(steps[:8], list(STEP_FACTS))
        self.assertTrue(self.stages["done"].fold)
        self.assertTrue(self.stages["cancelled"].fold)
        self.assertEqual(
            self.stages["done"].mail_template_id,
            self.env.ref("customer_relationship.mail_template_complaint_rating"),
        )

    def test_create_numbers_and_normalizes_customer(self):
        """A contact given as customer becomes the contact of its company."""
        complaint = self._create_complaint(partner_id=self.contact_own.id)
        self.assertRegex(complaint.number, r"^CMP/\d{4}/\d{5}$")
        self.assertEqual(complaint.partner_id, self.customer_own)
        self.assertEqual(complaint.contact_id, self.contact_own)
        self.assertEqual(complaint.step, "listen")
        self.assertEqual(complaint.company_id, self.env.company)
        self.assertEqual(complaint.salesperson_id, self.user_own)
        self.assertEqual(complaint.customer_type, "new")
        self.assertEqual(complaint.access_url, "/my/complaints/%s" % complaint.id)
        second = self._create_complaint()
        self.assertNotEqual(second.number, complaint.number)

    def test_salesperson_at_the_time_stays(self):
        complaint = self._create_complaint()
        self.customer_own.user_id = self.user_other_own
        complaint.invalidate_recordset()
        self.assertEqual(complaint.salesperson_id, self.user_own)

    def test_contact_must_belong_to_customer(self):
        with self.assertRaises(ValidationError):
            self._create_complaint(
                partner_id=self.customer_other.id, contact_id=self.contact_own.id
            )

    def test_form_onchange_contact(self):
        with Form(self.env["customer.complaint"]) as form:
            form.partner_id = self.contact_own
            self.assertEqual(form.partner_id, self.customer_own)
            self.assertEqual(form.contact_id, self.contact_own)
            form.name = "Subject"
            form.channel = "phone"
            form.customer_words = "Words"
        self.assertEqual(form.record.contact_id, self.contact_own)

    def test_complete_walk(self):
        """Listen, apologise, understand, propose, verdict, follow-up, done."""
        complaint = self._create_complaint(partner_id=self.contact_own.id)
        self._flush_tracking()
        self.advance(complaint, "follow_up")
        self.assertEqual(complaint.verdict, "accepted")
        self.assertTrue(complaint.apology_date)
        self.assertTrue(complaint.verdict_date)
        self.assertFalse(complaint.closed_date)
        self.advance(complaint, "done")
        self.assertEqual(complaint.step, "done")
        self.assertTrue(complaint.closed_date)
        self.assertGreaterEqual(complaint.resolution_hours, 0)
        self.assertAlmostEqual(
            complaint.resolution_days, complaint.resolution_hours / 24, places=4
        )
        self.assertFalse(complaint.sla_breached)
        self.assertEqual(complaint.sla_success, 100)
        # time spent per stage is tracked
        self._flush_tracking()
        complaint.invalidate_recordset(["duration_tracking"])
        self.assertIn(str(self.stages["listen"].id), complaint.duration_tracking)
        with self.assertRefused(UserError, "already closed"):
            complaint.action_next_step()

    def test_gate_listen(self):
        complaint = self._create_complaint()
        with self.assertRefused(
            UserError, "Customer's Words", "Channel", absent=["Received On"]
        ):
            complaint.action_next_step()
        self.assertEqual(complaint.step, "listen")

    def test_gate_message_is_translated(self):
        """The missing facts are named in the user's language."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", "customer_relationship")]
        )._update_translations(["zh_CN"])
        complaint = self._create_complaint().with_context(lang="zh_CN")
        with self.assertRefused(UserError, "顾客原话", "渠道", "请先补充"):
            complaint.action_next_step()

    def test_gate_apologize(self):
        complaint = self.advance(self._create_complaint(), "apologize")
        with self.assertRefused(UserError, "Apology Sent"):
            complaint.action_next_step()

    def test_gate_understand(self):
        complaint = self.advance(self._create_complaint(), "understand")
        complaint.write({"issue_description": "It broke.", "root_cause": "  "})
        with self.assertRefused(
            UserError,
            "Why the Customer Is Dissatisfied",
            "Is the Customer Reasonable?",
            "Solution the Customer Wants",
            "Root Cause",
            absent=["What Happened", "Other Reasons"],
        ):
            complaint.action_next_step()

    def test_gate_propose(self):
        complaint = self.advance(self._create_complaint(), "propose")
        with self.assertRefused(UserError, "Solution Type", "Solution Details"):
            complaint.action_next_step()
        complaint.write({"solution_type": "refund", "solution_details": "Refund."})
        with self.assertRefused(UserError, "Refund Amount"):
            complaint.action_next_step()
        with self.assertRefused(UserError, "Refund Amount"):
            complaint.action_send_solution()

    def test_gate_verdict(self):
        complaint = self.advance(self._create_complaint(), "verdict")
        self.assertMoveRefused(complaint, "follow_up", "Customer's Verdict")

    def test_gate_follow_up_and_done(self):
        complaint = self.advance(self._create_complaint(), "follow_up")
        with self.assertRefused(
            UserError, "Follow-up Channel", "Follow-up Date", "What the Customer Said"
        ):
            complaint.action_next_step()

    def test_done_only_from_follow_up(self):
        complaint = self.advance(self._create_complaint(), "propose")
        self.assertMoveRefused(
            complaint, "done", "only be closed from the “Follow-up” stage"
        )

    def test_skipping_steps_checks_every_gate(self):
        """Jumping ahead needs the facts of every step left behind."""
        complaint = self._create_complaint(**step_facts("listen"))
        self.assertMoveRefused(complaint, "propose", "Apology Sent", "Root Cause")
        complaint.write(step_facts("apologize", "understand"))
        complaint.write({"stage_id": self.stages["propose"].id})
        self.assertEqual(complaint.step, "propose")

    def test_gates_apply_on_create(self):
        with self.assertRefused(UserError, "Customer's Words"):
            self._create_complaint(stage_id=self.stages["understand"].id)
        with self.assertRefused(UserError, "Cancellation Reason"):
            self._create_complaint(stage_id=self.stages["cancelled"].id)

    def test_going_back_is_free(self):
        complaint = self.advance(self._create_complaint(), "propose")
        complaint.write({"stage_id": self.stages["listen"].id})
        self.assertEqual(complaint.step, "listen")
        # the facts stay, so the complaint can jump back to where it was
        complaint.write({"stage_id": self.stages["propose"].id})
        self.assertEqual(complaint.step, "propose")

    def test_write_rolls_back_on_gate(self):
        """A refused move writes nothing, not even the other values."""
        complaint = self._create_complaint()
        with self.assertRaises(UserError):
            complaint.write(
                {"channel": "email", "stage_id": self.stages["apologize"].id}
            )
        self.assertFalse(complaint.channel)
        self.assertEqual(complaint.step, "listen")

    def test_rejection_loop(self):
        complaint = self.advance(self._create_complaint(), "verdict")
        complaint.write({"verdict_note": "Three days is too long."})
        complaint.action_set_verdict_rejected()
        self.assertEqual(complaint.step, "propose")
        self.assertEqual(complaint.verdict, "rejected")
        self.assertEqual(complaint.rejection_count, 1)
        self.assertIn(
            "rejected the proposed solution",
            complaint.message_ids[0].body,
        )
        # a new proposal waits for a new verdict
        complaint.write({"solution_details": "Replace the machine tomorrow."})
        complaint.action_next_step()
        self.assertEqual(complaint.step, "verdict")
        self.assertFalse(complaint.verdict)
        self.assertFalse(complaint.verdict_note)
        self.assertMoveRefused(complaint, "follow_up", "Customer's Verdict")
        complaint.action_set_verdict_accepted()
        self.assertEqual(complaint.step, "follow_up")
        self.assertEqual(complaint.rejection_count, 1)

    def test_rejected_verdict_cannot_move_forward(self):
        complaint = self.advance(self._create_complaint(), "verdict")
        with self.assertRefused(UserError, "rejected the proposed solution"):
            complaint.write(
                {"verdict": "rejected", "stage_id": self.stages["follow_up"].id}
            )

    def test_verdict_buttons_need_verdict_step(self):
        complaint = self._create_complaint()
        with self.assertRefused(UserError, "not waiting for the customer"):
            complaint.action_set_verdict_accepted()

    def test_cancel_needs_reason(self):
        complaint = self.advance(self._create_complaint(), "understand")
        action = complaint.action_open_cancel()
        self.assertEqual(action["res_id"], complaint.id)
        self.assertEqual(action["target"], "new")
        with self.assertRefused(UserError, "without a reason"):
            complaint.action_cancel()
        with self.assertRefused(UserError, "without a reason"):
            complaint.write(
                {"cancel_reason": "   ", "stage_id": self.stages["cancelled"].id}
            )
        complaint.cancel_reason = "Duplicate of another complaint."
        complaint.action_cancel()
        self.assertEqual(complaint.step, "cancelled")
        self.assertTrue(complaint.closed_date)
        self.assertFalse(complaint.resolution_hours)
        self.assertIn("Duplicate of another complaint.", complaint.message_ids[0].body)
        # reopening asks again for the facts of the steps before the target
        complaint.write({"stage_id": self.stages["listen"].id})
        self.assertFalse(complaint.closed_date)

    def test_cancel_form_view(self):
        complaint = self._create_complaint()
        view = self.env.ref("customer_relationship.customer_complaint_view_form_cancel")
        with Form(complaint, view=view) as form:
            form.cancel_reason = "The customer withdrew the complaint."
        complaint.action_cancel()
        self.assertEqual(complaint.step, "cancelled")

    def test_apology_composer_marks_apology_sent(self):
        complaint = self.advance(
            self._create_complaint(partner_id=self.contact_own.id), "apologize"
        )
        action = complaint.action_send_apology()
        composer = Form(
            self.env["mail.compose.message"].with_context(**action["context"])
        ).save()
        self.assertIn(complaint.number, composer.subject)
        self.assertIn(self.contact_own, composer.partner_ids)
        composer._action_send_mail()
        self.assertTrue(complaint.apology_sent)
        self.assertTrue(complaint.apology_date)
        complaint.action_next_step()
        self.assertEqual(complaint.step, "understand")

    def test_send_proposal_moves_to_verdict(self):
        complaint = self.advance(self._create_complaint(), "propose")
        complaint.write(step_facts("propose"))
        action = complaint.action_send_solution()
        composer = Form(
            self.env["mail.compose.message"].with_context(**action["context"])
        ).save()
        self.assertIn("Replace the machine", composer.body)
        composer._action_send_mail()
        self.assertEqual(complaint.step, "verdict")

    def test_followup_composer_fills_channel_and_date(self):
        complaint = self.advance(self._create_complaint(), "follow_up")
        action = complaint.action_send_followup()
        composer = Form(
            self.env["mail.compose.message"].with_context(**action["context"])
        ).save()
        composer._action_send_mail()
        self.assertEqual(complaint.followup_channel, "email")
        self.assertEqual(complaint.followup_date, fields.Date.today())

    def test_existing_customer_from_history(self):
        for _i in range(2):
            order = self.create_order(self.contact_own)
            order.action_confirm()
        complaint = self._create_complaint(sale_order_id=order.id)
        self.assertEqual(complaint.customer_type, "existing")
        self.assertEqual(complaint.salesperson_id, order.user_id)

    def test_group_expand_shows_all_stages(self):
        groups = self.env["customer.complaint"].read_group(
            [("id", "=", 0)], ["stage_id"], ["stage_id"]
        )
        stage_ids = [group["stage_id"][0] for group in groups]
        for stage in self.stages.values():
            self.assertIn(stage.id, stage_ids)

    def test_negative_refund_rejected(self):
        with self.assertRefused(ValidationError, "cannot be negative"):
            self._create_complaint(refund_amount=-5)
