# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .complaint_common import ComplaintCase
from .test_complaint_sla import round_the_clock_calendar

MONDAY = datetime(2026, 3, 2, 9, 0, 0)
FRIDAY = datetime(2026, 3, 6, 15, 0, 0)


@tagged("post_install", "-at_install")
class TestComplaintWorkingHours(ComplaintCase):
    """Deadlines in the team's (else the company's) working hours; the clock
    stops at the verdict step; escalation in two levels, each once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Office hours",
                "tz": "UTC",
                "attendance_ids": [
                    Command.clear(),
                    *(
                        Command.create(
                            {
                                "name": f"Day {day} {period}",
                                "dayofweek": str(day),
                                "hour_from": start,
                                "hour_to": end,
                                "day_period": period,
                            }
                        )
                        for day in range(5)
                        for start, end, period in (
                            (8, 12, "morning"),
                            (13, 17, "afternoon"),
                        )
                    ),
                ],
            }
        )
        cls.company.write(
            {
                "resource_calendar_id": cls.calendar.id,
                "complaint_first_response_hours": 4,
                "complaint_escalation_delay_hours": 24,
            }
        )
        cls.team = cls.env["customer.complaint.team"].create(
            {
                "name": "Escalating Desk",
                "escalation_user_id": cls.user_all.id,
                "member_ids": [Command.set(cls.user_own.ids)],
            }
        )
        cls.escalation_type = cls.env.ref(
            "customer_relationship.mail_activity_type_complaint_escalation"
        )

    def _complaint(self, **values):
        # the customer of tier C: factor 1
        return self._create_complaint(
            partner_id=self.customer_free.id, team_id=self.team.id, **values
        )

    def _escalations(self, complaint):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "customer.complaint"),
                ("res_id", "=", complaint.id),
                ("activity_type_id", "=", self.escalation_type.id),
            ]
        )

    def test_deadline_across_the_weekend(self):
        with freeze_time(FRIDAY):
            complaint = self._complaint(priority="3")  # 8 working hours
        # Friday 15-17, Monday 8-12 and 13-15
        self.assertEqual(complaint.sla_deadline, datetime(2026, 3, 9, 15, 0))
        # the apology: Friday 15-17, Monday 8-10
        self.assertEqual(complaint.first_response_deadline, datetime(2026, 3, 9, 10, 0))
        # the team's own calendar wins over the company's
        self.team.resource_calendar_id = round_the_clock_calendar(self.env)
        self.assertEqual(complaint.sla_deadline, FRIDAY + timedelta(hours=8))
        self.assertEqual(complaint.first_response_deadline, FRIDAY + timedelta(hours=4))

    def test_company_leave_is_not_working_time(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Company day off",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 3, 9, 0, 0),
                "date_to": datetime(2026, 3, 9, 23, 59),
            }
        )
        with freeze_time(FRIDAY):
            complaint = self._complaint(priority="3")
        # Monday is off: Friday 15-17, Tuesday 8-12 and 13-15
        self.assertEqual(complaint.sla_deadline, datetime(2026, 3, 10, 15, 0))

    def test_clock_stops_while_waiting_for_the_verdict(self):
        with freeze_time(MONDAY):
            complaint = self._complaint(priority="3")
            planned = complaint.sla_deadline
            self.assertEqual(planned, datetime(2026, 3, 3, 9, 0))
            self.advance(complaint, "verdict")
            self.assertTrue(complaint.sla_paused)
            self.assertEqual(complaint.sla_pause_start, MONDAY)
            self.assertFalse(complaint.sla_escalation_date)
        # long past the deadline, the company still waits: nothing escalates
        with freeze_time(datetime(2026, 3, 4, 9, 0)):
            self.env["customer.complaint"]._cron_check_sla()
        self.assertFalse(complaint.sla_breached)
        self.assertFalse(self._escalations(complaint))
        # the customer answers on Wednesday 9:00: 16 working hours waited
        with freeze_time(datetime(2026, 3, 4, 9, 0)):
            complaint.action_set_verdict_accepted()
        self.assertEqual(complaint.step, "follow_up")
        self.assertFalse(complaint.sla_paused)
        self.assertFalse(complaint.sla_pause_start)
        self.assertEqual(complaint.sla_paused_hours, 16)
        self.assertEqual(complaint.sla_deadline, self.calendar.plan_hours(16, planned))
        self.assertEqual(complaint.sla_deadline, datetime(2026, 3, 5, 9, 0))
        self.assertEqual(complaint.sla_escalation_date, complaint.sla_deadline)

    def test_rejection_pauses_once_per_wait(self):
        with freeze_time(MONDAY):
            complaint = self._complaint(priority="3")
            self.advance(complaint, "verdict")
        with freeze_time(MONDAY + timedelta(hours=2)):  # 2 working hours
            complaint.action_set_verdict_rejected()
        self.assertEqual(complaint.step, "propose")
        self.assertEqual(complaint.sla_paused_hours, 2)
        with freeze_time(MONDAY + timedelta(hours=3)):
            complaint.action_next_step()  # proposed again: waiting
        with freeze_time(MONDAY + timedelta(hours=5)):  # 12-13 is lunch: 1 hour
            complaint.action_set_verdict_accepted()
        self.assertEqual(complaint.sla_paused_hours, 3)

    def test_escalation_levels_once_each(self):
        with freeze_time(MONDAY):
            complaint = self._complaint(priority="3")
        deadline = complaint.sla_deadline
        managers = complaint._escalation_recipients(2)
        self.assertIn(self.user_manager, managers)
        self.assertNotIn(self.user_all, managers)
        with freeze_time(deadline - timedelta(minutes=1)):
            self.env["customer.complaint"]._cron_check_sla()
        self.assertEqual(complaint.escalation_level, 0)
        with freeze_time(deadline + timedelta(minutes=1)):
            self.env["customer.complaint"]._cron_check_sla()
            self.env["customer.complaint"]._cron_check_sla()
        self.assertTrue(complaint.sla_breached)
        self.assertEqual(complaint.escalation_level, 1)
        # level 1: the team's escalation manager, once
        self.assertEqual(self._escalations(complaint).user_id, self.user_all)
        second = self.calendar.plan_hours(24, deadline)
        self.assertEqual(complaint.sla_escalation_date, second)
        with freeze_time(second + timedelta(minutes=1)):
            self.env["customer.complaint"]._cron_check_sla()
            self.env["customer.complaint"]._cron_check_sla()
        self.assertEqual(complaint.escalation_level, 2)
        self.assertFalse(complaint.sla_escalation_date)
        activities = self._escalations(complaint)
        self.assertEqual(activities.user_id, self.user_all | managers)
        self.assertEqual(len(activities), 1 + len(managers))
        with freeze_time(second + timedelta(days=30)):
            self.env["customer.complaint"]._cron_check_sla()
        self.assertEqual(len(self._escalations(complaint)), 1 + len(managers))

    def test_first_response_late_flagged_once(self):
        with freeze_time(MONDAY):
            late = self._complaint(priority="1")
            on_time = self._complaint(priority="1")
            self.advance(on_time, "apologize")
            on_time.write({"apology_sent": True})
        # Monday 9-12 and 13-14
        self.assertEqual(late.first_response_deadline, datetime(2026, 3, 2, 14, 0))
        self.env.flush_all()
        cron = self.env.ref("customer_relationship.ir_cron_complaint_sla")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.assertIn(datetime(2026, 3, 2, 14, 0), triggers.mapped("call_at"))
        with freeze_time(datetime(2026, 3, 2, 14, 1)):
            self.env["customer.complaint"]._cron_check_sla()
            self.env["customer.complaint"]._cron_check_sla()
        self.assertTrue(late.first_response_breached)
        self.assertFalse(on_time.first_response_breached)
        notes = late.message_ids.filtered(
            lambda m: "first response target" in (m.body or "")
        )
        self.assertEqual(len(notes), 1)
        self.assertFalse(late.sla_breached)

    def test_escalation_in_the_managers_language_and_time_zone(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", "customer_relationship")]
        )._update_translations(["zh_CN"])
        self.user_all.write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        self.user_own.write({"lang": "en_US", "tz": "Europe/Brussels"})
        with freeze_time(MONDAY):
            complaint = self._complaint(priority="3", user_id=self.user_own.id)
        # Tuesday 9:00 UTC is 17:00 in Shanghai, 10:00 in Brussels
        self.assertEqual(complaint.sla_deadline, datetime(2026, 3, 3, 9, 0))
        with freeze_time(complaint.sla_deadline + timedelta(minutes=1)):
            self.env["customer.complaint"].with_context(lang="en_US")._cron_check_sla()
        activity = self._escalations(complaint)
        self.assertEqual(activity.user_id, self.user_all)
        self.assertIn("超过 SLA 期限", activity.summary)
        self.assertIn("17:00", str(activity.note))
        self.assertNotIn("10:00", str(activity.note))
        note = complaint.message_ids.filtered(
            lambda m: "escalated to" in (m.body or "")
        )
        self.assertEqual(len(note), 1, "the chatter note is in the handler's English")
        self.assertIn("10:00", note.body)
