# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged, users

from .common import CustomerRelationshipCase

ALL_USERS = ("cr_plain", "cr_own", "cr_all", "cr_manager")


@tagged("post_install", "-at_install")
class TestProfileAccess(CustomerRelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # sudo: set-up data, whatever the levels under test may edit
        cls.customer_own.sudo().write(
            {
                "relationship_level": "preferred_supplier",
                "window_revenue": 12345.0,
                "is_customer_blacklisted": True,
                "blacklist_reason": "unpaid",
                "blacklist_note": "Invoice 2025/042 never paid",
            }
        )

    def partner(self, record):
        """The record as seen by the test's current user."""
        return record.with_env(self.env)

    def login(self):
        return self.env.user.login

    @users(*ALL_USERS)
    def test_read_profile(self):
        partner = self.partner(self.customer_own)
        # Every internal user sees the profile...
        self.assertEqual(partner.relationship_level, "preferred_supplier")
        self.assertTrue(partner.is_customer_blacklisted)
        # ...revenue and blacklist details only relationship users.
        if self.login() == "cr_plain":
            with self.assertRaises(AccessError):
                partner.read(["window_revenue"])
            with self.assertRaises(AccessError):
                partner.read(["blacklist_reason"])
        else:
            values = partner.read(
                ["window_revenue", "blacklist_reason", "blacklist_note"]
            )
            self.assertEqual(values[0]["window_revenue"], 12345.0)
            self.assertEqual(values[0]["blacklist_reason"], "unpaid")

    @users(*ALL_USERS)
    def test_write_profile_fields(self):
        login = self.login()
        vals = {"purchase_intent": "interested", "signal_refers_others": True}
        cases = {
            # customer: who may edit its profile
            self.customer_own: ("cr_own", "cr_all", "cr_manager"),
            self.customer_free: ("cr_own", "cr_all", "cr_manager"),
            self.customer_other: ("cr_all", "cr_manager"),
        }
        for customer, allowed in cases.items():
            partner = self.partner(customer)
            if login in allowed:
                partner.write(vals)
                self.assertEqual(partner.purchase_intent, "interested")
                # sudo: reset by an administrator for the next login
                partner.sudo().purchase_intent = False
            else:
                with self.assertRaises(AccessError, msg=f"{login} on {customer.name}"):
                    partner.write(vals)

    @users(*ALL_USERS)
    def test_level_alliance_managers_only(self):
        partner = self.partner(self.customer_free)
        if self.login() == "cr_manager":
            partner.relationship_level = "alliance"
            self.assertEqual(partner.relationship_level, "alliance")
        else:
            with self.assertRaises(AccessError):
                partner.relationship_level = "alliance"
            with self.assertRaises(AccessError):
                partner.relationship_level = "partner"
            self.assertFalse(self.customer_free.relationship_level)

    @users("cr_own", "cr_all")
    def test_level_partner_cannot_be_undone_by_users(self):
        # sudo: set-up as a manager; the users under test try to undo it
        self.customer_free.sudo().relationship_level = "partner"
        with self.assertRaises(AccessError):
            self.partner(self.customer_free).relationship_level = "buyer"

    @users(*ALL_USERS)
    def test_blacklist_managers_only(self):
        partner = self.partner(self.customer_free)
        vals = {"is_customer_blacklisted": True, "blacklist_reason": "fraud"}
        if self.login() == "cr_manager":
            partner.write(vals)
            self.assertTrue(partner.is_customer_blacklisted)
            self.assertEqual(partner.blacklist_user_id, self.env.user)
            self.assertTrue(partner.blacklist_date)
            partner.is_customer_blacklisted = False
            self.assertFalse(partner.blacklist_reason)
            self.assertFalse(partner.blacklist_user_id)
        else:
            with self.assertRaises(AccessError):
                partner.write(vals)
            with self.assertRaises(AccessError):
                self.partner(self.customer_own).is_customer_blacklisted = False

    @users(*ALL_USERS)
    def test_tier_lock_managers_only(self):
        partner = self.partner(self.customer_free)
        vals = {
            "customer_tier_id": self.tier_a.id,
            "tier_locked": True,
            "tier_lock_reason": "Strategic account",
        }
        if self.login() == "cr_manager":
            partner.write(vals)
            self.assertTrue(partner.tier_locked)
            self.assertEqual(partner.customer_tier_id, self.tier_a)
        else:
            with self.assertRaises(AccessError):
                partner.write(vals)
            with self.assertRaises(AccessError):
                partner.customer_tier_id = self.tier_b

    @users(*ALL_USERS)
    def test_engine_facts_are_read_only(self):
        partner = self.partner(self.customer_own)
        for vals in ({"order_count": 99}, {"lifecycle_stage": "loyal"}):
            with self.assertRaises(AccessError):
                partner.write(vals)

    @users(*ALL_USERS)
    def test_configuration_models(self):
        Tier = self.env["customer.tier"]
        Holiday = self.env["customer.holiday"]
        # Everybody reads the configuration...
        self.assertTrue(Tier.search([("code", "=", "A")]))
        if self.login() == "cr_manager":
            tier = Tier.create({"name": "D - Small", "code": "D", "sequence": 40})
            tier.followup_interval_days = 120
            holiday = Holiday.create({"name": "中秋节", "date": "2026-09-25"})
            holiday.unlink()
            tier.unlink()
        else:
            with self.assertRaises(AccessError):
                Tier.create({"name": "D - Small", "code": "D"})
            with self.assertRaises(AccessError):
                Tier.browse(self.tier_a.id).followup_interval_days = 1
            with self.assertRaises(AccessError):
                Holiday.create({"name": "中秋节", "date": "2026-09-25"})

    @users("cr_own")
    def test_form_alliance_refused(self):
        """Through the form, an own user choosing Strategic Alliance gets a clear
        error when saving, and nothing is saved."""
        form = Form(self.partner(self.customer_own), view="base.view_partner_form")
        form.relationship_level = "alliance"
        with self.assertRefused(AccessError, "Strategic Alliance"):
            form.save()
        self.customer_own.invalidate_recordset()
        self.assertEqual(self.customer_own.relationship_level, "preferred_supplier")

    @users("cr_own")
    def test_form_readonly_for_others_customers(self):
        form = Form(self.partner(self.customer_other), view="base.view_partner_form")
        with self.assertRaises(AssertionError):
            form.purchase_intent = "interested"
        with self.assertRaises(AssertionError):
            form.customer_tier_id = self.tier_a
