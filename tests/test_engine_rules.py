# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The relationship rules on their own: no database, plain values."""

from datetime import date

from odoo.tests import BaseCase, tagged

from ..engine import complaint_steps, rules

SETTINGS = rules.Settings(
    mature_order_count=10,
    loyal_score=70,
    dormant_days=180,
    dormant_permanent_factor=3,
    dormant_after_complaint_days=365,
    steady_months=4,
    steady_window_months=12,
    burden_complaint_count=3,
)
TODAY = date(2026, 6, 15)
A = rules.Tier(1, 10000.0, 5, True)
B = rules.Tier(2, 1000.0, 2, True)
C = rules.Tier(3, 0.0, 0, False)
TIERS = [A, B, C]


def stage(order_count, last, interval=0.0, score=0, steady=False, **kw):
    return rules.lifecycle_stage(
        order_count, last, interval, score, steady, TODAY, SETTINGS, **kw
    )


@tagged("post_install", "-at_install")
class TestRules(BaseCase):
    def test_lifecycle_no_order_is_potential(self):
        self.assertEqual(stage(0, None), "potential")

    def test_lifecycle_new_and_mature(self):
        self.assertEqual(stage(1, date(2026, 6, 1)), "new")
        self.assertEqual(stage(9, date(2026, 6, 1)), "new")
        self.assertEqual(stage(10, date(2026, 6, 1)), "mature")  # exactly on it

    def test_lifecycle_loyal_needs_steady_and_score(self):
        last = date(2026, 6, 1)
        self.assertEqual(stage(12, last, score=70, steady=True), "loyal")
        self.assertEqual(stage(12, last, score=69, steady=True), "mature")
        self.assertEqual(stage(12, last, score=90, steady=False), "mature")

    def test_lifecycle_dormancy_threshold(self):
        # Exactly 180 days: not yet dormant; 181: dormant.
        self.assertEqual(stage(3, date(2025, 12, 17)), "new")
        self.assertEqual(stage(3, date(2025, 12, 16)), "dormant_temporary")
        # A customer ordering once a year is not dormant after six months...
        self.assertEqual(stage(3, date(2025, 6, 1), interval=365), "new")
        # ...but after twice its rhythm.
        self.assertEqual(stage(3, date(2024, 6, 1), interval=365), "dormant_temporary")
        # Three times the threshold: permanently dormant.
        self.assertEqual(stage(3, date(2024, 12, 22)), "dormant_temporary")  # 540
        self.assertEqual(stage(3, date(2024, 12, 21)), "dormant_permanent")  # 541

    def test_lifecycle_dormant_after_complaint(self):
        last = date(2025, 1, 1)
        kw = {"previous_stage": "dormant_temporary", "dormant_after_complaint": True}
        self.assertEqual(
            stage(3, last, previous_stage_date=date(2025, 6, 16), **kw),
            "dormant_temporary",  # 364 days
        )
        self.assertEqual(
            stage(3, last, previous_stage_date=date(2025, 6, 15), **kw),
            "dormant_permanent",  # 365 days
        )
        kw["dormant_after_complaint"] = False
        self.assertEqual(
            stage(3, last, previous_stage_date=date(2025, 6, 15), **kw),
            "dormant_temporary",
        )

    def test_order_intervals(self):
        self.assertEqual(rules.average_order_interval(None, None, 0), 0.0)
        self.assertEqual(
            rules.average_order_interval(date(2026, 1, 1), date(2026, 1, 1), 1), 0.0
        )
        self.assertEqual(
            rules.average_order_interval(date(2026, 1, 1), date(2026, 3, 2), 3), 30.0
        )
        self.assertIsNone(rules.expected_reorder_date(date(2026, 1, 1), 0.0))
        self.assertEqual(
            rules.expected_reorder_date(date(2026, 3, 2), 30.0), date(2026, 4, 1)
        )

    def test_value_segment(self):
        seg = rules.value_segment
        self.assertIsNone(seg(0, True, True, 0, SETTINGS))
        self.assertEqual(seg(5, True, True, 0, SETTINGS), "golden")
        self.assertEqual(seg(5, True, False, 9, SETTINGS), "meteor")
        self.assertEqual(seg(5, False, True, 0, SETTINGS), "small_star")
        self.assertEqual(seg(5, False, True, 3, SETTINGS), "burden")  # on the limit
        self.assertEqual(seg(5, False, False, 2, SETTINGS), None)

    def test_loyalty_score(self):
        score = rules.loyalty_score
        self.assertEqual(score(0, 0, 12, (False,) * 4, 0), 0)
        self.assertEqual(score(1, 1, 12, (False,) * 4, 0), 2)  # 30 * 1/12 = 2.5
        self.assertEqual(score(11, 12, 12, (False,) * 4, 0), 60)
        self.assertEqual(score(11, 12, 12, (True,) * 4, 0), 100)
        self.assertEqual(score(11, 12, 12, (True,) * 4, 2), 80)
        self.assertEqual(score(1, 1, 12, (False,) * 4, 5), 0)  # never negative
        self.assertEqual(score(50, 30, 12, (True,) * 4, 0), 100)  # capped

    def test_threshold_tier(self):
        self.assertEqual(rules.threshold_tier(10000.0, 5, TIERS), A)  # exactly
        self.assertEqual(rules.threshold_tier(10000.0, 4, TIERS), B)
        self.assertEqual(rules.threshold_tier(999.99, 9, TIERS), C)
        self.assertIsNone(rules.threshold_tier(5.0, 1, []))

    def test_pareto(self):
        revenues = [500, 300, 100, 60, 40, 0]
        cutoffs = rules.pareto_cutoffs(revenues, (80, 15))
        # Total 1000: 500 (before 0) and 300 (before 500 < 800) make the first
        # 80 %; 100 (before 800) and 60 (before 900 < 950) the next 15 %; 40
        # (before 960) the rest.
        self.assertEqual(cutoffs, [300, 60])
        tier = rules.pareto_tier
        self.assertEqual(
            [tier(r, cutoffs, TIERS) for r in (500, 300, 100, 60, 40)],
            [A, A, B, B, C],
        )

    def test_pareto_ties_at_boundary(self):
        # The second 400 would start after 80 % (400 + 400 = 800 of 1000): equal
        # revenues still get the same tier.
        cutoffs = rules.pareto_cutoffs([400, 400, 150, 50], (80, 15))
        self.assertEqual(rules.pareto_tier(400, cutoffs, TIERS), A)
        self.assertEqual(cutoffs[0], 400)
        cutoffs = rules.pareto_cutoffs([300, 300, 300, 100], (50, 30))
        # Before the second 300: 300 < 500 -> first tier; before the third:
        # 600 >= 500 but it ties with the second: same tier.
        self.assertEqual(
            [rules.pareto_tier(r, cutoffs, TIERS) for r in (300, 100)], [A, C]
        )

    def test_pareto_no_revenue(self):
        cutoffs = rules.pareto_cutoffs([], (80, 15))
        self.assertEqual(rules.pareto_tier(0, cutoffs, TIERS), C)
        # As the database gives them when nobody has revenue.
        self.assertEqual(rules.pareto_tier(10.0, [None, None], TIERS), C)

    def test_quadrant_and_followup_state(self):
        self.assertEqual(rules.loyalty_quadrant(True, True), "core")
        self.assertEqual(rules.loyalty_quadrant(True, False), "develop")
        self.assertEqual(rules.loyalty_quadrant(False, True), "balance")
        self.assertEqual(rules.loyalty_quadrant(False, False), "phase_out")
        state = rules.followup_state
        self.assertEqual(state(None, None, TODAY, 3), "never")
        self.assertEqual(state(TODAY, date(2026, 6, 14), TODAY, 3), "overdue")
        self.assertEqual(state(TODAY, date(2026, 6, 18), TODAY, 3), "due")
        self.assertEqual(state(TODAY, date(2026, 6, 19), TODAY, 3), "on_track")

    # The decision of one customer, as the refresh takes it.

    def facts(self, **values):
        base = dict(
            order_count=0,
            first_order_date=None,
            last_order_date=None,
            window_revenue=0.0,
            window_order_count=0,
            months_with_orders=0,
            signals=(False,) * 4,
            open_complaints=0,
            costly_count=0,
            dormant_after_complaint=False,
        )
        return rules.Facts(**{**base, **values})

    def current(self, **values):
        base = dict.fromkeys(rules.ENGINE_COLUMNS)
        base.update(tier_locked=False, loyalty_strength=None)
        return {**base, **values}

    def test_decide_tier(self):
        decide = rules.decide_tier
        # a locked tier is kept, whatever the facts
        self.assertEqual(decide(C.id, True, 20, 99999.0, 20, TIERS, None), C.id)
        # no orders, no tier (even with a tier set before)
        self.assertIsNone(decide(A.id, False, 0, 0.0, 0, TIERS, None))
        self.assertIsNone(decide(None, False, 5, 100.0, 5, [], None))
        # thresholds without cut-offs, Pareto with them
        self.assertEqual(decide(None, False, 5, 10000.0, 5, TIERS, None), A.id)
        self.assertEqual(decide(None, False, 5, 10000.0, 5, TIERS, [20000, 5000]), B.id)

    def test_customer_quadrant(self):
        quadrant = rules.customer_quadrant
        # people's strength wins over the tier's
        self.assertEqual(quadrant(80, 70, "weak", True), "develop")
        self.assertEqual(quadrant(50, 70, "strong", False), "balance")
        # else the tier's value decides
        self.assertEqual(quadrant(80, 70, None, True), "core")
        self.assertEqual(quadrant(50, 70, None, False), "phase_out")
        # neither: not a classified customer
        self.assertIsNone(quadrant(80, 70, None, None))
        self.assertEqual(quadrant(10, 70, "strong", None), "balance")

    def test_decide_profile(self):
        facts = self.facts(
            order_count=11,
            first_order_date=date(2025, 7, 1),
            last_order_date=date(2026, 6, 1),
            window_revenue=12000.004,
            window_order_count=11,
            months_with_orders=11,
            signals=(True, True, False, False),
            mature_order_date=date(2026, 4, 1),
        )
        new = rules.decide_profile(self.current(), facts, SETTINGS, TIERS, None, TODAY)
        self.assertEqual(set(new), set(rules.ENGINE_COLUMNS))
        self.assertEqual(new["customer_tier_id"], A.id)
        self.assertEqual(new["lifecycle_stage"], "loyal")
        # loyal since the order that made it mature, not since the pass
        self.assertEqual(new["lifecycle_stage_date"], date(2026, 4, 1))
        self.assertEqual(new["value_segment"], "golden")
        self.assertEqual(new["loyalty_quadrant"], "core")
        self.assertEqual(new["window_revenue"], 12000.0)
        self.assertEqual(new["average_order_interval"], 33.5)
        self.assertEqual(new["expected_reorder_date"], date(2026, 7, 5))
        # the same facts again: nothing changed, the stage date stays
        again = rules.decide_profile(
            self.current(**new), facts, SETTINGS, TIERS, None, date(2026, 6, 16)
        )
        self.assertEqual(again["lifecycle_stage_date"], date(2026, 4, 1))
        self.assertFalse(rules.profile_changed(self.current(**new), new))
        self.assertTrue(
            rules.profile_changed(self.current(**{**new, "order_count": 10}), new)
        )

    def test_decide_profile_prospect(self):
        new = rules.decide_profile(
            self.current(customer_tier_id=C.id),
            self.facts(),
            SETTINGS,
            TIERS,
            [300.0, 60.0],
            TODAY,
        )
        self.assertEqual(new["lifecycle_stage"], "potential")
        self.assertIsNone(new["customer_tier_id"])
        self.assertIsNone(new["loyalty_quadrant"])
        self.assertIsNone(new["value_segment"])
        # empty and zero are alike for the stored values
        self.assertFalse(
            rules.profile_changed(
                self.current(
                    lifecycle_stage="potential",
                    lifecycle_stage_date=TODAY,
                    order_count=0,
                    loyalty_score=0,
                    window_revenue=0,
                    average_order_interval=0.0,
                ),
                new,
            )
        )


