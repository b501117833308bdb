# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import BaseCase, tagged
from odoo.tools import mute_logger

from ..models.customer_profile_refresh import CustomerProfileRefresh
from .test_profile_refresh import RefreshCase


class LiveCase(RefreshCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Queue = cls.env["customer.profile.refresh.queue"]
        cls.env.company.sudo().write({"relationship_tier_mode": "threshold"})
        cls.tier_a.write({"min_revenue": 3000.0, "min_order_count": 2})
        cls.tier_b.write({"min_revenue": 1000.0, "min_order_count": 1})

    def quotation(self, partner, amount, when=None):
        order = self.order(partner, when or fields.Datetime.now(), amount, "draft")
        return order

    def queued(self, partner):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT count(*) FROM customer_profile_refresh_queue WHERE partner_id = %s",
            [partner.id],
        )
        return self.env.cr.fetchone()[0]

    def fold(self):
        """What the live cron does within a minute of the commit."""
        self.Queue._cron_refresh_live()
        self.env.invalidate_all()


@tagged("post_install", "-at_install")
@freeze_time("2026-06-15 10:00:00")
class TestLiveProfile(LiveCase):
    def test_confirm_updates_profile(self):
        prospect = self.create_customer("Prospect Ltd")
        self.run_pass()
        self.assertEqual(prospect.lifecycle_stage, "potential")
        self.assertTrue(prospect.never_purchased)
        order = self.quotation(prospect, 1500.0, datetime(2026, 6, 15, 9))
        order.action_confirm()
        self.assertEqual(self.queued(prospect), 1, "queued in the same transaction")
        self.assertEqual(prospect.lifecycle_stage, "potential", "not yet folded")
        self.fold()
        self.assertEqual(self.queued(prospect), 0)
        self.assertEqual(prospect.lifecycle_stage, "new")
        self.assertEqual(prospect.lifecycle_stage_date, date(2026, 6, 15))
        self.assertFalse(prospect.never_purchased)
        self.assertEqual(prospect.order_count, 1)
        self.assertEqual(prospect.window_revenue, 1500.0)
        self.assertEqual(prospect.customer_tier_id, self.tier_b)
        history = prospect.lifecycle_history_ids.sorted("id")
        self.assertEqual(history.mapped("stage"), ["potential", "new"])
        self.assertEqual(history[0].date_end, date(2026, 6, 15))

    def test_confirm_wakes_the_live_cron(self):
        cron = self.env.ref("customer_relationship.ir_cron_refresh_profiles_live")
        Trigger = self.env["ir.cron.trigger"]
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        partner = self.create_customer("Two Orders Co")
        orders = self.quotation(partner, 10.0) | self.quotation(partner, 20.0)
        orders[0].action_confirm()
        self.env.cr.postcommit.data.clear()  # as after a commit
        orders[1].action_confirm()
        # woken once: a pending wake-up serves the next confirmations too
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 1)
        self.assertEqual(self.queued(partner), 2)
        self.fold()
        self.assertEqual(partner.order_count, 2)

    def test_confirm_costs_one_query(self):
        """The live hook adds one statement to a confirmation (queue row and
        wake-up together), reads nothing, and wakes the cron workers after the
        commit only when it planned a wake-up."""
        cron = self.env.ref("customer_relationship.ir_cron_refresh_profiles_live")
        Trigger = self.env["ir.cron.trigger"]
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        partner = self.create_customer("Counted Co")
        first, again = self.quotation(partner, 10.0), self.quotation(partner, 20.0)
        self.env.cr.postcommit.data.clear()
        self.env.flush_all()
        Queue = type(self.Queue)
        enqueue = Queue._enqueue
        queries = []

        def counted(queue, partners):
            before = queue.env.cr.sql_log_count
            enqueue(queue, partners)
            queries.append(queue.env.cr.sql_log_count - before)

        def notifications():
            # bound methods of two equal recordsets are not equal: compare both
            return sum(
                1
                for func in self.env.cr.postcommit._funcs
                if getattr(func, "__name__", None) == "_notifydb"
                and func.__self__ == cron
            )

        notified = notifications()
        with patch.object(Queue, "_enqueue", counted):
            first.action_confirm()
            self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 1)
            self.assertEqual(notifications(), notified + 1)
            # later in the same transaction: the queue row only
            again.action_confirm()
        self.assertEqual(queries, [1, 1])
        self.assertEqual(notifications(), notified + 1)
        self.assertEqual(self.queued(partner), 2)
        # a new transaction with a wake-up still pending: no second one
        self.env.cr.postcommit.data.clear()
        self.Queue._enqueue(partner)
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 1)
        self.assertEqual(notifications(), notified + 1)
        # an inactive job is not woken
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        cron.active = False
        self.env.flush_all()
        self.env.cr.postcommit.data.clear()
        self.Queue._enqueue(partner)
        self.assertFalse(Trigger.search_count([("cron_id", "=", cron.id)]))
        self.fold()
        self.assertEqual(partner.order_count, 2)

    def test_cancel_takes_the_order_back(self):
        partner = self.create_customer("Changed Mind Co")
        order = self.quotation(partner, 1500.0)
        order.action_confirm()
        self.fold()
        self.assertEqual(partner.customer_tier_id, self.tier_b)
        order._action_cancel()
        self.fold()
        self.assertEqual(partner.lifecycle_stage, "potential")
        self.assertEqual(partner.order_count, 0)
        self.assertFalse(partner.customer_tier_id)
        self.assertTrue(partner.never_purchased)
        last = partner.tier_history_ids.sorted("id")[-1]
        self.assertFalse(last.tier_id)
        self.assertEqual(last.previous_tier_id, self.tier_b)
        self.assertEqual(last.reason, "No confirmed order: no tier.")
        # unlocking queues the customer too (nothing changes)
        order.action_unlock()
        self.assertEqual(self.queued(partner), 1)

    def test_credit_note_and_complaint(self):
        # every complaint counts towards the burden (the default: costly ones)
        self.env.company.sudo().write(
            {
                "relationship_burden_complaint_count": 1,
                "relationship_burden_counts": "every",
            }
        )
        partner = self.create_customer("Refund Co")
        self.quotation(partner, 100.0).action_confirm()
        self.fold()
        self.assertFalse(partner.value_segment)
        score = partner.loyalty_score
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": partner.id,
                "invoice_date": "2026-06-15",
                "invoice_line_ids": [
                    (0, 0, {"name": "Refund", "quantity": 1, "price_unit": 50.0})
                ],
            }
        )
        refund.action_post()
        self.assertEqual(self.queued(partner), 1)
        self.fold()
        self.assertEqual(partner.value_segment, "burden")
        refund.button_draft()
        self.fold()
        self.assertFalse(partner.value_segment)
        # an open complaint lowers the loyalty score at once, closing gives it back
        complaint = self.env["customer.complaint"].create(
            {
                "partner_id": partner.id,
                "channel": "phone",
                "customer_words": "Late.",
            }
        )
        self.fold()
        self.assertEqual(partner.loyalty_score, max(score - 10, 0))
        self.assertEqual(partner.value_segment, "burden")  # the complaint costs
        complaint.write(
            {
                "cancel_reason": "Duplicate.",
                "stage_id": self.env["customer.complaint.stage"]
                .search([("step", "=", "cancelled")], limit=1)
                .id,
            }
        )
        self.assertEqual(self.queued(partner), 1)
        self.fold()
        self.assertEqual(partner.loyalty_score, score)
        self.assertFalse(partner.value_segment)

    def test_dormant_customer_orders_again(self):
        partner = self.create_customer("Sleepy Co")
        self.order(partner, datetime(2025, 6, 1, 9), 500.0)
        self.run_pass()
        self.assertEqual(partner.lifecycle_stage, "dormant_temporary")
        # dormant the day after 180 days without order, not the day of the pass
        self.assertEqual(partner.lifecycle_stage_date, date(2025, 11, 29))
        winback_type = self.env.ref("customer_relationship.mail_activity_type_winback")
        winback = partner.activity_schedule(
            activity_type_id=winback_type.id, summary="Win back"
        )
        followup = partner.activity_schedule(
            "mail.mail_activity_data_todo", summary="Visit"
        )
        self.quotation(partner, 700.0, datetime(2026, 6, 15, 9)).action_confirm()
        self.fold()
        self.assertEqual(partner.lifecycle_stage, "new")
        self.assertEqual(partner.lifecycle_stage_date, date(2026, 6, 15))
        self.assertFalse(winback.exists().active, "the win-back reminder is closed")
        self.assertTrue(followup.exists().active, "other activities stay")
        history = partner.lifecycle_history_ids.sorted("date_start")
        self.assertEqual(
            [(h.stage, h.date_start, h.date_end) for h in history],
            [
                ("new", date(2025, 6, 1), date(2025, 11, 29)),
                ("dormant_temporary", date(2025, 11, 29), date(2026, 6, 15)),
                ("new", date(2026, 6, 15), False),
            ],
        )

    def test_tier_history_and_reason(self):
        partner = self.create_customer("Growing Co")
        self.run_pass()  # the first classification is behind us
        self.quotation(partner, 1500.0).action_confirm()
        self.fold()
        first = partner.tier_history_ids
        self.assertEqual(len(first), 1)
        self.assertEqual(first.tier_id, self.tier_b)
        self.assertFalse(first.previous_tier_id)
        self.assertEqual(first.date_start, date(2026, 6, 15))
        self.assertFalse(first.date_end)
        self.assertEqual(first.reason_data["rule"], "threshold")
        self.assertEqual(first.reason_data["missed"]["short"], ["revenue", "orders"])
        self.assertIn("12-month revenue", first.reason)
        self.assertIn("below the minimum of", first.reason)
        self.assertIn("for A", first.reason.replace(self.tier_a.name, "A"))
        self.quotation(partner, 2000.0).action_confirm()
        self.fold()
        history = partner.tier_history_ids.sorted("id")
        self.assertEqual(history.mapped("tier_id"), self.tier_b | self.tier_a)
        self.assertEqual(history[0].date_end, date(2026, 6, 15))
        self.assertEqual(history[1].previous_tier_id, self.tier_b)
        self.assertIn("reach the minimum", history[1].reason)
        # the chatter says it once per change
        messages = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("body", "ilike", "Tier changed"),
            ]
        )
        self.assertEqual(len(messages), 2)
        # a salesperson reads the history of their customers
        user = self.user_own
        self.assertTrue(history.with_user(user).read(["reason"]))
        with self.assertRaises(AccessError):
            history.with_user(user).write({"date_end": False})

    def test_first_classification_posts_no_message(self):
        partners = self.create_customer("Quiet One") | self.create_customer("Quiet Two")
        for partner in partners:
            self.order(partner, datetime(2026, 6, 1, 9), 1500.0)
        Message = self.env["mail.message"]
        domain = [("model", "=", "res.partner"), ("body", "ilike", "Tier changed")]
        before = Message.search_count(domain)
        self.engine.search([]).unlink()  # a database without any pass yet
        self.run_pass()
        self.assertTrue(self.state().first_pass)
        self.assertEqual(partners.customer_tier_id, self.tier_b)
        self.assertEqual(len(partners.tier_history_ids), 2, "kept, not posted")
        self.assertEqual(Message.search_count(domain), before)

    def test_pareto_uses_the_day_cutoffs(self):
        self.env.company.sudo().write({"relationship_tier_mode": "pareto"})
        big, small = self.create_customer("Big Co"), self.create_customer("Small Co")
        self.order(big, datetime(2026, 6, 1, 9), 9000.0)
        self.order(small, datetime(2026, 6, 1, 9), 1000.0)
        self.run_pass()
        self.assertEqual(small.customer_tier_id, self.tier_b)
        cutoffs = self.state().pareto_cutoffs
        # later in the day: frozen cut-offs, no new computation
        with patch.object(
            CustomerProfileRefresh, "_pareto_cutoffs", side_effect=AssertionError
        ):
            self.quotation(small, 8000.0).action_confirm()
            self.fold()
        self.assertEqual(small.customer_tier_id, self.tier_a)
        self.assertEqual(self.state().pareto_cutoffs, cutoffs)

    def test_tier_change_moves_sla_deadline(self):
        self.tier_a.complaint_sla_factor = 0.5
        self.tier_b.complaint_sla_factor = 1.0
        partner = self.create_customer("Complaining Co")
        self.quotation(partner, 1500.0).action_confirm()
        self.fold()
        complaint = self.env["customer.complaint"].create(
            {"partner_id": partner.id, "channel": "phone", "customer_words": "Late."}
        )
        self.fold()
        deadline = complaint.sla_deadline
        self.assertTrue(deadline)
        self.quotation(partner, 2000.0).action_confirm()
        self.fold()
        self.assertEqual(partner.customer_tier_id, self.tier_a)
        # the deadline is planned again with tier A's factor: earlier, and the
        # one a complaint received at the same time for tier A gets
        self.assertLess(complaint.sla_deadline, deadline)
        twin = self.env["customer.complaint"].create(
            {
                "partner_id": partner.id,
                "channel": "phone",
                "customer_words": "Late again.",
                "complaint_date": complaint.complaint_date,
            }
        )
        self.assertEqual(complaint.sla_deadline, twin.sla_deadline)


