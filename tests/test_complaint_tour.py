# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import CustomerRelationshipCase


@tagged("post_install", "-at_install")
class TestComplaintTour(HttpCase, CustomerRelationshipCase):
    def test_complaint_tour(self):
        """A handler takes a complaint from Listen to Done in the web client."""
        customer = self.create_customer(
            "Tour Complaint Customer Ltd",
            customer_tier_id=self.tier_b.id,
            email="service@tour-complaint.example.com",
        )
        team = self.env["customer.complaint.team"].create(
            {"name": "Tour Desk", "member_ids": [Command.link(self.user_own.id)]}
        )
        self.start_tour("/odoo", "customer_relationship_complaint", login="cr_own")
        complaint = self.env["customer.complaint"].search(
            [("partner_id", "=", customer.id)]
        )
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.step, "done")
        self.assertEqual(complaint.user_id, self.user_own)
        self.assertEqual(complaint.team_id, team)
        self.assertEqual(complaint.name, "Machine stopped after two days")
        self.assertEqual(complaint.channel, "phone")
        self.assertTrue(complaint.apology_sent)
        self.assertEqual(complaint.customer_reasonable, "yes")
        self.assertEqual(complaint.solution_type, "replace")
        self.assertEqual(complaint.verdict, "accepted")
        self.assertEqual(str(complaint.followup_date), "2026-03-15")
        self.assertTrue(complaint.closed_date)
        # the proposal went to the customer with the link to answer it online
        proposal = complaint.message_ids.filtered(
            lambda m: "accept or reject the proposed solution online" in (m.body or "")
        )
        self.assertEqual(len(proposal), 1)
        self.assertIn(customer.commercial_partner_id, proposal.partner_ids)
        self.assertIn(complaint.access_url, proposal.body)

    def test_complaint_portal_tour(self):
        """A customer files a complaint about their order on the portal."""
        order = self.create_order(self.customer_own)
        order.action_confirm()
        self.start_tour(
            "/my/complaints",
            "customer_relationship_complaint_portal",
            login="cr_portal_wang",
        )
        complaint = self.env["customer.complaint"].search(
            [("name", "=", "Labels peel off")]
        )
        self.assertEqual(len(complaint), 1)
        self.assertRecordValues(
            complaint,
            [
                {
                    "partner_id": self.customer_own.id,
                    "contact_id": self.contact_own.id,
                    "channel": "portal",
                    "step": "listen",
                    "sale_order_id": order.id,
                }
            ],
        )
