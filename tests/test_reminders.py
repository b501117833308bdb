# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import CustomerRelationshipCase

TODAY = "2026-06-15"


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestReminders(CustomerRelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Reminder = cls.env["customer.relationship.reminder"]
        cls.Activity = cls.env["mail.activity"].with_context(active_test=False)
        cls.types = {
            kind: cls.env.ref(f"customer_relationship.mail_activity_type_{kind}")
            for kind in ("followup", "winback", "reorder", "prospect", "greeting")
        }
        # Only our customers need reminders in these tests.
        Partner = cls.env["res.partner"]
        Partner.search(
            Partner._commercial_domain()
            + [("id", "not in", (cls.customer_own | cls.customer_other).ids)]
        ).write({"do_not_contact": True})
        cls.customer_free.write({"do_not_contact": False})

    def run_reminders(self):
        self.Reminder._cron_relationship_reminders()

    def activities(self, kind, partner=None, active=True):
        domain = [
            ("res_model", "=", "res.partner"),
            ("activity_type_id", "=", self.types[kind].id),
            ("active", "=", active),
        ]
        if partner:
            domain.append(("res_id", "=", partner.id))
        return self.Activity.search(domain)

    def test_followup_never_then_done(self):
        self.customer_own.write({"order_count": 3})
        self.run_reminders()
        self.run_reminders()
        activity = self.activities("followup", self.customer_own)
        self.assertEqual(len(activity), 1, "never duplicated")
        self.assertEqual(activity.user_id, self.user_own)
        self.assertEqual(activity.date_deadline, date(2026, 6, 15))
        self.assertIn("never followed up", activity.summary)
        # A customer without order nor follow-up is no one's to follow up yet.
        self.assertFalse(self.activities("followup", self.customer_free))
        # Marking it done is a follow-up: dates move, no new reminder.
        activity.with_user(self.user_own).action_feedback(feedback="Called, all fine")
        self.assertEqual(self.customer_own.last_followup_date, date(2026, 6, 15))
        self.assertEqual(self.customer_own.next_followup_date, date(2026, 7, 15))
        self.assertEqual(self.customer_own.followup_state, "on_track")
        self.run_reminders()
        self.assertFalse(self.activities("followup", self.customer_own))
        self.assertEqual(len(self.activities("followup", self.customer_own, False)), 1)

    def test_followup_overdue_and_exclusions(self):
        vals = {"last_followup_date": "2026-04-01", "next_followup_date": "2026-05-01"}
        self.customer_own.write(vals)
        self.customer_other.write(vals)
        self.run_reminders()
        activity = self.activities("followup", self.customer_own)
        self.assertEqual(activity.date_deadline, date(2026, 5, 1))
        self.assertTrue(self.activities("followup", self.customer_other))
        # The reason goes away for a do-not-contact or blacklisted customer.
        self.customer_own.do_not_contact = True
        self.customer_other.write(
            {"is_customer_blacklisted": True, "blacklist_reason": "fraud"}
        )
        self.run_reminders()
        self.assertFalse(self.activities("followup", self.customer_own))
        self.assertFalse(self.activities("followup", self.customer_other))

    def test_minimum_contact_interval(self):
        self.customer_own.write(
            {
                "last_followup_date": "2026-06-05",
                "next_followup_date": "2026-06-14",
                "min_contact_interval_days": 30,
            }
        )
        self.run_reminders()
        self.assertFalse(self.activities("followup", self.customer_own))
        self.customer_own.min_contact_interval_days = 5
        self.run_reminders()
        self.assertTrue(self.activities("followup", self.customer_own))

    def test_winback(self):
        self.customer_own.write(
            {
                "lifecycle_stage": "dormant_temporary",
                "lifecycle_stage_date": "2026-06-10",
                "last_order_date": "2025-11-01",
                "order_count": 4,
                "last_followup_date": "2026-06-10",
                "next_followup_date": "2026-08-01",
            }
        )
        self.run_reminders()
        activity = self.activities("winback", self.customer_own)
        self.assertEqual(len(activity), 1)
        activity.action_feedback(feedback="Offered a discount")
        self.run_reminders()
        self.assertFalse(self.activities("winback", self.customer_own), "handled")
        # Permanently dormant later: a new attempt.
        with freeze_time("2026-06-16"):
            self.customer_own.write(
                {
                    "lifecycle_stage": "dormant_permanent",
                    "lifecycle_stage_date": "2026-06-16",
                }
            )
            self.run_reminders()
        self.assertTrue(self.activities("winback", self.customer_own))
        # The customer orders again: the reason is gone.
        self.customer_own.write(
            {"lifecycle_stage": "new", "lifecycle_stage_date": TODAY}
        )
        self.run_reminders()
        self.assertFalse(self.activities("winback", self.customer_own))

    def test_reorder(self):
        self.customer_own.write(
            {
                "order_count": 3,
                "last_order_date": "2026-05-16",
                "expected_reorder_date": "2026-06-15",
                "lifecycle_stage": "new",
                "last_followup_date": "2026-06-10",
                "next_followup_date": "2026-08-01",
            }
        )
        self.run_reminders()
        self.assertEqual(
            self.activities("reorder", self.customer_own).date_deadline,
            date(2026, 6, 15),
        )
        self.customer_own.write(
            {"last_order_date": TODAY, "expected_reorder_date": "2026-07-15"}
        )
        self.run_reminders()
        self.assertFalse(self.activities("reorder", self.customer_own))

    def test_prospects(self):
        self.customer_own.write(
            {"purchase_intent": "not_now", "expected_purchase_date": "2026-06-20"}
        )
        self.customer_other.write(
            {"purchase_intent": "quoted_no_reply", "quote_date": "2026-06-07"}
        )
        self.customer_free.write(
            {"purchase_intent": "quoted_no_reply", "quote_date": "2026-06-10"}
        )
        self.run_reminders()
        self.assertEqual(
            self.activities("prospect", self.customer_own).date_deadline,
            date(2026, 6, 20),
        )
        self.assertTrue(self.activities("prospect", self.customer_other))
        self.assertFalse(self.activities("prospect", self.customer_free), "5 days only")
        self.customer_other.purchase_intent = "interested"
        self.run_reminders()
        self.assertFalse(self.activities("prospect", self.customer_other))

    def test_greetings(self):
        self.customer_own.write(
            {"greetings_opt_in": True, "company_anniversary": "2010-06-17"}
        )
        self.contact_own.birthday = "1980-06-18"
        self.customer_other.write({"company_anniversary": "2001-06-16"})  # no opt-in
        self.run_reminders()
        anniversary = self.activities("greeting", self.customer_own)
        self.assertEqual(anniversary.date_deadline, date(2026, 6, 17))
        birthday = self.activities("greeting", self.contact_own)
        self.assertEqual(birthday.date_deadline, date(2026, 6, 18))
        self.assertEqual(birthday.user_id, self.user_own)
        self.assertFalse(self.activities("greeting", self.customer_other))
        self.run_reminders()
        self.assertEqual(len(self.activities("greeting")), 2)
        # Past the occasion, an undone greeting is removed.
        with freeze_time("2026-06-19"):
            self.run_reminders()
        self.assertFalse(self.activities("greeting", self.customer_own))

    def test_holiday_greetings_and_assignment(self):
        leader = self.user_all
        team = self.env["crm.team"].create({"name": "East", "user_id": leader.id})
        self.customer_free.write({"greetings_opt_in": True})
        # Its latest order was sold by the East team.
        order = self.env["sale.order"].create(
            {"partner_id": self.customer_free.id, "team_id": team.id, "user_id": False}
        )
        self.customer_own.write({"greetings_opt_in": True})
        self.env["customer.holiday"].create({"name": "端午节", "date": "2026-06-17"})
        self.run_reminders()
        free = self.activities("greeting", self.customer_free)
        self.assertEqual(free.user_id, leader)
        self.assertIn("端午节", free.summary)
        self.assertEqual(
            self.activities("greeting", self.customer_own).user_id, self.user_own
        )
        # Without salesperson nor team: the configured user.
        order.team_id = False
        free.unlink()
        self.set_param("reminder_user_id", str(self.user_manager.id))
        self.run_reminders()
        self.assertEqual(
            self.activities("greeting", self.customer_free).user_id, self.user_manager
        )


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestFollowupLog(CustomerRelationshipCase):
    def test_log_followup(self):
        self.customer_own.write(
            {"preferred_channel": "visit", "customer_tier_id": self.tier_b.id}
        )
        followup_type = self.env.ref(
            "customer_relationship.mail_activity_type_followup"
        )
        activity = self.customer_own.activity_schedule(
            activity_type_id=followup_type.id, user_id=self.user_own.id
        )
        wizard_model = (
            self.env["customer.followup.log"]
            .with_user(self.user_own)
            .with_context(active_model="res.partner", active_id=self.contact_own.id)
        )
        form = Form(wizard_model)
        self.assertEqual(form.partner_id, self.customer_own)
        self.assertEqual(form.channel, "visit")
        self.assertEqual(form.next_date, date(2026, 7, 15))  # tier B: 30 days
        form.summary = "Visited the plant, new line planned"
        form.outcome = "interested"
        form.save().action_log()
        self.assertEqual(self.customer_own.last_followup_date, date(2026, 6, 15))
        self.assertEqual(self.customer_own.next_followup_date, date(2026, 7, 15))
        self.assertFalse(activity.active, "the pending follow-up is done")
        note = self.customer_own.message_ids[:1]
        self.assertIn("Visited the plant", note.body)
        self.assertIn("Visit", note.body)

    def test_log_followup_refused(self):
        wizard_model = self.env["customer.followup.log"]
        with self.assertRaises(UserError):
            wizard_model.create(
                {
                    "partner_id": self.customer_own.id,
                    "summary": "x",
                    "followup_date": "2026-06-20",
                }
            ).action_log()
        with self.assertRaises(UserError):
            wizard_model.create(
                {
                    "partner_id": self.customer_own.id,
                    "summary": "x",
                    "next_date": "2026-06-01",
                }
            ).action_log()
        # Someone else's customer, for an "own customers" user.
        wizard = wizard_model.with_user(self.user_own).create(
            {"partner_id": self.customer_other.id, "summary": "Called"}
        )
        with self.assertRaises(AccessError):
            wizard.action_log()
        self.assertFalse(self.customer_other.last_followup_date)