@tagged("post_install", "-at_install")
@freeze_time("2026-06-15 10:00:00")
class TestRefreshControl(LiveCase):
    def test_refresh_now(self):
        partner = self.create_customer("Regular Co")
        for month in range(1, 6):
            self.order(partner, datetime(2026, month, 10, 9), 100.0)
        self.run_pass()
        self.assertEqual(partner.lifecycle_stage, "new")
        self.env.company.sudo().write({"relationship_mature_order_count": "5"})
        with self.assertRaises(AccessError):
            self.engine.with_user(self.user_all).action_refresh_now()
        cron = self.env.ref("customer_relationship.ir_cron_refresh_profiles")
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search_count([("cron_id", "=", cron.id)])
        action = self.engine.with_user(self.user_manager).action_refresh_now()
        self.assertEqual(action["res_model"], "customer.profile.refresh")
        state = self.state()
        self.assertEqual(len(state), 1, "one pass per day")
        self.assertEqual(
            (state.processed, state.done, state.state), (0, False, "running")
        )
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before + 1)
        self.run_pass()
        self.assertEqual(partner.lifecycle_stage, "mature")
        # mature since its fifth order
        self.assertEqual(partner.lifecycle_stage_date, date(2026, 5, 10))
        self.assertGreater(self.state().written, 0)
        # again with nothing changed: every customer re-decided, none written
        self.engine.with_user(self.user_manager).action_refresh_now()
        self.run_pass()
        self.assertEqual(self.state().processed, self.state().total)
        self.assertEqual(self.state().written, 0)

    def test_settings_button(self):
        settings = self.env["res.config.settings"].create({"mature_order_count": 4})
        settings.action_refresh_profiles_now()
        self.assertEqual(
            self.env["res.company"]._relationship_setting("mature_order_count"), 4
        )
        self.assertEqual(self.state().processed, 0)

    def test_failures_alert_managers(self):
        def crash(*args, **kwargs):
            raise RuntimeError("disk full")

        Activity = self.env["mail.activity"]
        with patch.object(CustomerProfileRefresh, "_refresh_partners", crash):
            for _call in range(3):
                self.engine._cron_refresh_profiles(batch_size=5)
        state = self.state()
        self.assertEqual((state.state, state.failure_count), ("failed", 3))
        alerts = Activity.search(
            [("res_model", "=", "customer.profile.refresh"), ("res_id", "=", state.id)]
        )
        self.assertIn(self.user_manager, alerts.user_id)
        self.assertIn("disk full", alerts[0].note)
        self.run_pass(batch_size=5)
        self.assertEqual(self.state().state, "done")

    def test_pass_crossing_midnight_finishes(self):
        with freeze_time("2026-06-15 23:59:00"):
            self.engine._cron_refresh_profiles(batch_size=5)
            yesterday = self.state()
            self.assertFalse(yesterday.done)
        with freeze_time("2026-06-16 00:01:00"):
            self.assertEqual(self.engine._current_pass(), yesterday)
            for _call in range(1000):
                self.engine._cron_refresh_profiles(batch_size=5)
                if yesterday.done:
                    break
            self.assertTrue(yesterday.done)
            self.assertEqual(yesterday.processed, yesterday.total)
            today = self.engine._current_pass()
            self.assertEqual(today.date, date(2026, 6, 16))

    def test_one_pass_per_day(self):
        self.run_pass()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.engine.create({"date": self.engine._today()})


