# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import CustomerRelationshipCase


@tagged("post_install", "-at_install")
class TestFollowupHygieneReport(CustomerRelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["customer.followup.hygiene.report"]
        today = fields.Date.context_today(cls.Report)
        cls.today = today
        # Bought, never followed up: the profile refresh's order count.
        cls.customer_other.write({"order_count": 2})
        cls.customer_free.write(
            {
                "order_count": 1,
                "do_not_contact": True,
            }
        )
        followup = cls.env.ref("customer_relationship.mail_activity_type_followup")
        reorder = cls.env.ref("customer_relationship.mail_activity_type_reorder")
        Activity = cls.env["mail.activity"]
        model_id = cls.env["ir.model"]._get_id("res.partner")

        def activity(partner, activity_type, user, deadline_days):
            return Activity.create(
                {
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    "date_deadline": today + timedelta(days=deadline_days),
                }
            )

        late = activity(cls.customer_own, reorder, cls.user_own, -5)
        on_time = activity(cls.customer_own, reorder, cls.user_own, 2)
        (late | on_time).action_feedback(feedback="Done")
        # Overdue: its last contact (those reminders done) corrected by hand.
        cls.customer_own.write(
            {
                "last_followup_date": today - timedelta(days=40),
                "next_followup_date": today - timedelta(days=10),
            }
        )
        # An open reminder past due, on a contact: counted for its company.
        activity(cls.contact_own, reorder, cls.user_own, -1)
        activity(cls.customer_other, followup, cls.user_other_own, 3)
        # Other activities are not reminders of ours.
        activity(
            cls.customer_other,
            cls.env.ref("mail.mail_activity_data_todo"),
            cls.user_other_own,
            -3,
        )
        cls.env.flush_all()

    def totals(self, user):
        groups = self.Report.with_user(user)._read_group(
            [("partner_id", "in", self.customers.ids)],
            ["user_id"],
            [
                "customer_count:sum",
                "followup_overdue_count:sum",
                "never_followed_up_count:sum",
                "reminder_count:sum",
                "reminder_open_late_count:sum",
                "reminder_done_count:sum",
                "reminder_done_late_count:sum",
                "days_late:avg",
            ],
        )
        return {salesperson: values for salesperson, *values in groups}

    @property
    def customers(self):
        return self.customer_own | self.customer_other | self.customer_free

    def test_counts_per_salesperson(self):
        totals = self.totals(self.user_manager)
        self.assertEqual(
            totals[self.user_own],
            # customers, overdue, never, reminders, past due, done, done late, days
            [1, 1, 0, 3, 1, 2, 1, 5.0],
        )
        self.assertEqual(totals[self.user_other_own], [1, 0, 1, 1, 0, 0, 0, False])
        # A do-not-contact customer is nobody's to follow up.
        self.assertNotIn(self.env["res.users"], totals)

    def test_own_customers_only(self):
        totals = self.totals(self.user_own)
        self.assertEqual(list(totals), [self.user_own])
        self.assertEqual(
            set(self.totals(self.user_all)), {self.user_own, self.user_other_own}
        )
        self.assertFalse(self.Report.with_user(self.user_plain).has_access("read"))
