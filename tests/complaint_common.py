# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.exceptions import UserError

from .common import CustomerRelationshipCase

# Every step of a complaint, in order ("cancelled" stands aside), and the facts
# its gate asks for: to leave the step, or for "cancelled", to enter it. A
# callable value is called when the facts are written (dates are "today").
STEP_FACTS = {
    "listen": {
        "customer_words": "The machine broke after two days and nobody called back!",
        "channel": "phone",
    },
    "apologize": {"apology_sent": True},
    "understand": {
        "issue_description": "The motor stopped on the second day.",
        "issue_circumstances": "During normal use, at half load.",
        "dissatisfaction_reason": "Production stopped and the hotline did not answer.",
        "other_reasons": "Delivery was already late.",
        "customer_reasonable": "yes",
        "desired_resolution": "A replacement machine this week.",
        "root_cause": "A faulty motor batch from the supplier.",
    },
    "propose": {
        "solution_type": "replace",
        "solution_details": "Replace the machine within three days.",
    },
    "verdict": {"verdict": "accepted"},
    "follow_up": {
        "followup_channel": "phone",
        "followup_date": fields.Date.today,
        "followup_feedback": "The new machine works well, thank you.",
    },
    "done": {},
    "cancelled": {"cancel_reason": "Duplicate."},
}
STEPS = [step for step in STEP_FACTS if step != "cancelled"]


def step_facts(*steps):
    """The facts of ``steps``, merged, as values to write."""
    facts = {}
    for step in steps:
        facts.update(STEP_FACTS[step])
    return {key: value() if callable(value) else value for key, value in facts.items()}


def facts_before(step):
    """What a complaint holds once it has passed every gate before ``step``:
    the values to create it right there."""
    if step == "cancelled":
        return step_facts("cancelled")
    return step_facts(*STEPS[: STEPS.index(step)])


def stages_by_step(env):
    """The complaint stages of the seeded steps, by step."""
    stages = env["customer.complaint.stage"].search([])
    return {stage.step: stage for stage in stages if stage.step}


class ComplaintCase(CustomerRelationshipCase):
    """Complaint settings, the customers' tiers and helpers to walk a complaint."""

    # Stage changes post their templates and time per stage through tracking.
    disable_tracking = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "complaint_refund_approval_limit": 1000.0,
                "complaint_sla_hours_low": 120,
                "complaint_sla_hours_normal": 72,
                "complaint_sla_hours_high": 24,
                "complaint_sla_hours_urgent": 8,
                "complaint_escalation_user_id": False,
            }
        )
        cls.tier_a.complaint_sla_factor = 0.5
        cls.tier_c.complaint_sla_factor = 1.0
        cls.customer_own.customer_tier_id = cls.tier_a
        (cls.customer_other | cls.customer_free).customer_tier_id = cls.tier_c
        cls.stages = stages_by_step(cls.env)

    @classmethod
    def _create_complaint(cls, **values):
        vals = {
            "partner_id": cls.customer_own.id,
            "user_id": cls.user_own.id,
            "product_id": cls.product.id,
            **values,
        }
        return cls.env["customer.complaint"].create(vals)

    def advance(self, complaint, to_step):
        """Fill the facts of each step from the complaint's own and move it on,
        up to ``to_step`` (or straight to "cancelled")."""
        if to_step == "cancelled":
            complaint.write(
                dict(step_facts("cancelled"), stage_id=self.stages["cancelled"].id)
            )
        else:
            for current in STEPS[STEPS.index(complaint.step) : STEPS.index(to_step)]:
                self.assertEqual(complaint.step, current)
                complaint.write(step_facts(current))
                # an accepted verdict moves the complaint on by itself
                if complaint.step == current:
                    complaint.action_next_step()
        self.assertEqual(complaint.step, to_step)
        return complaint

    def assertMoveRefused(self, complaint, to_step, *parts):
        """Moving ``complaint`` to the stage of ``to_step`` is refused with a
        message naming each of ``parts``, and the complaint stays where it is."""
        step = complaint.step
        with self.assertRefused(UserError, *parts):
            complaint.write({"stage_id": self.stages[to_step].id})
        self.assertEqual(complaint.step, step)

    def _flush_tracking(self):
        """Run the tracking (and stage templates) as a commit would."""
        self.env.flush_all()
        self.env.cr.flush()
