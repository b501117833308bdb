# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_contacts_tour(self):
        """A user logs in and opens the Contacts app and a customer's profile."""
        self.env["res.partner"].create(
            {
                "name": "Tour Customer Ltd",
                "is_company": True,
                "customer_tier_id": self.env.ref(
                    "customer_relationship.customer_tier_a"
                ).id,
            }
        )
        self.start_tour("/odoo", "customer_relationship_contacts", login="admin")
