# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_module_installed(self):
        module = self.env["ir.module.module"].search(
            [("name", "=", "customer_relationship")]
        )
        self.assertEqual(module.state, "installed")

    def test_groups_are_cumulative(self):
        own = self.env.ref("customer_relationship.group_user_own")
        all_ = self.env.ref("customer_relationship.group_user_all")
        manager = self.env.ref("customer_relationship.group_manager")
        self.assertIn(self.env.ref("base.group_user"), own.implied_ids)
        self.assertIn(own, all_.implied_ids)
        self.assertIn(all_, manager.implied_ids)
        self.assertIn(own, manager.trans_implied_ids)
        self.assertTrue(
            self.env.ref("base.user_admin").has_group(
                "customer_relationship.group_manager"
            )
        )

    def test_default_tiers(self):
        tiers = self.env["customer.tier"].search([("code", "in", ["A", "B", "C"])])
        self.assertEqual(tiers.mapped("code"), ["A", "B", "C"])
        a, _b, c = tiers
        self.assertLess(a.followup_interval_days, c.followup_interval_days)
        self.assertLess(a.complaint_sla_factor, c.complaint_sla_factor)

    def test_tier_partner_count(self):
        tier_a = self.env.ref("customer_relationship.customer_tier_a")
        before = tier_a.partner_count
        self.env["res.partner"].create(
            [{"name": "Tiered %s" % i, "customer_tier_id": tier_a.id} for i in range(3)]
        )
        tier_a.invalidate_recordset(["partner_count"])
        self.assertEqual(tier_a.partner_count, before + 3)
