# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ast

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import users

from .complaint_common import ComplaintCase


class TestComplaintTeam(ComplaintCase):
    """Teams route complaints: default team, automatic assignment, counts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["customer.complaint.team"].create(
            {
                "name": "Key Accounts Desk",
                "sequence": 20,
                "member_ids": [Command.set((cls.user_own | cls.user_all).ids)],
            }
        )
        cls.default_team = cls.env.ref(
            "customer_relationship.customer_complaint_team_default"
        )
        cls.empty_team = cls.env["customer.complaint.team"].create(
            {"name": "Night Desk", "sequence": 30}
        )

    def _open_complaints(self, user, count):
        for _i in range(count):
            self._create_complaint(user_id=user.id, team_id=self.default_team.id)

    @users("cr_own")
    def test_default_team_is_the_users_then_the_companys(self):
        Complaint = self.env["customer.complaint"]
        self.assertEqual(Complaint.new({}).team_id, self.team)
        self.assertEqual(
            Complaint.with_user(self.user_other_own).new({}).team_id,
            self.default_team,
        )

    def test_assign_to_least_busy_member(self):
        self._open_complaints(self.user_own, 2)
        self._open_complaints(self.user_all, 1)
        # a closed complaint does not count
        self.advance(self._create_complaint(user_id=self.user_all.id), "cancelled")
        complaint = self._create_complaint(user_id=False, team_id=self.team.id)
        self.assertEqual(complaint.user_id, self.user_all)

    def test_assign_batch_spreads_the_load(self):
        """Complaints created together (as by a job, without handler) are
        spread: each pick counts the ones given before it."""
        self._open_complaints(self.user_own, 1)
        batch = self.env["customer.complaint"].create(
            [
                {
                    "name": f"Routed {i}",
                    "partner_id": self.customer_own.id,
                    "team_id": self.team.id,
                }
                for i in range(3)
            ]
        )
        # user_all had none: two for them, then one for user_own (1 + 1)
        self.assertEqual(batch.mapped("user_id"), self.user_all | self.user_own)
        self.assertEqual(len(batch.filtered(lambda c: c.user_id == self.user_all)), 2)

    def test_assign_grouped_count_per_batch(self):
        """The load is counted once for a batch, not once per complaint."""
        vals = {"partner_id": self.customer_own.id, "team_id": self.team.id}
        self.env["customer.complaint"].create([dict(vals, name="Warm-up")])
        self.env.flush_all()
        queries = self.env.cr.sql_log_count
        self.env["customer.complaint"].create([dict(vals, name="One")])
        self.env.flush_all()
        one = self.env.cr.sql_log_count - queries
        queries = self.env.cr.sql_log_count
        self.env["customer.complaint"].create(
            [dict(vals, name=f"Many {i}") for i in range(10)]
        )
        self.env.flush_all()
        many = self.env.cr.sql_log_count - queries
        # each complaint has its sequence number and rows; not a load query
        self.assertLess(many, one * 10)

    def test_team_change_assigns_in_the_new_team(self):
        complaint = self._create_complaint(
            user_id=self.user_other_own.id, team_id=self.empty_team.id
        )
        complaint.team_id = self.team
        self.assertIn(complaint.user_id, self.team.member_ids)
        # a handler of the team stays
        complaint.write({"team_id": self.empty_team.id})
        member = complaint.user_id
        complaint.write({"team_id": self.team.id})
        self.assertEqual(complaint.user_id, member)

    def test_team_without_members_keeps_the_default_handler(self):
        complaint = (
            self.env["customer.complaint"]
            .with_user(self.user_own)
            .create(
                {
                    "name": "Walk-in",
                    "partner_id": self.customer_own.id,
                    "team_id": self.empty_team.id,
                }
            )
        )
        self.assertEqual(complaint.user_id, self.user_own)

    @freeze_time("2026-03-02 09:00:00")
    def test_kanban_counts_in_one_query(self):
        breached = self._create_complaint(team_id=self.team.id)
        breached.sla_breached = True
        self._create_complaint(team_id=self.team.id, priority="3")  # 8 h x 0.5
        self._create_complaint(team_id=self.team.id, priority="0")  # 120 h x 0.5
        self.advance(self._create_complaint(team_id=self.team.id), "cancelled")
        self.company.complaint_at_risk_hours = 24
        teams = self.team | self.empty_team
        self.env.invalidate_all()
        queries = self.env.cr.sql_log_count
        self.assertRecordValues(
            teams,
            [
                {
                    "open_complaint_count": 3,
                    "at_risk_complaint_count": 1,
                    "breached_complaint_count": 1,
                },
                {
                    "open_complaint_count": 0,
                    "at_risk_complaint_count": 0,
                    "breached_complaint_count": 0,
                },
            ],
        )
        self.assertLessEqual(self.env.cr.sql_log_count - queries, 4)
        action = self.team.action_open_at_risk_complaints()
        at_risk = self.env["customer.complaint"].search(action["domain"])
        self.assertEqual(at_risk.mapped("priority"), ["3"])
        self.assertEqual(action["context"]["default_team_id"], self.team.id)

    def test_access_and_companies(self):
        Team = self.env["customer.complaint.team"]
        self.assertIn(self.team, Team.with_user(self.user_own).search([]))
        with self.assertRaises(AccessError):
            Team.with_user(self.user_own).create({"name": "Mine"})
        Team.with_user(self.user_manager).create({"name": "Managers' desk"})
        company_b = self.env["res.company"].create({"name": "Branch Co"})
        team_b = Team.create({"name": "Branch Desk", "company_id": company_b.id})
        self.assertNotIn(team_b, Team.with_user(self.user_own).search([]))
        with self.assertRefused(UserError, "Branch Desk"):
            self._create_complaint(team_id=team_b.id)

    @users("cr_own")
    def test_complaint_tags(self):
        tag = self.env["customer.complaint.tag"].create({"name": "Recall"})
        complaint = self.env["customer.complaint"].create(
            {
                "name": "Recalled batch",
                "partner_id": self.customer_own.id,
                "tag_ids": [Command.link(tag.id)],
            }
        )
        self.assertEqual(complaint.tag_ids, tag)
        found = self.env["customer.complaint"].search([("tag_ids", "in", tag.ids)])
        self.assertEqual(found, complaint)

    def test_alias_creates_complaints_of_the_team(self):
        self.team.alias_name = "key-accounts"
        alias = self.team.alias_id
        self.assertEqual(alias.alias_model_id.model, "customer.complaint")
        defaults = ast.literal_eval(alias.alias_defaults)
        self.assertEqual(defaults["team_id"], self.team.id)