@tagged("post_install", "-at_install")
class TestStageDates(BaseCase):
    """The start date of each stage (engine only)."""

    def test_stage_dates(self):
        from ..engine import rules

        settings = rules.Settings(10, 70, 180, 3, 365, 4, 12, 3)
        today = date(2026, 6, 15)
        facts = rules.Facts(
            order_count=12,
            first_order_date=date(2024, 1, 1),
            last_order_date=date(2025, 1, 1),
            window_revenue=0.0,
            window_order_count=0,
            months_with_orders=0,
            signals=(False,) * 4,
            open_complaints=0,
            costly_count=0,
            dormant_after_complaint=False,
            mature_order_date=date(2024, 10, 1),
            created_date=date(2023, 5, 5),
        )

        def start(stage, previous=None, previous_date=None):
            return rules.stage_start_date(
                stage, facts, 180, settings, today, previous, previous_date
            )

        self.assertEqual(start("potential"), date(2023, 5, 5))
        self.assertEqual(start("potential", "new", date(2024, 1, 1)), today)
        self.assertEqual(start("new"), date(2024, 1, 1))
        self.assertEqual(start("mature", "new", date(2024, 1, 1)), date(2024, 10, 1))
        self.assertEqual(start("loyal", "mature", date(2024, 10, 1)), today)
        self.assertEqual(start("dormant_temporary"), date(2025, 7, 1))
        # permanently dormant by the complaint rule: a year after it slept
        self.assertEqual(
            start("dormant_permanent", "dormant_temporary", date(2025, 6, 1)),
            date(2026, 6, 1),
        )
        # back from dormancy: on the order that woke it up
        self.assertEqual(
            start("mature", "dormant_temporary", date(2024, 6, 1)), date(2025, 1, 1)
        )
        # a stage kept keeps its date
        self.assertEqual(start("new", "new", date(2024, 2, 2)), date(2024, 2, 2))
        self.assertEqual(
            rules.stage_history(
                "dormant_permanent", date(2026, 6, 1), facts, 180, settings
            ),
            [
                ("new", date(2024, 1, 1), date(2024, 10, 1)),
                ("mature", date(2024, 10, 1), date(2025, 7, 1)),
                ("dormant_temporary", date(2025, 7, 1), date(2026, 6, 1)),
                ("dormant_permanent", date(2026, 6, 1), None),
            ],
        )


