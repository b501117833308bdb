# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import UserError
from odoo.http import Request
from odoo.tests import HttpCase, tagged

from .complaint_common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintPortalIntake(HttpCase, ComplaintCase):
    """Customers file complaints on the portal, about their own orders only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_product = cls.env["product.product"].create(
            {"name": "Label Printer LP-20", "list_price": 300.0}
        )
        cls.order = cls.create_order(cls.customer_own)
        cls.order.order_line = [
            Command.create({"product_id": cls.other_product.id, "product_uom_qty": 2})
        ]
        cls.order.action_confirm()
        cls.other_order = cls.create_order(cls.customer_other)
        cls.other_order.action_confirm()
        cls.draft_order = cls.create_order(cls.customer_own)

    def _file(self, files=None, **values):
        data = {
            "subject": "Machine stopped",
            "customer_words": "The machine stopped after two days.",
            "csrf_token": Request.csrf_token(self),
            **values,
        }
        return self.url_open("/my/complaints/new", data=data, files=files)

    def test_form_offers_own_orders_only(self):
        self.authenticate("cr_portal_wang", "cr_portal_wang")
        listing = self.url_open("/my/complaints")
        self.assertIn('href="/my/complaints/new"', listing.text)
        page = self.url_open("/my/complaints/new")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.order.name, page.text)
        self.assertNotIn(self.other_order.name, page.text)
        self.assertNotIn(self.draft_order.name, page.text)
        self.assertIn("Label Printer LP-20", page.text)

    def test_file_a_complaint(self):
        self.authenticate("cr_portal_wang", "cr_portal_wang")
        response = self._file(
            files={"attachments": ("photo.txt", b"motor label", "text/plain")},
            sale_order_id=str(self.order.id),
            product_id=str(self.other_product.id),
        )
        self.assertEqual(response.status_code, 200)
        complaint = self.env["customer.complaint"].search(
            [
                ("partner_id", "=", self.customer_own.id),
                ("name", "=", "Machine stopped"),
            ]
        )
        self.assertEqual(len(complaint), 1)
        self.assertTrue(
            response.url.endswith(f"/my/complaints/{complaint.id}?message=filed")
        )
        self.assertIn("we have received your complaint", response.text)
        self.assertRecordValues(
            complaint,
            [
                {
                    "step": "listen",
                    "channel": "portal",
                    "contact_id": self.contact_own.id,
                    "sale_order_id": self.order.id,
                    "product_id": self.other_product.id,
                    "company_id": self.order.company_id.id,
                    "customer_words": "The machine stopped after two days.",
                }
            ],
        )
        message = complaint.message_ids.filtered(lambda m: m.attachment_ids)
        self.assertEqual(message.author_id, self.contact_own)
        self.assertEqual(message.attachment_ids.mapped("name"), ["photo.txt"])
        self.assertIn(self.contact_own, complaint.message_partner_ids)
        # seen at once in their list, as the portal user
        listing = self.url_open("/my/complaints")
        self.assertIn(complaint.number, listing.text)
        self.assertIn("Machine stopped", listing.text)

    def test_refuses_another_customers_order(self):
        self.authenticate("cr_portal_wang", "cr_portal_wang")
        before = self.env["customer.complaint"].search_count([])
        response = self._file(sale_order_id=str(self.other_order.id))
        self.assertIn("choose one of your own orders", response.text)
        response = self._file(sale_order_id="not-a-number")
        self.assertIn("choose one of your own orders", response.text)
        response = self._file(
            sale_order_id=str(self.order.id),
            product_id=str(
                self.env["product.product"].search([], limit=1, order="id desc").id
                + 1000
            ),
        )
        self.assertIn("choose a product of your order", response.text)
        self.assertEqual(self.env["customer.complaint"].search_count([]), before)
        # what was typed stays in the form
        self.assertIn("The machine stopped after two days.", response.text)

    def test_limits(self):
        self.authenticate("cr_portal_wang", "cr_portal_wang")
        before = self.env["customer.complaint"].search_count([])
        self.assertIn("too long", self._file(subject="x" * 121).text)
        self.assertIn("too long", self._file(customer_words="y" * 5001).text)
        self.assertIn("a subject", self._file(subject="   ").text)
        files = [("attachments", (f"f{i}.txt", b"x", "text/plain")) for i in range(6)]
        self.assertIn("at most 5 files", self._file(files=files).text)
        self.assertEqual(self.env["customer.complaint"].search_count([]), before)

    def test_without_csrf_token_refused(self):
        self.authenticate("cr_portal_wang", "cr_portal_wang")
        before = self.env["customer.complaint"].search_count([])
        response = self.url_open(
            "/my/complaints/new",
            data={"subject": "No token", "customer_words": "Words"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.env["customer.complaint"].search_count([]), before)

    def test_model_refuses_other_order(self):
        Complaint = self.env["customer.complaint"].with_user(self.user_portal)
        with self.assertRefused(UserError, "your own orders"):
            Complaint._portal_file_complaint(
                self.user_portal, "Subject", "Words", self.other_order.id, None, []
            )
        with self.assertRefused(UserError, "a product you ordered"):
            Complaint._portal_file_complaint(
                self.user_portal, "Subject", "Words", None, self.product.id + 10**6, []
            )
        complaint = Complaint._portal_file_complaint(
            self.user_portal, "Subject", "Words", None, self.product.id, []
        )
        self.assertEqual(complaint.product_id, self.product)
        self.assertEqual(Complaint.search([("id", "=", complaint.id)]), complaint)