@tagged("post_install", "-at_install")
class TestComplaintSteps(BaseCase):
    def test_one_step_list(self):
        from ..models.customer_complaint_stage import CustomerComplaintStage

        steps = [code for code, _label in complaint_steps.STEPS]
        self.assertEqual(
            [code for code, _label in CustomerComplaintStage.step.selection], steps
        )
        self.assertEqual(complaint_steps.STEP_ORDER, steps[:-1])
        self.assertEqual(set(complaint_steps.GATES), set(steps[:-2]))

    def test_gated_steps(self):
        gated = complaint_steps.gated_steps
        self.assertEqual(gated("listen", "apologize"), ["listen"])
        self.assertEqual(gated(None, "understand"), ["listen", "apologize"])
        self.assertEqual(gated("cancelled", "apologize"), ["listen"])
        self.assertEqual(gated("verdict", "propose"), [])
        self.assertEqual(gated("understand", "cancelled"), [])
        self.assertTrue(complaint_steps.closes_out_of_order("verdict", "done"))
        self.assertFalse(complaint_steps.closes_out_of_order("follow_up", "done"))
        self.assertFalse(complaint_steps.closes_out_of_order(None, "done"))

    def test_verdict_and_bookkeeping(self):
        verdict_step = complaint_steps.verdict_step
        self.assertEqual(verdict_step("rejected", "verdict"), "propose")
        self.assertEqual(verdict_step("rejected", "follow_up"), "propose")
        self.assertEqual(verdict_step("accepted", "verdict"), "follow_up")
        self.assertIsNone(verdict_step("accepted", "follow_up"))
        keep = complaint_steps.step_bookkeeping
        now = "now"
        self.assertEqual(keep("follow_up", "done", now, False), {"closed_date": now})
        self.assertEqual(keep("done", "follow_up", now, False), {"closed_date": False})
        self.assertEqual(
            keep("propose", "verdict", now, False),
            {"verdict": False, "verdict_note": False, "verdict_date": False},
        )
        self.assertEqual(keep("propose", "verdict", now, True), {})
        self.assertEqual(keep("follow_up", "verdict", now, False), {})