@tagged("post_install", "-at_install")
@freeze_time("2026-06-15 10:00:00")
class TestNoticedHistoryDated(LiveCase):
    """The 18.0.1.3.0 migration dates the stages that versions before
    18.0.1.2.0 recorded on the day they noticed them (install day)."""

    def old_history(self, partner, rows, stage, stage_date):
        """Replace the partner's profile history with rows as the old pass
        wrote them: (stage, start, end, written on)."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            "DELETE FROM customer_lifecycle_history WHERE partner_id = %s",
            [partner.id],
        )
        for row_stage, start, end, written in rows:
            cr.execute(
                """INSERT INTO customer_lifecycle_history
                          (partner_id, stage, date_start, date_end, create_date,
                           company_id)
                   VALUES (%s, %s, %s, %s, %s, %s)""",
                [partner.id, row_stage, start, end, written, self.env.company.id],
            )
        key = str(self.env.company.id)
        cr.execute(
            """UPDATE res_partner
                  SET lifecycle_stage = jsonb_build_object(%s, %s::text),
                      lifecycle_stage_date = jsonb_build_object(%s, %s::date)
                WHERE id = %s""",
            [key, stage, key, stage_date, partner.id],
        )
        self.env.invalidate_all()

    def history(self, partner):
        return [
            (h.stage, h.date_start, h.date_end or None)
            for h in self.env["customer.lifecycle.history"]
            .search([("partner_id", "=", partner.id)])
            .sorted("date_start")
        ]

    def test_install_rows_dated_from_the_orders(self):
        self.env.company.sudo().write({"relationship_mature_order_count": "2"})
        install, later = date(2026, 3, 1), date(2026, 5, 1)
        buyer = self.create_customer("Old Buyer")
        for when in (
            "2025-01-10 09:00:00",
            "2025-03-10 09:00:00",
            "2026-04-10 09:00:00",
        ):
            self.order(buyer, when, 100.0)
        # the old pass: mature at install (noticed that night), loyal later
        self.old_history(
            buyer,
            [
                ("mature", install, later, "2026-02-28 18:30:00"),
                ("loyal", later, None, "2026-05-01 01:00:00"),
            ],
            "loyal",
            later,
        )
        prospect = self.create_customer("Old Prospect")
        self.env.cr.execute(
            "UPDATE res_partner SET create_date = '2024-05-05 08:00' WHERE id = %s",
            [prospect.id],
        )
        self.old_history(
            prospect,
            [("potential", install, None, "2026-03-01 01:00:00")],
            "potential",
            install,
        )
        # a history the engine dated: left as it is
        recent = self.create_customer("Recent Buyer")
        self.order(recent, "2026-02-27 09:00:00", 100.0)
        self.old_history(
            recent,
            [("new", date(2026, 2, 27), None, "2026-03-01 01:00:00")],
            "new",
            date(2026, 2, 27),
        )

        redated = self.engine._date_noticed_history()

        self.assertEqual(redated, 2)
        self.assertEqual(
            self.history(buyer),
            [
                ("new", date(2025, 1, 10), date(2025, 3, 10)),
                ("mature", date(2025, 3, 10), later),
                ("loyal", later, None),
            ],
        )
        self.assertEqual(buyer.lifecycle_stage_date, later)
        self.assertEqual(
            self.history(prospect), [("potential", date(2024, 5, 5), None)]
        )
        self.assertEqual(prospect.lifecycle_stage_date, date(2024, 5, 5))
        self.assertEqual(self.history(recent), [("new", date(2026, 2, 27), None)])
        # a second run finds nothing more to date
        self.assertEqual(self.engine._date_noticed_history(), 0)
