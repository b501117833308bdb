# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Several companies, one customer: a profile per company (issue 14)."""

from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .test_profile_refresh import RefreshCase


class CompaniesCase(RefreshCase):
    """Company A (the main company, in its currency) and company B (in CNY,
    with a tier of its own) share a customer; each has its users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-06-15 10:00:00"):
            cls._make_companies()

    @classmethod
    def _make_companies(cls):
        cls.company_a = cls.env.company
        cny = cls.env.ref("base.CNY")
        cny.active = True
        cls.company_b = cls.env["res.company"].create(
            {"name": "B Trading (Shanghai)", "currency_id": cny.id}
        )
        cls.pricelist_b = cls.env["product.pricelist"].create(
            {
                "name": "B Prices",
                "currency_id": cny.id,
                "company_id": cls.company_b.id,
            }
        )
        for company in (cls.company_a, cls.company_b):
            cls.set_settings(company, tier_mode="threshold")
        cls.tier_a.write({"min_revenue": 3000.0, "min_order_count": 1})
        cls.tier_b.write({"min_revenue": 500.0, "min_order_count": 1})
        cls.tier_c.write({"min_revenue": 0.0, "min_order_count": 0})
        # B's own best tier, first in sequence: in CNY
        cls.tier_b_vip = cls.env["customer.tier"].create(
            {
                "name": "B VIP",
                "code": "BVIP",
                "sequence": 0,
                "min_revenue": 5000.0,
                "min_order_count": 1,
                "company_id": cls.company_b.id,
            }
        )
        relationship_all = "customer_relationship.group_user_all,base.group_user"
        cls.user_a = new_test_user(
            cls.env,
            login="cr_company_a",
            groups=relationship_all + ",sales_team.group_sale_salesman",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
            name="Anna of A",
        )
        cls.user_b = new_test_user(
            cls.env,
            login="cr_company_b",
            groups=relationship_all + ",sales_team.group_sale_salesman",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
            name="Bo of B",
        )
        cls.manager_b = new_test_user(
            cls.env,
            login="cr_manager_b",
            groups="customer_relationship.group_manager,sales_team.group_sale_salesman",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
            name="Ma of B",
        )
        cls.shared = cls.create_customer("Shared Customer Ltd")
        # A sells 1,000 (A's currency); B sells 7,000 CNY
        cls.order(cls.shared, datetime(2026, 5, 2, 9), 1000.0)
        cls.order_b(cls.shared, datetime(2026, 5, 3, 9), 3000.0)
        cls.order_b(cls.shared, datetime(2026, 5, 20, 9), 4000.0)
        cls.b_only = cls.create_customer("B Only Buyer")
        cls.order_b(cls.b_only, datetime(2026, 6, 1, 9), 800.0)
        cls.b_owned = cls.create_customer(
            "B's Own Customer", company_id=cls.company_b.id
        )
        cls.order_b(cls.b_owned, datetime(2026, 6, 2, 9), 600.0)

    @classmethod
    def order_b(cls, partner, when, amount, state="sale"):
        """An order of company B, in CNY."""
        order = (
            cls.env["sale.order"]
            .with_company(cls.company_b)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": cls.company_b.id,
                    "pricelist_id": cls.pricelist_b.id,
                    "date_order": when,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "product_uom_qty": 1,
                                "price_unit": amount,
                                "tax_id": False,
                            }
                        )
                    ],
                }
            )
        )
        order.write({"state": state, "date_order": when})
        return order

    def in_company(self, record, company):
        return record.with_company(company)


@tagged("post_install", "-at_install")
@freeze_time("2026-06-15 10:00:00")
class TestProfilePerCompany(CompaniesCase):
    """Each company its profile of a shared customer."""

    # ------------------------------------------------------------
    # Each company its profile
    # ------------------------------------------------------------

    def test_each_company_sees_its_own_profile(self):
        self.run_pass()
        in_a = self.in_company(self.shared, self.company_a)
        in_b = self.in_company(self.shared, self.company_b)
        self.assertEqual(in_a.window_revenue, 1000.0)
        self.assertEqual(in_a.order_count, 1)
        self.assertEqual(in_a.profile_currency_id, self.company_a.currency_id)
        self.assertEqual(in_b.window_revenue, 7000.0, "B's orders, in CNY")
        self.assertEqual(in_b.order_count, 2)
        self.assertEqual(in_b.profile_currency_id, self.env.ref("base.CNY"))
        # B's own tier for B; A never gets it
        self.assertEqual(in_b.customer_tier_id, self.tier_b_vip)
        self.assertEqual(in_a.customer_tier_id, self.tier_b)
        # a customer who only bought from B is new for B, a prospect for A
        self.assertEqual(
            self.in_company(self.b_only, self.company_b).lifecycle_stage, "new"
        )
        self.assertEqual(
            self.in_company(self.b_only, self.company_a).lifecycle_stage, "potential"
        )
        self.assertFalse(self.in_company(self.b_only, self.company_a).order_count)
        # the stage and tier history of each company
        History = self.env["customer.lifecycle.history"]
        rows = History.search([("partner_id", "=", self.shared.id)])
        self.assertEqual(
            set(rows.company_id.ids), {self.company_a.id, self.company_b.id}
        )
        tiers = self.env["customer.tier.history"].search(
            [("partner_id", "=", self.shared.id), ("date_end", "=", False)]
        )
        self.assertEqual(
            {(row.company_id, row.tier_id) for row in tiers},
            {(self.company_a, self.tier_b), (self.company_b, self.tier_b_vip)},
        )

    def test_customer_of_one_company_has_one_profile(self):
        self.run_pass()
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT lifecycle_stage, order_count FROM res_partner WHERE id = %s",
            [self.b_owned.id],
        )
        stage, orders = self.env.cr.fetchone()
        self.assertEqual(stage, {str(self.company_b.id): "new"})
        self.assertEqual(orders, {str(self.company_b.id): 1})

    def test_user_of_a_never_reads_b(self):
        self.run_pass()
        shared = self.shared.with_user(self.user_a)
        self.assertEqual(shared.window_revenue, 1000.0)
        self.assertEqual(shared.customer_tier_id, self.tier_b)
        values = shared.read(["window_revenue", "customer_tier_id", "lifecycle_stage"])
        self.assertEqual(values[0]["window_revenue"], 1000.0)
        self.assertEqual(values[0]["customer_tier_id"][0], self.tier_b.id)
        # asking for company B's values, as an RPC context would
        with self.assertRaises(AccessError):
            shared.with_context(allowed_company_ids=self.company_b.ids).read(
                ["window_revenue"]
            )
        with self.assertRaises(AccessError):
            shared.with_company(self.company_b).customer_tier_id  # noqa: B018
        # searching and grouping see A's figures only
        Partner = self.env["res.partner"].with_user(self.user_a)
        self.assertFalse(
            Partner.search([("id", "=", self.shared.id), ("window_revenue", ">", 5000)])
        )
        self.assertFalse(
            Partner.search(
                [
                    ("id", "=", self.shared.id),
                    ("customer_tier_id", "=", self.tier_b_vip.id),
                ]
            )
        )
        [group] = Partner.read_group(
            [("id", "=", self.shared.id)], ["window_revenue:sum"], []
        )
        self.assertEqual(group["window_revenue"], 1000.0)
        # the history rows of B are B's
        for model in ("customer.lifecycle.history", "customer.tier.history"):
            rows = (
                self.env[model]
                .with_user(self.user_a)
                .search([("partner_id", "=", self.shared.id)])
            )
            self.assertTrue(rows, model)
            self.assertEqual(rows.company_id, self.company_a, model)
        report = self.env["customer.followup.hygiene.report"].with_user(self.user_a)
        self.assertEqual(
            report.search([("partner_id", "=", self.shared.id)]).company_id,
            self.company_a,
        )
        # and the user of B reads B's
        in_b = self.shared.with_user(self.user_b)
        self.assertEqual(in_b.window_revenue, 7000.0)
        self.assertEqual(in_b.customer_tier_id, self.tier_b_vip)
        # the chatter of a shared customer does not tell one company's tier
        # to the other's users
        notes = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.shared.id)]
        )
        self.assertNotIn("VIP", " ".join(notes.mapped("body")))

    def test_settings_of_b_leave_a_unchanged(self):
        self.run_pass()
        before = self.in_company(self.shared, self.company_a).read(
            ["lifecycle_stage", "customer_tier_id", "value_segment", "loyalty_score"]
        )
        self.set_settings(self.company_b, dormant_days=10, mature_order_count=2)
        self.assertEqual(self.company_a._relationship_setting("dormant_days"), 180)
        self.assertEqual(self.company_b._relationship_setting("dormant_days"), 10)
        self.reset_state()
        self.run_pass()
        self.assertEqual(
            self.in_company(self.shared, self.company_a).read(
                [
                    "lifecycle_stage",
                    "customer_tier_id",
                    "value_segment",
                    "loyalty_score",
                ]
            ),
            before,
        )
        # B's two orders make the customer mature with B's 2 orders
        self.assertEqual(
            self.in_company(self.shared, self.company_b).lifecycle_stage, "mature"
        )
        self.assertEqual(
            self.in_company(self.shared, self.company_a).lifecycle_stage, "new"
        )

    def test_settings_page_edits_the_current_company(self):
        Settings = self.env["customer.relationship.settings"].with_user(self.manager_b)
        Settings.create({"dormant_days": 90}).execute()
        self.assertEqual(self.company_b._relationship_setting("dormant_days"), 90)
        self.assertEqual(self.company_a._relationship_setting("dormant_days"), 180)
        with self.assertRaises(ValidationError):
            self.set_settings(self.company_b, loyal_score=101)

    def test_pareto_per_company(self):
        self.set_settings(self.company_b, tier_mode="pareto")
        self.reset_state()
        self.run_pass()
        cutoffs = self.state().pareto_cutoffs
        self.assertEqual(set(cutoffs), {str(self.company_b.id)})
        # a manager reads the cut-offs of their company only
        manager_a = new_test_user(
            self.env,
            login="cr_manager_a",
            groups="customer_relationship.group_manager",
            company_id=self.company_a.id,
            company_ids=[Command.set(self.company_a.ids)],
        )
        self.assertEqual(
            self.state().with_user(self.manager_b).company_pareto_cutoffs,
            cutoffs[str(self.company_b.id)],
        )
        self.assertFalse(self.state().with_user(manager_a).company_pareto_cutoffs)
        with self.assertRaises(AccessError):
            self.state().with_user(self.manager_b).pareto_cutoffs  # noqa: B018
        # B's largest customer in B's Pareto tiers: the first tier (B VIP)
        self.assertEqual(
            self.in_company(self.shared, self.company_b).customer_tier_id,
            self.tier_b_vip,
        )
        self.assertEqual(
            self.in_company(self.shared, self.company_a).customer_tier_id, self.tier_b
        )

    def test_live_update_refreshes_each_company(self):
        self.run_pass()
        with freeze_time("2026-06-16 10:00:00"):
            order = self.order_b(self.shared, datetime(2026, 6, 16, 9), 500.0, "draft")
            order.action_confirm()
            self.env["customer.profile.refresh.queue"]._cron_refresh_live()
        self.assertEqual(
            self.in_company(self.shared, self.company_b).window_revenue, 7500.0
        )
        self.assertEqual(
            self.in_company(self.shared, self.company_a).window_revenue, 1000.0
        )

    # ------------------------------------------------------------
    # Blacklist
    # ------------------------------------------------------------

    def test_blacklist_of_one_company(self):
        self.shared.with_user(self.manager_b).write(
            {"is_customer_blacklisted": True, "blacklist_reason": "fraud"}
        )
        self.assertTrue(
            self.in_company(self.shared, self.company_b).is_blacklisted_in_force
        )
        self.assertFalse(
            self.in_company(self.shared, self.company_a).is_blacklisted_in_force
        )
        self.order(
            self.shared, datetime(2026, 6, 10, 9), 100.0, "draft"
        ).action_confirm()
        with self.assertRaises(UserError):
            self.order_b(
                self.shared, datetime(2026, 6, 10, 9), 100.0, "draft"
            ).action_confirm()

    def test_blacklist_of_the_whole_group(self):
        with self.assertRaises(ValidationError):
            self.shared.with_user(self.manager_b).blacklist_group_wide = True
        with self.assertRaises(AccessError):
            self.shared.with_user(self.user_b).write(
                {
                    "is_customer_blacklisted": True,
                    "blacklist_reason": "fraud",
                    "blacklist_group_wide": True,
                }
            )
        self.shared.with_user(self.manager_b).write(
            {
                "is_customer_blacklisted": True,
                "blacklist_reason": "fraud",
                "blacklist_group_wide": True,
            }
        )
        in_a = self.in_company(self.shared, self.company_a)
        self.assertTrue(in_a.is_blacklisted_in_force)
        self.assertFalse(in_a.is_customer_blacklisted, "A's own list is unchanged")
        with self.assertRaises(UserError):
            self.order(
                self.shared, datetime(2026, 6, 10, 9), 100.0, "draft"
            ).action_confirm()
        found = self.env["res.partner"].search(
            [("id", "=", self.shared.id), ("is_blacklisted_in_force", "=", True)]
        )
        self.assertEqual(found, self.shared)
