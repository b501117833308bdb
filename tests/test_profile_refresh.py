# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from ..engine import rules
from ..models.customer_profile_refresh import CustomerProfileRefresh
from .common import CustomerRelationshipCase


class RefreshCase(CustomerRelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only this test's orders count (Pareto looks at every customer).
        cls.env.cr.execute(
            "UPDATE sale_order SET state = 'cancel' WHERE state = 'sale'"
        )
        cls.env["sale.order"].invalidate_model(["state"])
        cls.engine = cls.env["customer.profile.refresh"]
        cls.Partner = cls.env["res.partner"]

    @classmethod
    def order(cls, partner, when, amount, state="sale", pricelist=None):
        """An order of ``amount`` on ``when``, in ``state``."""
        order_values = {"date_order": when}
        if pricelist:
            order_values["pricelist_id"] = pricelist.id
        order = cls.create_order(
            partner, order_values=order_values, price_unit=amount, tax_id=False
        )
        order.write({"state": state, "date_order": when})
        return order

    def run_pass(self, batch_size=5000):
        """Run the cron entry point until the pass is done."""
        for _i in range(1000):
            self.engine._cron_refresh_profiles(batch_size=batch_size)
            if self.state().done:
                return
        self.fail("the pass did not end")

    def state(self):
        """Today's pass."""
        return self.engine.search([("date", "=", self.engine._today())])

    def reset_state(self):
        self.state().unlink()


@tagged("post_install", "-at_install")
@freeze_time("2026-06-15 10:00:00")
class TestProfileRefresh(RefreshCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-06-15 10:00:00"):
            cls._make_dataset()

    @classmethod
    def _make_dataset(cls):
        cls.big = cls.create_customer("Big Buyer", signal_refers_others=True)
        for month in range(12):  # 2025-07 .. 2026-06, one order a month
            year, mon = (2025, 7 + month) if month < 6 else (2026, month - 5)
            cls.order(cls.big, datetime(year, mon, 5, 9), 1000.0)
        cls.mid = cls.create_customer("Mid Buyer")
        cls.order(cls.mid, datetime(2026, 5, 1, 9), 1500.0)
        cls.order(cls.mid, datetime(2026, 6, 1, 9), 1500.0)
        cls.small = cls.create_customer("Small Buyer")
        cls.order(cls.small, datetime(2026, 6, 10, 9), 100.0)
        # A contact's order counts for its company.
        small_contact = cls.Partner.create({"name": "Li Na", "parent_id": cls.small.id})
        cls.order(small_contact, datetime(2026, 6, 12, 9), 0.0)
        cls.dormant = cls.create_customer("Sleepy Buyer")
        for when in (
            datetime(2025, 1, 10),
            datetime(2025, 2, 10),
            datetime(2025, 3, 12),
        ):
            cls.order(cls.dormant, when, 200.0)
        cls.yearly = cls.create_customer("Yearly Buyer")
        for year in (2023, 2024, 2025):
            cls.order(cls.yearly, datetime(year, 6, 1, 9), 500.0)
        cls.gone = cls.create_customer("Gone Buyer")
        cls.order(cls.gone, datetime(2023, 1, 1, 9), 800.0)
        cls.prospect = cls.create_customer("Prospect Co")
        cls.cancelled = cls.create_customer("Cancelled Co")
        cls.order(cls.cancelled, datetime(2026, 6, 1, 9), 5000.0, state="cancel")
        cls.locked = cls.create_customer(
            "Locked Co",
            customer_tier_id=cls.tier_a.id,
            tier_locked=True,
            tier_lock_reason="Group contract",
        )
        cls.order(cls.locked, datetime(2026, 6, 2, 9), 50.0)
        # Another currency: 2000 EUR at 2 EUR per company currency unit = 1000.
        company = cls.env.company
        eur = cls.env.ref("base.EUR")
        if company.currency_id == eur:
            eur = cls.env.ref("base.USD")
        eur.active = True
        cls.env["res.currency.rate"].search([("currency_id", "=", eur.id)]).unlink()
        cls.env["res.currency.rate"].create(
            {
                "currency_id": eur.id,
                "rate": 2.0,
                "name": "2020-01-01",
                "company_id": company.id,
            }
        )
        pricelist = cls.env["product.pricelist"].create(
            {"name": "Foreign", "currency_id": eur.id}
        )
        cls.foreign = cls.create_customer("Foreign Buyer")
        cls.foreign_order = cls.order(
            cls.foreign, datetime(2026, 3, 3, 9), 2000.0, pricelist=pricelist
        )
        cls.all = (
            cls.big
            | cls.mid
            | cls.small
            | cls.dormant
            | cls.yearly
            | cls.gone
            | cls.prospect
            | cls.cancelled
            | cls.locked
            | cls.foreign
        )

    def assertProfile(self, partner, tier, stage, segment):
        self.assertEqual(partner.customer_tier_id, tier, f"{partner.name} tier")
        self.assertEqual(partner.lifecycle_stage, stage, f"{partner.name} stage")
        self.assertEqual(
            partner.value_segment or None, segment, f"{partner.name} segment"
        )

    def test_full_pass(self):
        self.assertAlmostEqual(self.foreign_order.currency_rate, 2.0)
        self.run_pass()
        no_tier = self.env["customer.tier"]
        # Window revenue 12000 + 3000 + 1000 + 100 + 50 = 16150: 80 % = 12920 is
        # reached with Big and Mid (Mid starts at 12000 < 12920); 95 % = 15342.5
        # takes Foreign (starts at 15000); the rest is C.
        self.assertProfile(self.big, self.tier_a, "loyal", "golden")
        self.assertProfile(self.mid, self.tier_a, "new", "meteor")
        self.assertProfile(self.foreign, self.tier_b, "new", "meteor")
        self.assertProfile(self.small, self.tier_c, "new", None)
        self.assertProfile(self.dormant, self.tier_c, "dormant_temporary", None)
        self.assertProfile(self.yearly, self.tier_c, "new", None)
        self.assertProfile(self.gone, self.tier_c, "dormant_permanent", None)
        self.assertProfile(self.prospect, no_tier, "potential", None)
        self.assertProfile(self.cancelled, no_tier, "potential", None)
        self.assertProfile(self.locked, self.tier_a, "new", "meteor")
        # Purchase history
        self.assertEqual(self.big.order_count, 12)
        self.assertEqual(self.big.window_revenue, 12000.0)
        self.assertEqual(self.big.first_order_date, date(2025, 7, 5))
        self.assertEqual(self.big.last_order_date, date(2026, 6, 5))
        self.assertEqual(self.big.loyalty_score, 70)
        self.assertEqual(self.big.loyalty_quadrant, "core")
        self.assertEqual(self.foreign.window_revenue, 1000.0)
        self.assertEqual(self.small.order_count, 2)
        self.assertEqual(self.small.average_order_interval, 2.0)
        self.assertEqual(self.small.expected_reorder_date, date(2026, 6, 14))
        self.assertEqual(self.dormant.average_order_interval, 30.5)
        self.assertEqual(self.cancelled.order_count, 0)
        self.assertTrue(self.cancelled.never_purchased)
        self.assertFalse(self.cancelled.loyalty_quadrant)
        # History, built from the orders: each stage since the day it happened,
        # one row ending where the next begins, the last one open.
        for partner in self.all:
            history = partner.lifecycle_history_ids.sorted("date_start")
            self.assertEqual(history[-1].stage, partner.lifecycle_stage)
            self.assertEqual(history[-1].date_start, partner.lifecycle_stage_date)
            self.assertFalse(history[-1].date_end)
            self.assertEqual(
                history[:-1].mapped("date_end"), history[1:].mapped("date_start")
            )

        def rows(partner):
            return [
                (h.stage, h.date_start)
                for h in partner.lifecycle_history_ids.sorted("date_start")
            ]

        # loyal since its 10th order (mature)
        self.assertEqual(
            rows(self.big), [("new", date(2025, 7, 5)), ("loyal", date(2026, 4, 5))]
        )
        self.assertEqual(rows(self.mid), [("new", date(2026, 5, 1))])
        # dormant the day after 180 days without order
        self.assertEqual(
            rows(self.dormant),
            [("new", date(2025, 1, 10)), ("dormant_temporary", date(2025, 9, 9))],
        )
        # and for good after three times that
        self.assertEqual(
            rows(self.gone),
            [
                ("new", date(2023, 1, 1)),
                ("dormant_temporary", date(2023, 7, 1)),
                ("dormant_permanent", date(2024, 6, 25)),
            ],
        )
        # a prospect since it was created
        self.assertEqual(rows(self.prospect), [("potential", date(2026, 6, 15))])

    def test_second_run_changes_nothing(self):
        self.run_pass()
        reminders = self.env["customer.relationship.reminder"]
        self.env.company.sudo().write(
            {"relationship_reminder_user_id": self.env.ref("base.user_admin").id}
        )
        reminders._cron_relationship_reminders()
        Activity = self.env["mail.activity"].with_context(active_test=False)
        activity_count = Activity.search_count([("res_model", "=", "res.partner")])
        self.assertTrue(activity_count, "the first run planned reminders")
        written = self.state().written
        self.assertGreaterEqual(written, len(self.all))
        # Same day: the pass is done, nothing runs.
        self.engine._cron_refresh_profiles()
        self.assertEqual(self.state().written, written)
        # Even a forced new pass the same day writes no row.
        self.reset_state()
        history_count = self.env["customer.lifecycle.history"].search_count([])
        with patch.object(
            CustomerProfileRefresh, "_write_changes", autospec=True
        ) as write_changes:
            self.run_pass()
        self.assertTrue(write_changes.called)
        for call in write_changes.call_args_list:
            self.assertEqual(call.args[1], [], "a second pass wrote rows")
        self.assertEqual(self.state().written, 0)
        self.assertEqual(
            self.env["customer.lifecycle.history"].search_count([]), history_count
        )
        reminders._cron_relationship_reminders()
        self.assertEqual(
            Activity.search_count([("res_model", "=", "res.partner")]), activity_count
        )

    def test_stage_history_over_time(self):
        self.run_pass()
        with freeze_time("2026-12-20 10:00:00"):
            self.run_pass()
            # Big's last order (2026-06-05) is now 198 days old.
            # Dormant since the threshold was crossed (2026-06-05 + 181 days),
            # not since the pass noticed it.
            self.assertEqual(self.big.lifecycle_stage, "dormant_temporary")
            self.assertEqual(self.big.lifecycle_stage_date, date(2026, 12, 3))
            history = self.big.lifecycle_history_ids.sorted("date_start")
            self.assertEqual(
                history.mapped("stage"), ["new", "loyal", "dormant_temporary"]
            )
            self.assertEqual(history[1].date_end, date(2026, 12, 3))
            self.assertFalse(history[2].date_end)
            # Unchanged stages keep their date.
            self.assertEqual(self.prospect.lifecycle_stage_date, date(2026, 6, 15))
            self.assertEqual(len(self.prospect.lifecycle_history_ids), 1)

    def test_complaints_feed_the_profile(self):
        Complaint = self.env["customer.complaint"]
        # Small (tier C): three unreasonable complaints in the window -> burden.
        for when in ("2026-04-01", "2026-05-01", "2026-05-20"):
            Complaint.create(
                {
                    "partner_id": self.small.id,
                    "complaint_date": when,
                    "customer_reasonable": "no",
                }
            )
        # Big: an open complaint costs 10 loyalty points: no longer loyal.
        Complaint.create({"partner_id": self.big.id})
        self.run_pass()
        self.assertEqual(self.small.value_segment, "burden")
        self.assertEqual(self.big.loyalty_score, 60)
        self.assertEqual(self.big.lifecycle_stage, "mature")
        self.assertEqual(self.big.loyalty_quadrant, "balance")

    def test_dormancy_after_unresolved_complaint(self):
        self.env.company.sudo().write({"relationship_dormant_days": "400"})
        upset, quiet = (
            self.create_customer("Upset Buyer"),
            self.create_customer("Quiet Buyer"),
        )
        for partner in (upset, quiet):
            for when in (
                datetime(2024, 1, 1),
                datetime(2024, 6, 1),
                datetime(2024, 11, 1),
            ):
                self.order(partner, when, 300.0)
        self.env["customer.complaint"].create(
            {"partner_id": upset.id, "complaint_date": "2024-12-01"}
        )
        self.run_pass()
        # dormant since 2024-11-01 + 401 days
        self.assertEqual(upset.lifecycle_stage, "dormant_temporary")
        self.assertEqual(upset.lifecycle_stage_date, date(2025, 12, 7))
        self.assertEqual(quiet.lifecycle_stage, "dormant_temporary")
        with freeze_time("2026-12-06 10:00:00"):
            self.run_pass()
            self.assertEqual(upset.lifecycle_stage, "dormant_temporary")  # 364 days
        with freeze_time("2026-12-07 10:00:00"):
            self.run_pass()
            # A year of dormancy after an unresolved complaint: lost for good.
            self.assertEqual(upset.lifecycle_stage, "dormant_permanent")
            self.assertEqual(upset.lifecycle_stage_date, date(2026, 12, 7))
            self.assertEqual(quiet.lifecycle_stage, "dormant_temporary")

    def test_threshold_mode(self):
        # sudo: tests may run as a user without settings rights
        self.env.company.sudo().write({"relationship_tier_mode": "threshold"})
        self.tier_a.write({"min_revenue": 3000.0, "min_order_count": 2})
        self.tier_b.write({"min_revenue": 1000.0, "min_order_count": 1})
        self.run_pass()
        self.assertEqual(self.big.customer_tier_id, self.tier_a)
        self.assertEqual(self.mid.customer_tier_id, self.tier_a)  # exactly 3000, 2
        self.assertEqual(self.foreign.customer_tier_id, self.tier_b)
        self.assertEqual(self.small.customer_tier_id, self.tier_c)
        self.assertEqual(self.locked.customer_tier_id, self.tier_a)

    def test_interrupted_pass_resumes(self):
        partners_before = self.engine._count_partners()
        self.engine._cron_refresh_profiles(batch_size=5)
        first = self.state().read(["processed", "last_partner_id", "done"])
        self.assertEqual(first[0]["processed"], 5)
        self.assertFalse(first[0]["done"])
        original = rules.decide_profile

        def crash(*args):
            raise RuntimeError("database went away")

        cron = self.env.ref("customer_relationship.ir_cron_refresh_profiles")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        with patch.object(rules, "decide_profile", crash):
            # the failure is kept on the pass, not raised to the cron runner
            self.engine._cron_refresh_profiles(batch_size=5)
        # The failed batch left nothing: the pass resumes after the first batch.
        self.env.invalidate_all()
        self.assertEqual(
            self.state().read(["processed", "last_partner_id", "done"]), first
        )
        self.assertEqual(self.state().state, "failed")
        self.assertEqual(self.state().failure_count, 1)
        self.assertIn("database went away", self.state().last_error)
        # retried in a few minutes, not tomorrow
        retry = self.env["ir.cron.trigger"].search(
            [("cron_id", "=", cron.id), ("id", "not in", triggers.ids)]
        )
        self.assertEqual(retry.call_at, datetime(2026, 6, 15, 10, 5))
        self.assertIs(rules.decide_profile, original)
        self.run_pass(batch_size=5)
        state = self.state()
        self.assertTrue(state.done)
        self.assertEqual((state.state, state.failure_count), ("done", 0))
        self.assertEqual(state.processed, partners_before)
        self.assertEqual(self.big.lifecycle_stage, "loyal")
        self.assertEqual(self.foreign.customer_tier_id, self.tier_b)


@tagged("post_install", "-at_install")
@freeze_time("2026-06-15 10:00:00")
class TestRefreshQueries(RefreshCase):
    def test_queries_per_batch_do_not_grow(self):
        """A batch costs the same number of queries for 100 or 1,000 partners."""
        partners = self.Partner.create(
            [{"name": f"Bulk {i}", "is_company": True} for i in range(1000)]
        )
        # changes in both batches (the 1,000 one starts with the 100 already
        # written): the changed partners are written with the same statements
        for partner in partners[:50] | partners[500:550]:
            self.order(partner, datetime(2026, 5, 1, 9), 10.0)
        counts = {}
        # the engine's own statements: the playbooks' are counted in
        # TestLifecyclePlaybook.test_queries_do_not_grow_with_the_entries
        self.env["customer.lifecycle.playbook"].search([]).active = False
        # Warm the caches (settings, tiers) as a running pass has them.
        self.engine._current_pass()._refresh_batch(10)
        for size in (100, 1000):
            self.reset_state()
            refresh = self.engine._current_pass()
            refresh.last_partner_id = partners[0].id - 1
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            done = refresh._refresh_batch(size)
            self.env.flush_all()
            counts[size] = self.env.cr.sql_log_count - before
            self.assertEqual(done, size)
        self.assertEqual(counts[100], counts[1000], counts)
        # facts (2), tiers, profiles, stage and tier history, chatter notes...
        self.assertLessEqual(counts[1000], 18, counts)

    def test_revenue_is_summed_exactly(self):
        """0.1 + 0.2 + 0.3 is 0.6 in both queries, whatever their plans: the
        Pareto cut-off (the boundary customer's revenue) equals that customer's
        revenue in its batch, so its tier cannot flip between passes."""
        partner = self.create_customer("Exact")
        for day, amount in ((1, 0.1), (2, 0.2), (3, 0.3)):
            self.order(partner, datetime(2026, 5, day, 9), amount)
        self.env.flush_all()
        cutoffs = self.engine._pareto_cutoffs(self.engine._today())
        [row] = self.engine._gather_facts(partner.ids, self.engine._today())
        self.assertEqual(float(row["revenue"]), 0.6)
        self.assertEqual(cutoffs, {str(self.env.company.id): [0.6, 0.6]})

    def test_pareto_sql_matches_rules(self):
        """The cut-offs the pass computes in SQL are those of the rules'
        Python twin on the same orders, ties and a boundary customer included."""
        revenues = [500.0, 300.0, 100.0, 60.0, 40.0, 400.0, 400.0, 0.5]
        for index, revenue in enumerate(revenues):
            partner = self.create_customer(f"Pareto {index}")
            # two orders each: the SQL sums per customer
            self.order(partner, datetime(2026, 5, 1, 9), revenue / 2)
            self.order(partner, datetime(2026, 5, 20, 9), revenue / 2)
        self.env.flush_all()
        for shares in ((80, 15), (50, 30), (95, 4)):
            self.env.company.sudo().write(
                {
                    "relationship_pareto_share_a": shares[0],
                    "relationship_pareto_share_b": shares[1],
                    "relationship_pareto_share_c": 100 - sum(shares),
                }
            )
            self.assertEqual(
                self.engine._pareto_cutoffs(self.engine._today()),
                {str(self.env.company.id): rules.pareto_cutoffs(revenues, shares)},
                shares,
            )

    def test_write_path_writes_the_changed_rows_only(self):
        """A pass writes the customers whose values changed and only them, in
        one statement per table; what it wrote by SQL is what the same
        environment reads next (no stale ORM cache)."""
        customers = self.Partner.create(
            [{"name": f"Steady {i}", "is_company": True} for i in range(5)]
        )
        for customer in customers:
            self.order(customer, datetime(2026, 5, 1, 9), 200.0)
        self.run_pass()
        moved, still = customers[2], customers - customers[2]
        self.assertEqual(moved.order_count, 1)  # read: now in the ORM cache
        history = moved.lifecycle_history_ids
        self.order(moved, datetime(2026, 6, 1, 9), 300.0)
        # mark every row: the pass's writes set write_uid to the engine's user
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET write_uid = %s WHERE id = ANY(%s)",
            [self.env.ref("base.public_user").id, customers.ids],
        )
        self.reset_state()
        statements = []
        execute = type(self.env.cr).execute

        def spy(cr, query, params=None, log_exceptions=True):
            statements.append(str(getattr(query, "code", query)))
            return execute(cr, query, params, log_exceptions)

        with patch.object(type(self.env.cr), "execute", spy):
            self.run_pass()
        self.assertEqual(self.state().written, 1)
        self.env.cr.execute(
            "SELECT id FROM res_partner WHERE id = ANY(%s) AND write_uid = %s",
            [customers.ids, self.env.uid],
        )
        self.assertEqual([row[0] for row in self.env.cr.fetchall()], moved.ids)
        updates = [s for s in statements if s.lstrip().startswith("UPDATE res_partner")]
        self.assertEqual(len(updates), 1, "one UPDATE of the changed partners")
        # the same environment, without invalidating anything, sees the pass
        self.assertEqual(moved.order_count, 2)
        self.assertEqual(moved.window_revenue, 500.0)
        self.assertEqual(moved.last_order_date, date(2026, 6, 1))
        self.assertEqual(still.mapped("order_count"), [1, 1, 1, 1])
        self.assertEqual(moved.lifecycle_history_ids, history)  # still "new"

    def test_written_rows_keep_their_values(self):
        """The rows go to PostgreSQL as one JSON document: texts with quotes
        and backslashes, dates, empty values and numbers arrive unchanged."""
        partner = self.create_customer('Quote "Co" \\ Ltd')
        self.order(partner, datetime(2026, 5, 1, 9), 1234.56)
        self.order(partner, datetime(2026, 5, 31, 9), 0.01)
        self.run_pass()
        self.assertEqual(partner.window_revenue, 1234.57)
        self.assertEqual(partner.average_order_interval, 30.0)
        self.assertEqual(partner.expected_reorder_date, date(2026, 6, 30))
        self.assertEqual(partner.first_order_date, date(2026, 5, 1))
        rows = self.engine._rows_sql(
            [(7, 'a "b" \\ c', date(2026, 6, 15), 0.1, None, {"rule": "x"})],
            {
                "id": "int4",
                "name": "varchar",
                "day": "date",
                "amount": "numeric",
                "empty": "int4",
                "reason": "jsonb",
            },
        )
        self.env.cr.execute(SQL("SELECT * FROM %s", rows))
        self.assertEqual(
            self.env.cr.fetchall(),
            [(7, 'a "b" \\ c', date(2026, 6, 15), 0.1, None, {"rule": "x"})],
        )
