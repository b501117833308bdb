# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, tagged
from odoo.tools.convert import convert_file

MODULE = "customer_relationship"
# Records an administrator configures: updating the addon must keep them.
CONFIGURATION_MODELS = (
    "customer.complaint.category",
    "customer.complaint.stage",
    "customer.tier",
    "ir.cron",
    "ir.rule",
    "ir.sequence",
    "mail.activity.type",
    "mail.template",
    "res.company",
)


@tagged("post_install", "-at_install")
class TestUpgradeKeepsConfiguration(TransactionCase):
    """`-u customer_relationship` loads the data files again in update mode;
    what an administrator changed since the install must survive it.

    scripts/check_upgrade.sh runs a real update on a database of its own.
    """

    def addon_record(self, xmlid):
        return self.env.ref(f"{MODULE}.{xmlid}")

    def _update_data_files(self):
        """Load the data files as `-u` does."""
        for filename in get_manifest(MODULE)["data"]:
            convert_file(self.env, MODULE, filename, {}, mode="update", noupdate=False)
        self.env.invalidate_all()

    def test_configuration_records_are_noupdate(self):
        data = self.env["ir.model.data"].search(
            [("module", "=", MODULE), ("model", "in", CONFIGURATION_MODELS)]
        )
        self.assertTrue(data)
        updatable = data.filtered(lambda d: not d.noupdate)
        self.assertFalse(
            updatable.mapped("complete_name"),
            "an update would reset these records to their data file",
        )

    def test_update_keeps_edited_configuration(self):
        tier = self.addon_record("customer_tier_a")
        tier.write(
            {
                "name": "A - Strategic accounts",
                "color": 3,
                "followup_interval_days": 9,
                "complaint_sla_factor": 0.4,
            }
        )
        listen = self.addon_record("customer_complaint_stage_listen")
        listen.write({"name": "Hear the customer out", "sequence": 11, "fold": True})
        done = self.addon_record("customer_complaint_stage_done")
        done.mail_template_id = False
        self.addon_record("customer_complaint_category_other").name = "Miscellaneous"
        self.addon_record("customer_complaint_category_billing").active = False
        followup = self.addon_record("mail_activity_type_followup")
        followup.write({"name": "Call the customer", "delay_count": 2})
        self.addon_record("mail_activity_type_greeting").active = False
        nextcall = datetime(2030, 1, 2, 5, 0)
        refresh = self.addon_record("ir_cron_refresh_profiles")
        refresh.write(
            {"interval_number": 6, "interval_type": "hours", "nextcall": nextcall}
        )
        self.addon_record("ir_cron_relationship_reminders").active = False
        self.addon_record("ir_cron_complaint_sla").interval_number = 2
        apology = self.addon_record("mail_template_complaint_apology")
        apology.subject = "We are sorry: {{ object.name }}"
        self.addon_record("seq_customer_complaint").prefix = "CPL/"
        admin = self.env.ref("base.user_admin")
        manager = self.addon_record("group_manager")
        manager.users -= admin
        self.env["res.config.settings"].create(
            {
                "dormant_days": 200,
                "tier_mode": "threshold",
                "blacklist_mode": "warn",
                "complaint_sla_hours_high": 30,
                "complaint_repeat_min_count": 4,
            }
        ).execute()

        self._update_data_files()

        self.assertRecordValues(
            tier,
            [
                {
                    "name": "A - Strategic accounts",
                    "color": 3,
                    "followup_interval_days": 9,
                    "complaint_sla_factor": 0.4,
                }
            ],
        )
        self.assertRecordValues(
            listen, [{"name": "Hear the customer out", "sequence": 11, "fold": True}]
        )
        self.assertFalse(done.mail_template_id)
        self.assertEqual(
            self.addon_record("customer_complaint_category_other").name, "Miscellaneous"
        )
        self.assertFalse(
            self.addon_record("customer_complaint_category_billing").active
        )
        self.assertRecordValues(
            followup, [{"name": "Call the customer", "delay_count": 2}]
        )
        self.assertFalse(self.addon_record("mail_activity_type_greeting").active)
        self.assertRecordValues(
            refresh,
            [{"interval_number": 6, "interval_type": "hours", "nextcall": nextcall}],
        )
        self.assertFalse(self.addon_record("ir_cron_relationship_reminders").active)
        self.assertEqual(self.addon_record("ir_cron_complaint_sla").interval_number, 2)
        self.assertEqual(apology.subject, "We are sorry: {{ object.name }}")
        self.assertEqual(self.addon_record("seq_customer_complaint").prefix, "CPL/")
        self.assertNotIn(admin, manager.users)
        setting = self.env.company._relationship_setting
        self.assertEqual(setting("dormant_days"), 200)
        self.assertEqual(setting("tier_mode"), "threshold")
        self.assertEqual(setting("blacklist_mode"), "warn")
        self.assertRecordValues(
            self.env.company,
            [{"complaint_sla_hours_high": 30, "complaint_repeat_min_count": 4}],
        )

    def test_update_keeps_views_and_groups_current(self):
        """Views and groups stay updatable: an update repairs them."""
        own = self.addon_record("group_user_own")
        own.name = "Renamed by hand"
        self._update_data_files()
        self.assertEqual(own.name, "User: Own Customers")
