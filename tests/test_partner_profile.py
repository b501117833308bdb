# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CustomerRelationshipCase


@tagged("post_install", "-at_install")
class TestPartnerProfile(CustomerRelationshipCase):
    def assertRejected(self, partner, vals, message_part):
        """Writing vals raises a ValidationError naming the problem and saves
        nothing."""
        before = {name: partner[name] for name in vals}
        with self.assertRefused(ValidationError, message_part):
            partner.write(vals)
        partner.invalidate_recordset()
        for name, value in before.items():
            self.assertEqual(partner[name], value, "%s was saved" % name)

    # Bad input

    def test_negative_days_rejected(self):
        self.assertRejected(
            self.customer_own, {"min_contact_interval_days": -1}, "negative"
        )
        self.assertRejected(
            self.customer_own, {"custom_followup_interval_days": -5}, "negative"
        )

    def test_share_of_wallet_is_a_percentage(self):
        self.assertRejected(self.customer_own, {"share_of_wallet": 101}, "0 and 100")
        self.assertRejected(self.customer_own, {"share_of_wallet": -1}, "0 and 100")
        self.customer_own.share_of_wallet = 66.7
        self.assertEqual(self.customer_own.share_of_wallet, 66.7)

    def test_purchase_intent_needs_its_facts(self):
        self.assertRejected(
            self.customer_own,
            {"purchase_intent": "not_now", "relationship_level": "buyer"},
            "expected purchase date",
        )
        self.assertRejected(
            self.customer_own,
            {"purchase_intent": "will_not_buy", "no_purchase_reason": "  "},
            "reason",
        )
        self.assertRejected(
            self.customer_own, {"purchase_intent": "quoted_no_reply"}, "quote date"
        )
        self.customer_own.write(
            {"purchase_intent": "not_now", "expected_purchase_date": "2027-03-01"}
        )
        self.assertEqual(self.customer_own.expected_purchase_date, date(2027, 3, 1))

    def test_blacklist_needs_a_reason(self):
        self.assertRejected(
            self.customer_own, {"is_customer_blacklisted": True}, "needs a reason"
        )

    def test_tier_lock_needs_a_reason(self):
        self.assertRejected(
            self.customer_own,
            {"customer_tier_id": self.tier_a.id, "tier_locked": True},
            "needs a reason",
        )

    def test_contact_profile_is_the_company_s(self):
        self.assertRejected(
            self.contact_own, {"relationship_level": "buyer"}, "Own Customer Co"
        )
        # Key-people facts belong to the contact.
        self.contact_own.write(
            {"relationship_role": "decision_maker", "influence": "high"}
        )
        self.assertEqual(self.contact_own.relationship_role, "decision_maker")
        with self.assertRaises(ValidationError):
            self.env["res.partner"].create(
                {
                    "name": "New Contact",
                    "parent_id": self.customer_own.id,
                    "purchase_intent": "interested",
                }
            )

    def test_settings_rejected(self):
        Settings = self.env["res.config.settings"]
        with self.assertRefused(ValidationError, "negative"):
            Settings.create({"dormant_days": -10})
        with self.assertRefused(ValidationError, "100"):
            Settings.create(
                {
                    "pareto_share_a": 70,
                    "pareto_share_b": 20,
                    "pareto_share_c": 5,
                }
            )
        with self.assertRaises(ValidationError):
            Settings.create({"steady_months": 13, "steady_window_months": 12})
        # Nothing was stored.
        self.assertEqual(self.env.company._relationship_setting("dormant_days"), 180)
        self.assertEqual(self.env.company._relationship_setting("pareto_share_a"), 80)
        settings = Settings.create({"dormant_days": 200})
        settings.execute()
        self.assertEqual(self.env.company._relationship_setting("dormant_days"), 200)

    # Derived facts

    def test_luxury_relationship(self):
        self.customer_own.write(
            {"customer_tier_id": self.tier_c.id, "relationship_level": "alliance"}
        )
        self.customer_other.write(
            {"customer_tier_id": self.tier_a.id, "relationship_level": "alliance"}
        )
        self.customer_free.write(
            {"customer_tier_id": self.tier_c.id, "relationship_level": "buyer"}
        )
        partners = self.customer_own | self.customer_other | self.customer_free
        self.assertEqual(
            partners.mapped("is_luxury_relationship"), [True, False, False]
        )
        found = self.env["res.partner"].search(
            [("id", "in", partners.ids), ("is_luxury_relationship", "=", True)]
        )
        self.assertEqual(found, self.customer_own)
        found = self.env["res.partner"].search(
            [("id", "in", partners.ids), ("is_luxury_relationship", "=", False)]
        )
        self.assertEqual(found, self.customer_other | self.customer_free)

    def test_loyalty_quadrant(self):
        partner = self.customer_own
        self.assertFalse(partner.loyalty_quadrant, "not a classified customer")
        partner.write({"customer_tier_id": self.tier_a.id, "loyalty_score": 80})
        self.assertEqual(partner.loyalty_quadrant, "core")
        partner.customer_tier_id = self.tier_c
        self.assertEqual(partner.loyalty_quadrant, "develop")
        partner.loyalty_score = 69
        self.assertEqual(partner.loyalty_quadrant, "phase_out")
        partner.loyalty_strength = "strong"
        self.assertEqual(partner.loyalty_quadrant, "balance")

    def test_followup_cadence(self):
        partner = self.customer_own
        partner.customer_tier_id = self.tier_b
        self.assertEqual(partner.followup_interval_days, 30)
        partner.last_followup_date = date(2026, 5, 1)
        self.assertEqual(partner.next_followup_date, date(2026, 5, 31))
        partner.custom_followup_interval_days = 7
        self.assertEqual(partner.followup_interval_days, 7)
        self.assertEqual(partner.next_followup_date, date(2026, 5, 8))
        # A date chosen with the follow-up wins over the cadence.
        partner.write(
            {"last_followup_date": date(2026, 6, 1), "next_followup_date": "2026-09-01"}
        )
        self.assertEqual(partner.next_followup_date, date(2026, 9, 1))

    def test_key_people_coverage(self):
        company = self.customer_own
        self.assertFalse(company.has_executive_tie or company.has_working_tie)
        self.contact_own.relationship_role = "user"
        company.invalidate_recordset(["has_executive_tie", "has_working_tie"])
        self.assertFalse(company.has_executive_tie)
        self.assertTrue(company.has_working_tie)
        self.env["res.partner"].create(
            {
                "name": "Zhao Lei",
                "parent_id": company.id,
                "relationship_role": "executive",
            }
        )
        company.invalidate_recordset(["has_executive_tie", "has_working_tie"])
        self.assertTrue(company.has_executive_tie)

    # Searches on days since: conditions on dates, with a controlled today

    @freeze_time("2026-06-15")
    def test_days_since_order_search(self):
        recent, old, never = self.customer_own, self.customer_other, self.customer_free
        recent.write({"last_order_date": "2026-06-01", "order_count": 3})
        old.write({"last_order_date": "2026-01-01", "order_count": 1})
        ids = (recent | old | never).ids
        self.assertEqual(recent.days_since_order, 14)
        self.assertEqual(old.days_since_order, 165)

        def search(domain):
            return self.env["res.partner"].search([("id", "in", ids), *domain])

        self.assertEqual(search([("days_since_order", ">", 90)]), old)
        self.assertEqual(
            search([("days_since_order", ">", 165)]), self.env["res.partner"]
        )
        self.assertEqual(search([("days_since_order", ">=", 165)]), old)
        self.assertEqual(search([("days_since_order", "<=", 14)]), recent)
        self.assertEqual(search([("days_since_order", "=", 14)]), recent)
        self.assertEqual(search([("days_since_order", "!=", 14)]), old)
        self.assertEqual(search([("never_purchased", "=", True)]), never)
        self.assertEqual(search([("never_purchased", "=", False)]), recent | old)
        self.assertTrue(never.never_purchased)
        # A contact shows its company's purchase history.
        self.assertFalse(self.contact_own.never_purchased)
        self.assertEqual(self.contact_own.days_since_order, 14)

    @freeze_time("2026-06-15")
    def test_followup_state_search(self):
        Partner = self.env["res.partner"]
        never = self.customer_free
        overdue, due, on_track = (
            self.customer_own,
            self.customer_other,
            Partner.create({"name": "On Track Co", "is_company": True}),
        )
        overdue.write(
            {"last_followup_date": "2026-04-01", "next_followup_date": "2026-06-14"}
        )
        due.write(
            {"last_followup_date": "2026-05-20", "next_followup_date": "2026-06-18"}
        )
        on_track.write(
            {"last_followup_date": "2026-06-10", "next_followup_date": "2026-07-10"}
        )
        partners = never | overdue | due | on_track
        self.assertEqual(
            partners.mapped("followup_state"), ["never", "overdue", "due", "on_track"]
        )
        self.assertEqual(overdue.days_since_followup, 75)
        self.assertEqual(self.contact_own.followup_state, "overdue")
        for state, expected in (
            ("never", never),
            ("overdue", overdue),
            ("due", due),
            ("on_track", on_track),
        ):
            found = Partner.search(
                [("id", "in", partners.ids), ("followup_state", "=", state)]
            )
            self.assertEqual(found, expected, state)
        found = Partner.search(
            [("id", "in", partners.ids), ("followup_state", "in", ["due", "overdue"])]
        )
        self.assertEqual(found, overdue | due)
        found = Partner.search(
            [("id", "in", partners.ids), ("followup_state", "!=", "never")]
        )
        self.assertEqual(found, overdue | due | on_track)
        found = Partner.search(
            [("id", "in", partners.ids), ("days_since_followup", ">", 30)]
        )
        self.assertEqual(found, overdue)

    def test_unsupported_search_operators_are_refused(self):
        """A search the computed profile fields cannot answer is refused with
        a message, not a server error."""
        Partner = self.env["res.partner"].with_user(self.user_all)
        for domain in (
            [("never_purchased", "in", [True])],
            [("is_staff_partner", "in", [True])],
            [("is_luxury_relationship", "in", [True])],
            [("days_since_order", "like", "3")],
        ):
            with self.subTest(domain=domain), self.assertRaises(UserError):
                Partner.search(domain)
