# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Several companies, one customer: follow-ups, cadence and reminders per
company (issue 14)."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import SQL

from .test_multi_company import CompaniesCase

TODAY = date(2026, 6, 15)


@tagged("post_install", "-at_install")
@freeze_time("2026-06-15 10:00:00")
class TestFollowupsPerCompany(CompaniesCase):
    """A follows the shared customer up on its cadence, B on its own; each
    company's reminders go to its people."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        # only the customers of the test need reminders
        Partner.search(Partner._commercial_domain()).write({"do_not_contact": True})
        (cls.shared | cls.b_only | cls.b_owned).write({"do_not_contact": False})
        cls.set_settings(cls.company_a, followup_default_interval_days=30)
        cls.set_settings(
            cls.company_b,
            followup_default_interval_days=10,
            reminder_user_id=cls.user_b.id,
        )
        cls.set_param("reminder_user_id", "0", cls.company_a)
        # Sam sells for A and B; Anna only for A
        cls.user_ab = new_test_user(
            cls.env,
            login="cr_company_ab",
            groups="customer_relationship.group_user_all,base.group_user,"
            "sales_team.group_sale_salesman",
            company_id=cls.company_a.id,
            company_ids=[Command.set((cls.company_a | cls.company_b).ids)],
            name="Sam of A and B",
        )
        # no sales team: who follows up comes from the salesperson, else the
        # company's reminders user
        cls.env["sale.order"].search(
            [("partner_id", "in", (cls.shared | cls.b_only | cls.b_owned).ids)]
        ).write({"team_id": False})
        cls.Reminder = cls.env["customer.relationship.reminder"]
        cls.Activity = cls.env["mail.activity"].with_context(active_test=False)

    def run_reminders(self):
        self.Reminder._cron_relationship_reminders()

    def reminders(self, partner, company, active=True, kind="followup"):
        return self.Activity.search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("customer_reminder_kind", "=", kind),
                ("customer_reminder_company_id", "=", company.id),
                ("active", "=", active),
            ]
        )

    # ------------------------------------------------------------
    # Follow-up dates and cadence
    # ------------------------------------------------------------

    def test_a_followup_is_the_company_of_the_user(self):
        shared_a = self.shared.with_user(self.user_a).with_company(self.company_a)
        shared_a._record_followup(date(2026, 6, 10))
        in_a = self.shared.with_company(self.company_a)
        in_b = self.shared.with_company(self.company_b)
        self.assertEqual(in_a.last_followup_date, date(2026, 6, 10))
        self.assertEqual(in_a.next_followup_date, date(2026, 7, 10), "A's 30 days")
        self.assertFalse(in_b.last_followup_date, "B never followed it up")
        self.assertFalse(in_b.next_followup_date)
        self.assertEqual(in_b.followup_state, "never")
        self.assertEqual(in_a.followup_state, "on_track")
        # B's follow-up, on B's cadence, leaves A's as it was
        self.shared.with_user(self.user_b).with_company(
            self.company_b
        )._record_followup(date(2026, 6, 12), source="message")
        self.assertEqual(in_b.last_followup_date, date(2026, 6, 12))
        self.assertEqual(in_b.last_followup_source, "message")
        self.assertEqual(in_b.next_followup_date, date(2026, 6, 22), "B's 10 days")
        self.assertEqual(in_a.last_followup_date, date(2026, 6, 10))
        self.assertEqual(in_a.next_followup_date, date(2026, 7, 10))
        self.assertEqual(in_a.last_followup_source, "log")
        # searches read the current company's dates
        Partner = self.env["res.partner"].with_user(self.user_b)
        self.assertIn(
            self.shared,
            Partner.search([("last_followup_date", "=", "2026-06-12")]),
        )
        self.assertNotIn(
            self.shared,
            Partner.with_user(self.user_a).search(
                [("last_followup_date", "=", "2026-06-12")]
            ),
        )

    def test_a_customer_of_one_company_is_followed_up_in_it(self):
        """A user working for A and B, in A, writes to B's own customer: the
        follow-up is B's."""
        self.b_owned.with_user(self.user_ab).with_company(
            self.company_a
        )._record_followup(date(2026, 6, 14))
        self.assertEqual(
            self.b_owned.with_company(self.company_b).last_followup_date,
            date(2026, 6, 14),
        )
        self.assertFalse(self.b_owned.with_company(self.company_a).last_followup_date)

    def test_cadence_and_dates_per_company(self):
        in_a = self.shared.with_company(self.company_a)
        in_b = self.shared.with_company(self.company_b)
        in_a.last_followup_date = date(2026, 6, 1)
        in_b.last_followup_date = date(2026, 6, 5)
        self.assertEqual(in_a.next_followup_date, date(2026, 7, 1))
        self.assertEqual(in_b.next_followup_date, date(2026, 6, 15))
        # B's own cadence moves B's plan only
        in_b.followup_interval_days = 7
        self.assertEqual(in_b.custom_followup_interval_days, 7)
        self.assertEqual(in_b.next_followup_date, date(2026, 6, 12))
        self.assertFalse(in_a.custom_followup_interval_days)
        self.assertEqual(in_a.next_followup_date, date(2026, 7, 1))
        # a date set by hand in A stays when A's default cadence changes;
        # B's planned date follows B's default cadence
        in_a.next_followup_date = date(2026, 6, 20)
        self.assertTrue(in_a.next_followup_manual)
        self.assertFalse(in_b.next_followup_manual)
        self.set_settings(self.company_a, followup_default_interval_days=60)
        self.assertEqual(in_a.next_followup_date, date(2026, 6, 20))
        in_b.custom_followup_interval_days = 0
        self.assertEqual(in_b.next_followup_date, date(2026, 6, 15), "B's default")
        self.set_settings(self.company_b, followup_default_interval_days=20)
        self.assertEqual(in_b.next_followup_date, date(2026, 6, 25))
        self.assertEqual(in_a.next_followup_date, date(2026, 6, 20))

    def test_form_plans_the_next_followup_of_its_company(self):
        partner = self.shared.with_user(self.user_b).with_company(self.company_b)
        with Form(partner) as form:
            form.last_followup_date = date(2026, 6, 3)
            self.assertEqual(form.next_followup_date, date(2026, 6, 13))
        self.assertEqual(partner.next_followup_date, date(2026, 6, 13))
        self.assertFalse(partner.next_followup_manual)
        self.assertFalse(self.shared.with_company(self.company_a).last_followup_date)

    def test_new_tier_replans_the_company_followups(self):
        """The pass gives B's tier to the shared customer: B's follow-up
        planned from the cadence follows the tier's cadence; A's stays."""
        self.tier_b_vip.followup_interval_days = 5
        in_a = self.shared.with_company(self.company_a)
        in_b = self.shared.with_company(self.company_b)
        in_a.last_followup_date = date(2026, 6, 1)
        in_b.last_followup_date = date(2026, 6, 1)
        self.assertEqual(in_b.next_followup_date, date(2026, 6, 11))
        self.run_pass()
        self.assertEqual(in_b.customer_tier_id, self.tier_b_vip)
        self.assertEqual(in_b.next_followup_date, date(2026, 6, 6), "the tier's 5")
        self.assertEqual(
            in_a.next_followup_date,
            date(2026, 6, 1) + timedelta(days=in_a.followup_interval_days),
        )

    # ------------------------------------------------------------
    # Reminders
    # ------------------------------------------------------------

    def test_each_company_reminds_its_people(self):
        """Anna sells only for A: A's reminder of the shared customer is
        hers, B's goes to B's reminders user. B's own customer gets B's
        reminder only."""
        self.run_pass()
        self.shared.user_id = self.user_a
        self.run_reminders()
        in_a = self.reminders(self.shared, self.company_a)
        in_b = self.reminders(self.shared, self.company_b)
        self.assertEqual(len(in_a), 1)
        self.assertEqual(in_a.user_id, self.user_a)
        self.assertEqual(len(in_b), 1)
        self.assertEqual(in_b.user_id, self.user_b, "B's reminders user")
        self.assertIn(self.company_b.name, in_b.summary)
        self.assertIn(self.company_a.name, in_a.summary)
        self.assertFalse(self.reminders(self.b_owned, self.company_a))
        self.assertEqual(len(self.reminders(self.b_owned, self.company_b)), 1)
        # b_only bought from B only: A does not follow it up
        self.assertFalse(self.reminders(self.b_only, self.company_a))
        self.assertEqual(len(self.reminders(self.b_only, self.company_b)), 1)
        queue = self.env["customer.followup.queue"].search(
            [("customer_id", "=", self.shared.id)]
        )
        self.assertEqual(
            sorted(queue.mapped("company_id.id")),
            sorted((self.company_a | self.company_b).ids),
        )
        # B's user sees B's queue row only
        self.assertEqual(
            self.env["customer.followup.queue"]
            .with_user(self.user_b)
            .search([("customer_id", "=", self.shared.id)])
            .company_id,
            self.company_b,
        )
        # a second run the same day changes nothing
        self.run_reminders()
        self.assertEqual(self.reminders(self.shared, self.company_a), in_a)
        self.assertEqual(self.reminders(self.shared, self.company_b), in_b)

    def test_a_salesperson_of_both_companies_gets_both(self):
        self.run_pass()
        self.shared.user_id = self.user_ab
        self.run_reminders()
        in_a = self.reminders(self.shared, self.company_a)
        in_b = self.reminders(self.shared, self.company_b)
        self.assertEqual((in_a | in_b).user_id, self.user_ab)
        self.assertEqual(len(in_a | in_b), 2)

    def test_a_reminder_done_is_its_company_followup(self):
        self.run_pass()
        self.shared.user_id = self.user_ab
        self.run_reminders()
        in_b = self.reminders(self.shared, self.company_b)
        # Sam works in A today, and marks B's reminder done
        in_b.with_user(self.user_ab).with_company(self.company_a).action_done()
        self.assertFalse(self.reminders(self.shared, self.company_b))
        self.assertEqual(
            self.shared.with_company(self.company_b).last_followup_date, TODAY
        )
        self.assertFalse(self.shared.with_company(self.company_a).last_followup_date)
        self.assertEqual(
            len(self.reminders(self.shared, self.company_a)), 1, "A's stays open"
        )
        # the next run does not remind B again; A's stays
        self.run_reminders()
        self.assertFalse(self.reminders(self.shared, self.company_b))
        self.assertEqual(len(self.reminders(self.shared, self.company_a)), 1)

    def test_a_followup_closes_its_company_reminders_only(self):
        self.run_pass()
        self.shared.user_id = self.user_ab
        self.run_reminders()
        in_a = self.reminders(self.shared, self.company_a)
        self.shared.with_user(self.user_ab).with_company(
            self.company_b
        )._record_followup(TODAY)
        self.assertFalse(self.reminders(self.shared, self.company_b))
        self.assertEqual(self.reminders(self.shared, self.company_a), in_a)

    def test_capacity_per_company(self):
        """Sam's capacity is counted in each company: B's reminders do not use
        up A's."""
        self.set_settings(self.company_a, followup_daily_capacity=1)
        self.set_settings(self.company_b, followup_daily_capacity=1)
        self.run_pass()
        (self.shared | self.b_only | self.b_owned).user_id = self.user_ab
        self.run_reminders()
        open_reminders = self.Activity.search(
            [("customer_reminder_kind", "!=", False), ("user_id", "=", self.user_ab.id)]
        )
        self.assertEqual(
            sorted(open_reminders.mapped("customer_reminder_company_id.id")),
            sorted((self.company_a | self.company_b).ids),
            "one of A, one of B",
        )

    def test_hygiene_report_reads_the_company_followups(self):
        self.run_pass()
        self.shared.with_company(self.company_b).last_followup_date = date(2026, 6, 1)
        Report = self.env["customer.followup.hygiene.report"]
        rows = Report.search(
            [("row_type", "=", "customer"), ("partner_id", "=", self.shared.id)]
        )
        by_company = {row.company_id: row for row in rows}
        self.assertEqual(by_company[self.company_b].date_done, date(2026, 6, 1))
        cadence_b = self.shared.with_company(self.company_b).followup_interval_days
        self.assertEqual(
            by_company[self.company_b].date_deadline,
            date(2026, 6, 1) + timedelta(days=cadence_b),
        )
        self.assertFalse(by_company[self.company_a].date_done)
        self.assertEqual(by_company[self.company_a].never_followed_up_count, 1)
        self.assertEqual(by_company[self.company_b].never_followed_up_count, 0)

    def test_history_gives_each_company_its_last_followup(self):
        """At install (and upgrade), a shared customer's history is each
        company's follow-up by the main company of the user who made the
        contact; B's own customer's is B's whoever made it."""
        with freeze_time("2026-06-10 10:00:00"):
            self.shared.with_user(self.user_a).message_post(
                body="Offer sent",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        with freeze_time("2026-06-12 10:00:00"):
            self.shared.with_user(self.user_b).message_post(
                body="报价已发送",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            self.b_owned.with_user(self.user_ab).message_post(
                body="Visit", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        partners = self.shared | self.b_owned
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner SET last_followup_date = NULL,
                          next_followup_date = NULL, last_followup_source = NULL,
                          next_followup_manual = NULL
                    WHERE id = ANY(%s)""",
                partners.ids,
            )
        )
        partners.invalidate_recordset()
        self.env["res.partner"]._init_followups_from_history()
        in_a = self.shared.with_company(self.company_a)
        in_b = self.shared.with_company(self.company_b)
        self.assertEqual(in_a.last_followup_date, date(2026, 6, 10))
        self.assertEqual(in_a.next_followup_date, date(2026, 7, 10))
        self.assertEqual(in_b.last_followup_date, date(2026, 6, 12))
        self.assertEqual(in_b.next_followup_date, date(2026, 6, 22))
        self.assertEqual(in_b.last_followup_source, "message")
        owned_b = self.b_owned.with_company(self.company_b)
        self.assertEqual(owned_b.last_followup_date, date(2026, 6, 12))
        self.assertFalse(self.b_owned.with_company(self.company_a).last_followup_date)

    def test_profiles_to_refresh_of_the_company_only(self):
        """A manager of B reads the queued live updates of B's and shared
        customers, not of A's own customers."""
        a_owned = self.create_customer("A's Own Customer", company_id=self.company_a.id)
        Queue = self.env["customer.profile.refresh.queue"]
        Queue._enqueue(a_owned | self.b_owned | self.shared)
        seen = Queue.with_user(self.manager_b).search([]).partner_id
        self.assertIn(self.b_owned, seen)
        self.assertIn(self.shared, seen)
        self.assertNotIn(a_owned, seen)
