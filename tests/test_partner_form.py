# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.tests import Form, tagged

from .common import CustomerRelationshipCase


@tagged("post_install", "-at_install")
class TestPartnerForm(CustomerRelationshipCase):
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


@tagged("post_install", "-at_install")
class TestPartnerFormConditional(CustomerRelationshipCase):
    """The Relationship page shows each fact when it applies, and requires it."""

    def form(self, partner=None, user=None):
        partner = (partner or self.customer_own).with_user(user or self.user_manager)
        return Form(partner, view="base.view_partner_form")

    def assertVisible(self, form, name, visible=True):
        self.assertEqual(
            not form._get_modifier(name, "invisible"), visible, "%s visibility" % name
        )

    def test_purchase_intent_fields(self):
        form = self.form()
        for name in ("expected_purchase_date", "no_purchase_reason", "quote_date"):
            self.assertVisible(form, name, False)
        form.purchase_intent = "not_now"
        self.assertVisible(form, "expected_purchase_date")
        self.assertTrue(form._get_modifier("expected_purchase_date", "required"))
        with self.assertRaises(AssertionError):
            form.save()  # the required date is missing
        form.expected_purchase_date = date(2027, 1, 15)
        form.save()
        self.assertEqual(self.customer_own.expected_purchase_date, date(2027, 1, 15))

        form = self.form()
        form.purchase_intent = "will_not_buy"
        self.assertVisible(form, "no_purchase_reason")
        self.assertVisible(form, "product_feedback")
        self.assertVisible(form, "expected_purchase_date", False)
        form.no_purchase_reason = "Budget frozen until next year"
        form.product_feedback = "Packaging too large"
        form.save()
        self.assertEqual(self.customer_own.purchase_intent, "will_not_buy")

        form = self.form()
        form.purchase_intent = "quoted_no_reply"
        self.assertVisible(form, "quote_date")
        self.assertTrue(form._get_modifier("quote_date", "required"))
        form.quote_date = date(2026, 11, 2)
        form.save()
        self.assertEqual(self.customer_own.quote_date, date(2026, 11, 2))

    def test_tier_lock_and_blacklist_fields(self):
        form = self.form()
        self.assertVisible(form, "tier_lock_reason", False)
        form.customer_tier_id = self.tier_a
        form.tier_locked = True
        self.assertVisible(form, "tier_lock_reason")
        form.tier_lock_reason = "Group contract"
        self.assertVisible(form, "blacklist_reason", False)
        form.is_customer_blacklisted = True
        self.assertVisible(form, "blacklist_reason")
        self.assertTrue(form._get_modifier("blacklist_reason", "required"))
        form.blacklist_reason = "broke_trust"
        form.save()
        self.assertTrue(self.customer_own.tier_locked)
        self.assertEqual(self.customer_own.blacklist_user_id, self.user_manager)

    def test_birthday_on_people_anniversary_on_companies(self):
        form = self.form()
        self.assertVisible(form, "company_anniversary")
        self.assertVisible(form, "key_people_ids")
        person = self.env["res.partner"].create({"name": "Chen Jie"})
        form = self.form(person)
        self.assertVisible(form, "company_anniversary", False)
        self.assertVisible(form, "key_people_ids", False)
        form.birthday = date(1985, 8, 8)
        form.greetings_opt_in = True
        form.save()
        self.assertEqual(person.birthday, date(1985, 8, 8))

    def test_contact_shows_company_profile_read_only(self):
        self.customer_own.write(
            {"customer_tier_id": self.tier_a.id, "relationship_level": "partner"}
        )
        form = self.form(self.contact_own)
        self.assertEqual(form.commercial_customer_tier_id, self.tier_a)
        self.assertEqual(form.commercial_relationship_level, "partner")
        with self.assertRaises(AssertionError):
            form.commercial_relationship_level = "buyer"
        form.relationship_role = "finance"
        form.influence = "medium"
        form.save()
        self.assertEqual(self.contact_own.relationship_role, "finance")

    def test_read_only_for_plain_users(self):
        form = self.form(user=self.user_plain)
        with self.assertRaises(AssertionError):
            form.purchase_intent = "interested"
        with self.assertRaises(AssertionError):
            form.is_customer_blacklisted = True
