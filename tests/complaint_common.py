# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user

# Facts that let a complaint leave each step (see STEP_REQUIRED_FIELDS).
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
    "follow_up": {
        "followup_channel": "phone",
        "followup_feedback": "The new machine works well, thank you.",
    },
}


class ComplaintCase(TransactionCase):
    """Customers, users of every access level and helpers to walk a complaint."""

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
        cls.tier_a = cls.env.ref("customer_relationship.customer_tier_a")
        cls.tier_b = cls.env.ref("customer_relationship.customer_tier_b")
        cls.tier_c = cls.env.ref("customer_relationship.customer_tier_c")
        cls.tier_a.complaint_sla_factor = 0.5
        cls.tier_c.complaint_sla_factor = 1.0
        own, all_, manager = (
            "customer_relationship.group_user_own",
            "customer_relationship.group_user_all",
            "customer_relationship.group_manager",
        )
        cls.user_internal = new_test_user(
            cls.env, login="cr_internal", groups="base.group_user", name="Ivy Internal"
        )
        cls.user_own = new_test_user(
            cls.env,
            login="cr_own",
            groups=f"base.group_user,sales_team.group_sale_salesman,{own}",
            name="Owen Own",
            email="owen@example.com",
        )
        cls.user_other = new_test_user(
            cls.env,
            login="cr_other",
            groups=f"base.group_user,sales_team.group_sale_salesman,{own}",
            name="Olga Other",
        )
        cls.user_all = new_test_user(
            cls.env,
            login="cr_all",
            groups=f"base.group_user,{all_}",
            name="Alice All",
        )
        cls.user_manager = new_test_user(
            cls.env,
            login="cr_manager",
            groups=f"base.group_user,sales_team.group_sale_salesman,{manager}",
            name="Mary Manager",
            email="mary@example.com",
        )
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {
                "name": "Great Wall Trading Co.",
                "is_company": True,
                "email": "info@greatwall.example.com",
                "customer_tier_id": cls.tier_a.id,
                "user_id": cls.user_own.id,
            }
        )
        cls.contact = Partner.create(
            {
                "name": "Wang Fang",
                "parent_id": cls.customer.id,
                "email": "wang.fang@greatwall.example.com",
            }
        )
        cls.other_customer = Partner.create(
            {
                "name": "Pearl River Foods",
                "is_company": True,
                "email": "contact@pearlriver.example.com",
                "customer_tier_id": cls.tier_c.id,
                "user_id": cls.user_other.id,
            }
        )
        cls.unassigned_customer = Partner.create(
            {
                "name": "Li Na",
                "email": "li.na@example.com",
                "customer_tier_id": cls.tier_c.id,
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Packing Machine PM-300", "list_price": 5000.0}
        )
        cls.stages = {
            stage.step: stage
            for stage in cls.env["customer.complaint.stage"].search([])
            if stage.step
        }

    @classmethod
    def _create_complaint(cls, **values):
        vals = {
            "partner_id": cls.customer.id,
            "user_id": cls.user_own.id,
            "product_id": cls.product.id,
            **values,
        }
        return cls.env["customer.complaint"].create(vals)

    def _walk_to(self, complaint, step):
        """Fill the facts of each step and move the complaint up to ``step``."""
        order = ["listen", "apologize", "understand", "propose", "verdict", "follow_up"]
        for current in order[: order.index(step)]:
            self.assertEqual(complaint.step, current)
            if current == "verdict":
                complaint.action_set_verdict_accepted()
                continue
            facts = dict(STEP_FACTS.get(current, {}))
            if current == "follow_up":
                facts["followup_date"] = fields.Date.today()
            complaint.write(facts)
            complaint.action_next_step()
        self.assertEqual(complaint.step, step)
        return complaint

    @contextmanager
    def assertRaisesRegex(self, expected_exception, expected_regex):
        """As unittest's, but in a savepoint like Odoo's assertRaises, so a
        refused operation leaves nothing behind for the next assertions."""
        with self.assertRaises(expected_exception) as context:
            yield context
        self.assertRegex(str(context.exception), expected_regex)

    def _flush_tracking(self):
        """Run the tracking (and stage templates) as a commit would."""
        self.env.flush_all()
        self.env.cr.flush()

    @classmethod
    def _set_groups(cls, user, *xmlids):
        user.groups_id = [Command.set([cls.env.ref(x).id for x in xmlids])]
