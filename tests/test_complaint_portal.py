# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.http import Request
from odoo.tests import HttpCase, tagged

from .complaint_common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintPortal(HttpCase, ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint = cls._create_complaint(partner_id=cls.contact_own.id)
        cls.other_complaint = cls._create_complaint(partner_id=cls.customer_other.id)

    def _post_verdict(self, complaint, verdict, note="", access_token=None):
        data = {
            "verdict": verdict,
            "verdict_note": note,
            "csrf_token": Request.csrf_token(self),
        }
        if access_token:
            data["access_token"] = access_token
        return self.url_open(f"/my/complaints/{complaint.id}/verdict", data=data)

    def test_portal_rules(self):
        Complaint = self.env["customer.complaint"].with_user(self.user_portal)
        self.assertEqual(Complaint.search([]), self.complaint)
        with self.assertRaises(AccessError):
            self.other_complaint.with_user(self.user_portal).read(["name"])
        with self.assertRaises(AccessError):
            self.complaint.with_user(self.user_portal).write({"verdict": "accepted"})

    def test_portal_list_and_detail(self):
        self.authenticate("cr_portal_wang", "cr_portal_wang")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["complaint_count"]}
        )
        self.assertEqual(counters["complaint_count"], 1)
        response = self.url_open("/my/complaints")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.complaint.number, response.text)
        self.assertNotIn(self.other_complaint.number, response.text)
        response = self.url_open(f"/my/complaints/{self.complaint.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.complaint.number, response.text)
        self.assertNotIn("Accept the solution", response.text)

    def test_portal_accept(self):
        self.advance(self.complaint, "verdict")
        self.authenticate("cr_portal_wang", "cr_portal_wang")
        page = self.url_open(f"/my/complaints/{self.complaint.id}")
        self.assertIn("Accept the solution", page.text)
        self.assertIn("Replace the machine within three days.", page.text)
        response = self._post_verdict(self.complaint, "accepted")
        self.assertEqual(response.status_code, 200)
        self.assertIn("you accepted the proposed solution", response.text)
        self.assertEqual(self.complaint.verdict, "accepted")
        self.assertEqual(self.complaint.step, "follow_up")
        message = self.complaint.message_ids.filtered(
            lambda m: "accepted the proposed solution online" in (m.body or "")
        )
        self.assertEqual(message.author_id, self.contact_own)

    def test_portal_reject(self):
        self.advance(self.complaint, "verdict")
        self.authenticate("cr_portal_wang", "cr_portal_wang")
        response = self._post_verdict(self.complaint, "rejected")
        self.assertIn("why the proposed solution does not suit you", response.text)
        self.assertEqual(self.complaint.step, "verdict")
        self._post_verdict(self.complaint, "rejected", note="We need it tomorrow.")
        self.assertEqual(self.complaint.step, "propose")
        self.assertEqual(self.complaint.verdict, "rejected")
        self.assertEqual(self.complaint.verdict_note, "We need it tomorrow.")
        self.assertEqual(self.complaint.rejection_count, 1)

    def test_portal_verdict_only_when_waiting(self):
        self.authenticate("cr_portal_wang", "cr_portal_wang")
        response = self._post_verdict(self.complaint, "accepted")
        self.assertIn("not waiting for your answer", response.text)
        self.assertFalse(self.complaint.verdict)
        self.assertEqual(self.complaint.step, "listen")

    def test_other_customer_refused(self):
        self.advance(self.complaint, "verdict")
        self.authenticate("cr_portal_pearl", "cr_portal_pearl")
        response = self.url_open(f"/my/complaints/{self.complaint.id}")
        self.assertNotIn(self.complaint.number, response.text)
        self.assertTrue(response.url.rstrip("/").endswith(("/my", "/my/home")))
        response = self._post_verdict(self.complaint, "accepted")
        self.assertNotIn("you accepted", response.text)
        response = self._post_verdict(
            self.complaint, "accepted", access_token="not-the-token"
        )
        self.assertEqual(self.complaint.step, "verdict")
        self.assertFalse(self.complaint.verdict)

    def test_access_token_without_account(self):
        """The link of the proposal email lets the customer answer unlogged."""
        self.advance(self.complaint, "verdict")
        url = self.complaint.get_portal_url()
        token = self.complaint.access_token
        self.assertIn(token, url)
        self.authenticate(None, None)
        response = self.url_open(url)
        self.assertIn("Accept the solution", response.text)
        self._post_verdict(self.complaint, "accepted", access_token=token)
        self.assertEqual(self.complaint.step, "follow_up")
