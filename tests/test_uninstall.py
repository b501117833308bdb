# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ..hooks import uninstall_hook
from ..models.sale_order import PROFILE_ORDER_INDEX


@tagged("post_install", "-at_install")
class TestUninstallHook(TransactionCase):
    """What Odoo would leave behind on uninstall: the hook removes it.

    scripts/check_uninstall.sh uninstalls the addon for real.
    """

    def test_uninstall_hook(self):
        partner = self.env["res.partner"].create({"name": "Uninstalled Customer"})
        followup_type = self.env.ref(
            "customer_relationship.mail_activity_type_followup"
        )
        reminder = partner.activity_schedule(activity_type_id=followup_type.id)
        todo = partner.activity_schedule("mail.mail_activity_data_todo")
        done = partner.activity_schedule(activity_type_id=followup_type.id)
        done.action_done()
        self.env["ir.config_parameter"].set_param(
            "customer_relationship.reminder_run_date", "2026-01-01"
        )
        self.env["ir.config_parameter"].set_param("customer_relationshipXother", "1")
        partner.customer_tier_id = self.env.ref("customer_relationship.customer_tier_c")
        self.env["customer.complaint"].create(
            {"partner_id": partner.id, "customer_words": "Late again."}
        )

        uninstall_hook(self.env)

        activities = self.env["mail.activity"].with_context(active_test=False)
        self.assertFalse(
            activities.search([("activity_type_id", "=", followup_type.id)])
        )
        self.assertFalse(reminder.exists())
        self.assertTrue(todo.exists(), "activities of other types stay")
        self.assertTrue(partner.exists())
        params = self.env["ir.config_parameter"]
        self.assertFalse(params.get_param("customer_relationship.reminder_run_date"))
        self.assertEqual(params.get_param("customer_relationshipXother"), "1")
        self.env.cr.execute(
            SQL("SELECT 1 FROM pg_indexes WHERE indexname = %s", PROFILE_ORDER_INDEX)
        )
        self.assertFalse(self.env.cr.fetchall())
        # Nothing holds the tiers and stages any more.
        self.assertFalse(partner.customer_tier_id)
        self.assertFalse(
            self.env["customer.complaint"].with_context(active_test=False).search([])
        )
