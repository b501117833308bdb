# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged, users

from ..engine.complaint_steps import GATES
from .complaint_common import ComplaintCase, step_facts

REFUND_APPROVAL = "customer_relationship.mail_activity_type_refund_approval"


@tagged("post_install", "-at_install")
class TestComplaintGuidance(ComplaintCase):
    """The complaint form guides the handler through the current step."""

    def _refund_complaint(self, amount=1500.0):
        complaint = self.advance(self._create_complaint(), "propose")
        complaint.write(
            {
                "solution_type": "refund",
                "solution_details": "Refund the machine.",
                "refund_amount": amount,
            }
        )
        return complaint.with_user(self.user_own)

    def _approval_activities(self, complaint):
        activity_type = self.env.ref(REFUND_APPROVAL)
        return complaint.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )

    def test_step_required_fields_follow_the_gate(self):
        complaint = self._create_complaint()
        for step in ("listen", "apologize", "understand", "propose", "follow_up"):
            self.advance(complaint, step)
            self.assertEqual(complaint.step_required_fields, GATES[step], step)
        # the verdict comes from the customer: the form does not ask for it
        self.advance(complaint, "done")
        self.assertFalse(complaint.step_required_fields)
        refund = self._refund_complaint()
        self.assertIn("refund_amount", refund.step_required_fields)

    @users("cr_own")
    def test_form_marks_the_gate_facts_required(self):
        """Saving the form at Listen without the words is refused by the form
        itself; once given, the complaint is saved."""
        form = Form(self.env["customer.complaint"])
        form.partner_id = self.customer_own
        form.name = "Hotline never answers"
        with self.assertRaises(AssertionError):
            form.save()
        form.channel = "phone"
        with self.assertRaises(AssertionError):
            form.save()
        form.customer_words = "Nobody answers the hotline."
        complaint = form.save()
        self.assertEqual(complaint.step, "listen")
        # at Understand the form asks for the understanding, not for the words
        complaint.action_next_step()
        complaint.write(step_facts("apologize"))
        complaint.action_next_step()
        form = Form(complaint)
        for fname, value in step_facts("understand").items():
            if fname != "root_cause":
                setattr(form, fname, value)
        with self.assertRaises(AssertionError):
            form.save()
        form.root_cause = "A faulty batch."
        form.save()
        self.assertEqual(complaint.root_cause, "A faulty batch.")

    @users("cr_own")
    def test_request_approval_once_per_manager(self):
        complaint = self._refund_complaint()
        managers = complaint._escalation_recipients(2)
        self.assertIn(self.user_manager, managers)
        self.assertNotIn(self.user_own, managers)
        complaint.action_request_refund_approval()
        complaint.action_request_refund_approval()
        activities = self._approval_activities(complaint)
        self.assertEqual(sorted(activities.user_id.ids), sorted(managers.ids))
        self.assertEqual(len(activities), len(managers))
        mine = activities.filtered(lambda a: a.user_id == self.user_manager)
        self.assertIn("1,500.00", mine.summary)
        self.assertIn("Owen Own", mine.note)
        # the filter finds it, and not a refund below the limit
        Complaint = self.env["customer.complaint"]
        domain = [
            ("refund_approval_required", "=", True),
            ("refund_approved_by_id", "=", False),
        ]
        self.assertIn(complaint, Complaint.search(domain))
        small = self._refund_complaint(500.0)
        self.assertNotIn(small, Complaint.search(domain))
        self.assertIn(
            small, Complaint.search([("refund_approval_required", "=", False)])
        )
        with self.assertRefused(UserError, "no refund above the approval limit"):
            small.action_request_refund_approval()
        # the approval closes every request
        complaint.with_user(self.user_manager).action_approve_refund()
        self.assertFalse(self._approval_activities(complaint))
        self.assertNotIn(complaint, Complaint.search(domain))
        complaint.action_request_refund_approval()
        self.assertFalse(self._approval_activities(complaint))

    def test_request_approval_button_for_handlers_only(self):
        complaint = self._refund_complaint()
        self.assertFalse(complaint.user_can_approve_refund)
        self.assertTrue(complaint.with_user(self.user_manager).user_can_approve_refund)

    def test_send_proposal_names_the_next_stage(self):
        complaint = self._refund_complaint()
        self.stages["verdict"].name = "Waiting for the Customer"
        with self.assertRefused(UserError, "“Waiting for the Customer”"):
            complaint.action_send_solution()

    def test_close_out_of_order_names_the_follow_up_stage(self):
        complaint = self.advance(self._create_complaint(), "understand")
        self.stages["follow_up"].name = "After-sales Call"
        with self.assertRefused(UserError, "“After-sales Call”"):
            complaint.write({"stage_id": self.stages["done"].id})

    def test_time_left(self):
        with freeze_time("2026-03-02 08:00:00"):
            complaint = self._create_complaint(complaint_date=datetime(2026, 3, 2, 8))
            complaint.sla_deadline = datetime(2026, 3, 4, 11, 30)
            complaint.invalidate_recordset(["sla_time_left"])
            self.assertEqual(complaint.sla_time_left, "2 d 3 h left")
        with freeze_time(datetime(2026, 3, 4, 11, 30) - timedelta(minutes=95)):
            complaint.invalidate_recordset(["sla_time_left"])
            self.assertEqual(complaint.sla_time_left, "1 h 35 min left")
        with freeze_time("2026-03-04 12:00:00"):
            complaint.invalidate_recordset(["sla_time_left"])
            self.assertEqual(complaint.sla_time_left, "Overdue by 30 min")
            self.advance(complaint, "verdict")
            self.assertIn("Paused", complaint.sla_time_left)
