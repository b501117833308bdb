# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .complaint_common import ComplaintCase, step_facts

NOW = datetime(2026, 3, 2, 9, 0, 0)


def round_the_clock_calendar(env):
    """Working hours of every hour of every day, in UTC: deadlines in
    working hours are then wall-clock deadlines."""
    return env["resource.calendar"].create(
        {
            "name": "Round the clock",
            "tz": "UTC",
            "attendance_ids": [
                Command.clear(),
                *(
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 0,
                            "hour_to": 24,
                        }
                    )
                    for day in range(7)
                ),
            ],
        }
    )


@tagged("post_install", "-at_install")
class TestComplaintSla(ComplaintCase):
    """The SLA in wall-clock hours (a round-the-clock working calendar)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "resource_calendar_id": round_the_clock_calendar(cls.env).id,
                # the resolution target alone: see test_complaint_sla_working_hours
                "complaint_first_response_hours": 0,
            }
        )
        # the company's first team, of the complaints created here, has none
        cls.env.ref("customer_relationship.customer_complaint_team_default").write(
            {"resource_calendar_id": False, "escalation_user_id": False}
        )
        cls.cron = cls.env.ref("customer_relationship.ir_cron_complaint_sla")
        cls.escalation_type = cls.env.ref(
            "customer_relationship.mail_activity_type_complaint_escalation"
        )

    def _triggers_at(self, when):
        return self.env["ir.cron.trigger"].search(
            [("cron_id", "=", self.cron.id), ("call_at", "=", when)]
        )

    def _escalations(self, complaint):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "customer.complaint"),
                ("res_id", "=", complaint.id),
                ("activity_type_id", "=", self.escalation_type.id),
            ]
        )

    def _escalate_urgent_complaint(self, escalation_user):
        """The escalations of an urgent complaint (4 hours for tier A) that the
        SLA check finds 5 hours later, ``escalation_user`` being the setting."""
        self.company.complaint_escalation_user_id = escalation_user
        with freeze_time(NOW):
            complaint = self._create_complaint(priority="3")
        with freeze_time(NOW + timedelta(hours=5)):
            self.env["customer.complaint"]._cron_check_sla()
        return self._escalations(complaint)

    @freeze_time(NOW)
    def test_deadline_from_priority_and_tier(self):
        # tier A halves the 72 hours of a normal complaint
        complaint = self._create_complaint(priority="1")
        self.assertEqual(complaint.complaint_date, NOW)
        self.assertEqual(complaint.sla_deadline, NOW + timedelta(hours=36))
        self.env.flush_all()
        self.assertTrue(self._triggers_at(NOW + timedelta(hours=36)))
        # priority change: urgent, 8 hours x 0.5
        complaint.priority = "3"
        self.assertEqual(complaint.sla_deadline, NOW + timedelta(hours=4))
        self.env.flush_all()
        self.assertTrue(self._triggers_at(NOW + timedelta(hours=4)))
        # tier change of the customer: C has factor 1
        self.customer_own.customer_tier_id = self.tier_c
        self.assertEqual(complaint.sla_deadline, NOW + timedelta(hours=8))
        # tier factor change
        self.tier_c.complaint_sla_factor = 2.0
        self.assertEqual(complaint.sla_deadline, NOW + timedelta(hours=16))
        self.env.flush_all()
        self.assertTrue(self._triggers_at(NOW + timedelta(hours=16)))
        # customer without tier: factor 1
        other = self._create_complaint(partner_id=self.customer_free.id, priority="0")
        self.customer_free.customer_tier_id = False
        self.assertEqual(other.sla_deadline, NOW + timedelta(hours=120))

    @freeze_time(NOW)
    def test_no_deadline_when_hours_zero(self):
        self.company.complaint_sla_hours_low = 0
        complaint = self._create_complaint(priority="0")
        self.assertFalse(complaint.sla_deadline)

    def test_breach_escalates_once(self):
        with freeze_time(NOW):
            complaint = self._create_complaint(priority="2")  # 24h x 0.5
            late_but_closed = self._create_complaint(priority="2")
            on_time = self._create_complaint(priority="0")
            self.advance(late_but_closed, "cancelled")
        deadline = NOW + timedelta(hours=12)
        self.assertEqual(complaint.sla_deadline, deadline)
        with freeze_time(deadline - timedelta(minutes=1)):
            self.env["customer.complaint"]._cron_check_sla()
        self.assertFalse(complaint.sla_breached)
        with freeze_time(deadline + timedelta(minutes=1)):
            self.env["customer.complaint"]._cron_check_sla()
            self.assertTrue(complaint.sla_breached)
            self.assertEqual(complaint.sla_success, 0)
            self.assertFalse(on_time.sla_breached)
            self.assertFalse(late_but_closed.sla_breached)
            activity = self._escalations(complaint)
            self.assertEqual(len(activity), 1)
            # no escalation manager set: the first Customer Relationship manager
            managers = self.env.ref("customer_relationship.group_manager").users
            self.assertIn(activity.user_id, managers)
            self.assertFalse(activity.user_id._is_superuser())
            self.assertIn("SLA breached", activity.summary)
            self.assertIn("escalated to", complaint.message_ids[0].body)
            # the cron running again escalates nothing twice
            self.env["customer.complaint"]._cron_check_sla()
            complaint.sla_breached = False
            self.env["customer.complaint"]._cron_check_sla()
            self.assertEqual(len(self._escalations(complaint)), 1)

    def test_escalation_manager_setting(self):
        activity = self._escalate_urgent_complaint(self.user_manager)
        self.assertEqual(activity.user_id, self.user_manager)

    def test_cron_books_the_next_deadline(self):
        """After a run, the cron is woken again at the next open deadline."""
        # no second escalation of the first one before the other's deadline
        self.company.complaint_escalation_delay_hours = 100
        with freeze_time(NOW):
            self._create_complaint(priority="3")  # 4 hours
            later = self._create_complaint(priority="1")  # 36 hours
            self.env.flush_all()
            self.env["ir.cron.trigger"].search(
                [("cron_id", "=", self.cron.id)]
            ).unlink()
        with freeze_time(NOW + timedelta(hours=5)):
            self.env["customer.complaint"]._cron_check_sla()
        self.assertEqual(
            self.env["ir.cron.trigger"]
            .search([("cron_id", "=", self.cron.id)])
            .mapped("call_at"),
            [later.sla_deadline],
        )

    def test_escalation_user_without_access_falls_back(self):
        activity = self._escalate_urgent_complaint(self.user_plain)
        self.assertEqual(len(activity), 1)
        self.assertNotEqual(activity.user_id, self.user_plain)
        self.assertTrue(
            activity.user_id.has_group("customer_relationship.group_manager")
        )

    def test_cron_batches(self):
        with freeze_time(NOW):
            complaints = self._create_complaint(priority="3") | self._create_complaint(
                priority="3"
            )
        with freeze_time(NOW + timedelta(days=1)):
            self.env["customer.complaint"]._cron_check_sla(batch_size=1)
            self.assertEqual(len(complaints.filtered("sla_breached")), 1)
            self.env["customer.complaint"]._cron_check_sla(batch_size=1)
            self.assertEqual(len(complaints.filtered("sla_breached")), 2)

    def test_closing_late_flags_breach(self):
        with freeze_time(NOW):
            complaint = self._create_complaint(priority="3")  # 4 hours
            self.advance(complaint, "follow_up")
            complaint.write(step_facts("follow_up"))
        with freeze_time(NOW + timedelta(hours=30)):
            complaint.action_next_step()
        self.assertEqual(complaint.step, "done")
        self.assertEqual(complaint.closed_date, NOW + timedelta(hours=30))
        self.assertEqual(complaint.resolution_hours, 30)
        self.assertEqual(complaint.resolution_days, 1.25)
        self.assertTrue(complaint.sla_breached)
        self.assertEqual(complaint.sla_success, 0)
        # the deadline of a closed complaint does not move any more
        complaint.priority = "0"
        self.assertEqual(complaint.sla_deadline, NOW + timedelta(hours=4))

    def test_settings_reject_negative_values(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.complaint_sla_hours_urgent, 8)
        with self.assertRefused(ValidationError, "cannot be negative"):
            self.company.complaint_refund_approval_limit = -1
        with self.assertRefused(ValidationError, "High Priority"):
            self.company.complaint_sla_hours_high = -2
        with self.assertRefused(ValidationError, "at least one"):
            self.company.complaint_repeat_min_count = 0
        with Form(self.env["res.config.settings"]) as form:
            form.complaint_sla_hours_urgent = 6
            form.complaint_refund_approval_limit = 2500
        form.record.execute()
        self.assertEqual(self.company.complaint_sla_hours_urgent, 6)
        self.assertEqual(self.company.complaint_refund_approval_limit, 2500)
