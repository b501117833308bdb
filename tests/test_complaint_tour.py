# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestComplaintTour(HttpCase):
    def test_complaint_tour(self):
        """A handler takes a complaint from Listen to Done in the web client."""
        user = new_test_user(
            self.env,
            login="cr_tour_handler",
            password="cr_tour_handler",
            groups="base.group_user,customer_relationship.group_user_own",
            name="Tina Handler",
        )
        customer = self.env["res.partner"].create(
            {
                "name": "Tour Complaint Customer Ltd",
                "is_company": True,
                "customer_tier_id": self.env.ref(
                    "customer_relationship.customer_tier_b"
                ).id,
            }
        )
        self.start_tour(
            "/odoo", "customer_relationship_complaint", login="cr_tour_handler"
        )
        complaint = self.env["customer.complaint"].search(
            [("partner_id", "=", customer.id)]
        )
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.step, "done")
        self.assertEqual(complaint.user_id, user)
        self.assertEqual(complaint.channel, "phone")
        self.assertTrue(complaint.apology_sent)
        self.assertEqual(complaint.customer_reasonable, "yes")
        self.assertEqual(complaint.solution_type, "replace")
        self.assertEqual(complaint.verdict, "accepted")
        self.assertEqual(str(complaint.followup_date), "2026-03-15")
        self.assertTrue(complaint.closed_date)
