# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged

from ..models.res_partner import (
    FOLLOWUP_STATES,
    LIFECYCLE_STAGES,
    PURCHASE_INTENTS,
    RELATIONSHIP_LEVELS,
    VALUE_SEGMENTS,
)

PREFIX = "customer_relationship.res_partner_demo_"
# What the profile refresh makes of each demo customer: tier, stage, segment.
EXPECTED = {
    "golden_dragon": ("A", "loyal", "golden"),
    "shenzhen_bright": ("A", "new", "meteor"),
    "yangtze_logistics": ("A", "mature", "golden"),
    "hangzhou_silk": ("B", "mature", "golden"),
    "wuhan_steel": ("B", "dormant_temporary", "meteor"),
    "chengdu_spice": ("C", "new", False),
    "suzhou_garden": ("C", "new", "small_star"),
    "harbin_frost": ("C", "new", "burden"),
    "guangzhou_quick": ("C", "new", False),
    "tianjin_harbour": ("C", "dormant_permanent", False),
    "li_wei": ("C", "new", False),
    "qingdao_ocean": (False, "potential", False),
    "xiamen_tea": (False, "potential", False),
    "nanjing_office": (False, "potential", False),
    "dalian_port": (False, "potential", False),
    "kunming_flower": (False, "potential", False),
}


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo data shows every category, and the profile refresh put it there."""

    def setUp(self):
        super().setUp()
        golden = self.env.ref(PREFIX + "golden_dragon", raise_if_not_found=False)
        if not golden:
            self.skipTest("The demo data is not loaded.")
        # The orders are dated from the day the demo was loaded: later, the
        # customers move on (and may leave their category), as real ones do.
        today = fields.Date.context_today(golden)
        self.refresh = self.env["customer.profile.refresh"].search([], limit=1)
        if not self.refresh or today - self.refresh.date > timedelta(days=1):
            self.skipTest("The demo data was loaded on another day.")
        self.customers = {key: self.env.ref(PREFIX + key) for key in EXPECTED}
        self.all = self.env["res.partner"].concat(*self.customers.values())

    def assertCovers(self, values, selection, what):
        self.assertEqual(
            {value for value in values if value},
            {key for key, _label in selection},
            "every %s is represented" % what,
        )

    def test_engine_results(self):
        self.assertTrue(self.refresh.done, "a real refresh pass computed the profiles")
        for key, (tier, stage, segment) in EXPECTED.items():
            partner = self.customers[key]
            self.assertEqual(partner.customer_tier_id.code or False, tier, key)
            self.assertEqual(partner.lifecycle_stage, stage, key)
            self.assertEqual(partner.value_segment, segment, key)
            if stage != "potential":
                self.assertTrue(partner.last_order_date, key)
                self.assertTrue(partner.order_count, key)
        golden = self.customers["golden_dragon"]
        self.assertGreaterEqual(golden.loyalty_score, 70)
        self.assertEqual(golden.loyalty_quadrant, "core")
        self.assertEqual(golden.order_count, 14)
        history = golden.lifecycle_history_ids.sorted("date_start")
        # built from the orders: new on the first, loyal since the tenth
        self.assertEqual(history.mapped("stage"), ["new", "loyal"])
        self.assertEqual(history[0].date_start, golden.first_order_date)
        self.assertEqual(history[-1].date_start, golden.lifecycle_stage_date)

    def test_every_category_is_represented(self):
        partners = self.all
        self.assertEqual(set(partners.customer_tier_id.mapped("code")), {"A", "B", "C"})
        self.assertCovers(
            partners.mapped("relationship_level"), RELATIONSHIP_LEVELS, "level"
        )
        self.assertCovers(partners.mapped("lifecycle_stage"), LIFECYCLE_STAGES, "stage")
        self.assertCovers(partners.mapped("value_segment"), VALUE_SEGMENTS, "segment")
        self.assertCovers(
            partners.mapped("purchase_intent"), PURCHASE_INTENTS, "purchase intent"
        )
        self.assertCovers(
            partners.mapped("followup_state"), FOLLOWUP_STATES, "follow-up state"
        )
        luxury = partners.filtered("is_luxury_relationship")
        self.assertEqual(luxury, self.customers["harbin_frost"])
        self.assertEqual(luxury.customer_tier_id.code, "C")

    def test_prospects_and_files(self):
        by_intent = {p.purchase_intent: p for p in self.all if p.purchase_intent}
        self.assertTrue(by_intent["not_now"].expected_purchase_date)
        self.assertTrue(by_intent["will_not_buy"].no_purchase_reason)
        self.assertTrue(by_intent["will_not_buy"].product_feedback)
        self.assertTrue(by_intent["quoted_no_reply"].quote_date)
        self.assertTrue(self.all.filtered("never_purchased"))
        # Contact preferences and customer files.
        self.assertGreaterEqual(
            len(set(self.all.mapped("preferred_channel")) - {False}), 4
        )
        self.assertTrue(self.all.filtered("min_contact_interval_days"))
        self.assertTrue(self.all.filtered("do_not_contact"))
        self.assertTrue(self.all.filtered("best_contact_time"))
        self.assertTrue(self.all.filtered("company_anniversary"))
        self.assertTrue(self.all.filtered("birthday"))
        self.assertTrue(self.all.filtered("greetings_opt_in"))
        self.assertTrue(self.all.filtered("share_of_wallet"))
        self.assertTrue(self.all.filtered("competitor_notes"))
        self.assertTrue(self.all.filtered("economic_notes"))
        # Key people: both ties, only an executive tie, only a working-level tie.
        golden = self.customers["golden_dragon"]
        self.assertTrue(golden.has_executive_tie and golden.has_working_tie)
        hangzhou = self.customers["hangzhou_silk"]
        self.assertTrue(hangzhou.has_executive_tie)
        self.assertFalse(hangzhou.has_working_tie)
        yangtze = self.customers["yangtze_logistics"]
        self.assertFalse(yangtze.has_executive_tie)
        self.assertTrue(yangtze.has_working_tie)
        roles = set(self.all.child_ids.mapped("relationship_role"))
        self.assertLessEqual({"decision_maker", "executive", "user"}, roles)
        # A blacklisted customer, with its reason.
        blacklisted = self.all.filtered("is_customer_blacklisted")
        self.assertEqual(blacklisted, self.customers["guangzhou_quick"])
        self.assertEqual(blacklisted.blacklist_reason, "unpaid")
        self.assertTrue(blacklisted.blacklist_user_id)

    def test_complaints_in_every_step(self):
        complaints = self.env["customer.complaint"].search([])
        steps = self.env["customer.complaint.stage"]._fields["step"].selection
        self.assertEqual(set(complaints.mapped("step")), {key for key, _label in steps})
        harbin = self.customers["harbin_frost"]
        self.assertGreaterEqual(harbin.complaint_count_12m, 3)
        self.assertTrue(
            complaints.filtered(lambda c: c.rejection_count and c.step == "propose")
        )
        self.assertTrue(
            complaints.filtered(lambda c: c.step == "done" and c.rating_last_value)
        )

    def test_reminders(self):
        Activity = self.env["mail.activity"].with_context(active_test=False)
        for kind in ("followup", "winback", "reorder", "prospect", "greeting"):
            activity_type = self.env.ref(
                "customer_relationship.mail_activity_type_%s" % kind
            )
            self.assertTrue(
                Activity.search_count(
                    [
                        ("res_model", "=", "res.partner"),
                        ("res_id", "in", self.all.ids),
                        ("activity_type_id", "=", activity_type.id),
                    ]
                ),
                "a %s reminder" % kind,
            )
        done = Activity.search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", self.all.ids),
                ("active", "=", False),
            ]
        )
        self.assertTrue(done.filtered(lambda a: a.date_done > a.date_deadline))
        self.assertTrue(done.filtered(lambda a: a.date_done <= a.date_deadline))
        # No reminder for the blacklisted nor the do-not-contact customers.
        excluded = self.all.filtered(
            lambda p: p.is_customer_blacklisted or p.do_not_contact
        )
        self.assertFalse(
            Activity.search_count(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", excluded.ids),
                    ("active", "=", True),
                ]
            )
        )

    def test_levels_tiers_and_stages_in_action(self):
        ref = self.env.ref
        key_prices = ref("customer_relationship.product_pricelist_demo_key_customers")
        tier_a = self.all.filtered(lambda p: p.customer_tier_id.code == "A")
        self.assertEqual(
            tier_a.mapped("specific_property_product_pricelist"), key_prices
        )
        harbin = self.customers["harbin_frost"]
        self.assertEqual(harbin.luxury_reason, "lowest_tier")
        # its complaints and refund cost, but less than half its revenue
        self.assertGreater(harbin.window_cost, 0)
        self.assertLess(harbin.window_cost, harbin.window_revenue / 2)
        ningbo = ref(PREFIX + "ningbo_cafe")
        self.assertEqual(ningbo.lifecycle_stage, "new")
        self.assertFalse(ningbo.purchase_intent, "a customer now")
        welcome = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", ningbo.id)]
        )
        self.assertEqual(
            welcome.activity_type_id,
            ref("customer_relationship.mail_activity_type_welcome_call")
            | ref("customer_relationship.mail_activity_type_satisfaction_check"),
        )
        self.assertEqual(welcome.user_id, ningbo.user_id)
        bund = ref(PREFIX + "shanghai_bund")
        self.assertEqual(bund.purchase_intent, "quoted_no_reply")
        self.assertEqual(bund.quote_date, self.refresh.date)
        quote = ref("customer_relationship.sale_order_demo_shanghai_bund_quote")
        self.assertEqual(quote.prospect_previous_intent, "hesitating")
