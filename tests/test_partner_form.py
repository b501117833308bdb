# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import Form, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPartnerForm(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tier_b = cls.env.ref("customer_relationship.customer_tier_b")

    def test_company_form_sets_tier(self):
        """The Relationship page of the standard partner form edits the tier."""
        with Form(self.env["res.partner"], view="base.view_partner_form") as form:
            form.company_type = "company"
            form.name = "Form Test Trading Co."
            form.customer_tier_id = self.tier_b
        partner = form.record
        self.assertEqual(partner.customer_tier_id, self.tier_b)
        self.assertTrue(partner.is_company)

    def test_contact_form_hides_profile(self):
        """A company's contact does not carry a profile of its own."""
        company = self.env["res.partner"].create(
            {"name": "Form Test Holding", "is_company": True}
        )
        with Form(self.env["res.partner"], view="base.view_partner_form") as form:
            form.name = "Li Lei"
            form.parent_id = company
            with self.assertRaises(AssertionError):
                form.customer_tier_id = self.tier_b
