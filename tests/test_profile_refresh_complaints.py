# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from ..engine import rules
from .complaint_common import facts_before, stages_by_step, step_facts
from .test_profile_refresh import RefreshCase


@tagged("post_install", "-at_install")
@freeze_time("2026-06-15 10:00:00")
class TestRefreshComplaintFacts(RefreshCase):
    """Complaints and credit notes feed the loyalty score, the burden segment
    and the permanent dormancy after an unresolved complaint."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stages = stages_by_step(cls.env)
        with freeze_time("2026-06-15 10:00:00"):
            # The big customer takes the high-value tiers: the others are C.
            cls.big = cls.create_customer("Big Spender")
            cls.order(cls.big, datetime(2026, 5, 2, 9), 100000.0)
            cls.costly = cls.create_customer("Costly Co", signal_gives_suggestions=True)
            cls.order(cls.costly, datetime(2026, 5, 1, 9), 100.0)
            cls.quiet = cls.create_customer("Quiet Co", signal_gives_suggestions=True)
            cls.order(cls.quiet, datetime(2026, 5, 1, 9), 100.0)

    def complaint(self, partner, when, step="listen", **vals):
        values = {
            "partner_id": partner.id,
            "complaint_date": when,
            **step_facts("listen"),
            **facts_before(step),
        }
        if step != "listen":
            values["stage_id"] = self.stages[step].id
        return self.env["customer.complaint"].create({**values, **vals})

    def test_open_complaints_and_burden(self):
        self.set_param("burden_counts", "every")
        self.complaint(self.costly, datetime(2026, 6, 1, 9))
        self.complaint(self.costly, datetime(2026, 3, 1, 9))
        self.complaint(self.costly, datetime(2026, 2, 1, 9), step="done")
        # Neither cancelled complaints nor those before the window count.
        self.complaint(self.costly, datetime(2026, 6, 2, 9), step="cancelled")
        self.complaint(self.costly, datetime(2025, 1, 2, 9), step="done")
        self.run_pass()
        self.assertEqual(self.costly.customer_tier_id, self.tier_c)
        self.assertEqual(self.costly.value_segment, "burden")
        self.assertEqual(
            self.costly.loyalty_score,
            rules.loyalty_score(1, 1, 12, (True, False, False, False), 2),
        )
        self.assertLess(self.costly.loyalty_score, self.quiet.loyalty_score)
        self.assertFalse(self.quiet.value_segment)
        self.assertEqual(self.big.value_segment, "meteor")

    def test_credit_notes_are_costly(self):
        for day in (datetime(2026, 6, 1, 9), datetime(2026, 5, 1, 9)):
            self.complaint(self.costly, day, step="done", customer_reasonable="no")
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.costly.id,
                "invoice_date": date(2026, 6, 3),
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Damaged goods", "quantity": 1, "price_unit": 50.0}
                    )
                ],
            }
        )
        self.run_pass()
        self.assertFalse(self.costly.value_segment, "a draft credit note is no cost")
        refund.action_post()
        self.reset_state()
        self.run_pass()
        self.assertEqual(self.costly.value_segment, "burden")

    def test_reasonable_complaints_are_no_burden(self):
        """A demanding customer (千万不要裁减挑剔的客户): complaints with reason
        cost nothing by default; unreasonable ones do."""
        for month in (2, 3, 4, 5):
            self.complaint(
                self.costly, datetime(2026, month, 1, 9), step="done"
            )  # reasonable: yes
        self.complaint(
            self.costly, datetime(2026, 6, 1, 9), customer_reasonable="partly"
        )
        self.run_pass()
        self.assertFalse(self.costly.value_segment)
        for month in (2, 3, 4):
            self.complaint(
                self.costly,
                datetime(2026, month, 2, 9),
                step="done",
                customer_reasonable="no",
            )
        self.reset_state()
        self.run_pass()
        self.assertEqual(self.costly.value_segment, "burden")

    def test_every_complaint_setting(self):
        for month in (2, 3, 4):
            self.complaint(self.costly, datetime(2026, month, 1, 9), step="done")
        self.run_pass()
        self.assertFalse(self.costly.value_segment)
        self.set_param("burden_counts", "every")
        self.reset_state()
        self.run_pass()
        self.assertEqual(self.costly.value_segment, "burden")

    def test_permanent_dormancy_after_unresolved_complaint(self):
        sleepers = {}
        for name in ("After Complaint", "Complaint Later", "Complaint Solved"):
            partner = self.create_customer(name)
            self.order(partner, datetime(2025, 1, 10, 9), 500.0)
            sleepers[name] = partner
        # Temporarily dormant since 2025-06-01, i.e. for more than 365 days.
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE res_partner
                  SET lifecycle_stage = jsonb_build_object(%s, 'dormant_temporary'),
                      lifecycle_stage_date = jsonb_build_object(%s, '2025-06-01')
                WHERE id = ANY(%s)""",
            [
                str(self.env.company.id),
                str(self.env.company.id),
                [p.id for p in sleepers.values()],
            ],
        )
        self.env["res.partner"].invalidate_model()
        self.complaint(sleepers["After Complaint"], datetime(2025, 5, 20, 9))
        self.complaint(sleepers["Complaint Later"], datetime(2025, 7, 1, 9))
        solved = self.complaint(
            sleepers["Complaint Solved"], datetime(2025, 5, 10, 9), step="done"
        )
        solved.write({"closed_date": datetime(2025, 5, 25, 9)})
        self.run_pass()
        # 521 days without order: short of three times the 180 days threshold.
        self.assertEqual(
            sleepers["After Complaint"].lifecycle_stage, "dormant_permanent"
        )
        self.assertEqual(
            sleepers["Complaint Later"].lifecycle_stage, "dormant_temporary"
        )
        self.assertEqual(
            sleepers["Complaint Solved"].lifecycle_stage, "dormant_temporary"
        )
