# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CustomerRelationshipCase


@tagged("post_install", "-at_install")
@freeze_time("2026-06-15")
class TestFollowupWriter(CustomerRelationshipCase):
    """One writer of the follow-up dates, whatever records the follow-up."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.followup_type = cls.env.ref(
            "customer_relationship.mail_activity_type_followup"
        )
        cls.customer_own.customer_tier_id = cls.tier_b  # a 30-day cadence

    def pending_followup(self, partner):
        return partner.activity_schedule(
            activity_type_id=self.followup_type.id, user_id=self.user_own.id
        )

    def test_logged_followup_keeps_its_dates(self):
        """A back-dated log with a chosen next date closes the pending
        reminder without the reminder moving the dates again."""
        activity = self.pending_followup(self.customer_own)
        wizard = (
            self.env["customer.followup.log"]
            .with_user(self.user_own)
            .create(
                {
                    "partner_id": self.customer_own.id,
                    "summary": "Called on Friday",
                    "followup_date": "2026-06-12",
                    "next_date": "2026-08-01",
                }
            )
        )
        wizard.action_log()
        self.assertFalse(activity.exists() and activity.active)
        self.assertRecordValues(
            self.customer_own,
            [
                {
                    "last_followup_date": date(2026, 6, 12),
                    "next_followup_date": date(2026, 8, 1),
                    "last_followup_source": "log",
                }
            ],
        )

    def test_activity_done_records_a_followup(self):
        """Marking a follow-up done on a contact records it on the company, at
        the customer's cadence, and closes the company's other reminder."""
        on_contact = self.pending_followup(self.contact_own)
        on_company = self.pending_followup(self.customer_own)
        on_contact.with_user(self.user_own).action_feedback(feedback="Reached")
        self.assertRecordValues(
            self.customer_own,
            [
                {
                    "last_followup_date": date(2026, 6, 15),
                    "next_followup_date": date(2026, 7, 15),
                    "last_followup_source": "activity",
                }
            ],
        )
        self.assertFalse(on_company.exists() and on_company.active)

    def test_next_date_without_cadence(self):
        """Without own or tier cadence the default cadence (Settings) plans
        the next follow-up, the same for the wizard and the writer."""
        customer = self.customer_free
        self.assertFalse(customer.custom_followup_interval_days)
        self.assertFalse(customer.customer_tier_id)
        self.assertEqual(customer.followup_interval_days, 30)
        planned = customer._followup_next_date(date(2026, 6, 15))
        wizard = self.env["customer.followup.log"].create(
            {"partner_id": customer.id, "summary": "Introduced ourselves"}
        )
        self.assertEqual(wizard.next_date, planned)
        customer._record_followup(date(2026, 6, 15))
        self.assertEqual(customer.next_followup_date, planned)
