# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ast
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

from ..engine.complaint_steps import CLOSED_STEPS


class CustomerComplaintTeam(models.Model):
    """A service desk team: its members handle the complaints that reach it,
    by its mail alias, the portal or staff entry."""

    _name = "customer.complaint.team"
    _description = "Complaint Team"
    _inherit = ["mail.alias.mixin", "mail.thread"]
    _order = "sequence, name, id"
    _check_company_auto = True

    # Description
    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(
        default=10,
        help="The company's first team receives the complaints of users who "
        "belong to no team.",
    )
    active = fields.Boolean(default=True)
    color = fields.Integer(string="Color Index")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    # Routing
    member_ids = fields.Many2many(
        "res.users",
        "customer_complaint_team_member_rel",
        "team_id",
        "user_id",
        string="Members",
        check_company=True,
        domain="[('share', '=', False)]",
        help="A complaint of the team without handler goes to the member with "
        "the fewest open complaints.",
    )
    escalation_user_id = fields.Many2one(
        "res.users",
        string="Escalation Manager",
        check_company=True,
        domain="[('share', '=', False)]",
        tracking=True,
        help="Hears first of the team's complaints past their deadline; then the "
        "Customer Relationship managers.",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        help="The hours in which the team's SLA deadlines run. Empty: the "
        "company's working hours.",
    )
    # Service desk counts
    open_complaint_count = fields.Integer(compute="_compute_complaint_counts")
    at_risk_complaint_count = fields.Integer(compute="_compute_complaint_counts")
    breached_complaint_count = fields.Integer(compute="_compute_complaint_counts")

    def _compute_complaint_counts(self):
        counts = defaultdict(lambda: {"open": 0, "at_risk": 0, "breached": 0})
        now = fields.Datetime.now()
        teams = self.filtered("id")
        if teams:
            # one grouped query: open complaints by team and breach flag, with
            # their deadlines to tell the ones at risk
            for team, breached, count, deadlines in self.env[
                "customer.complaint"
            ]._read_group(
                [("team_id", "in", teams.ids), ("step", "not in", CLOSED_STEPS)],
                ["team_id", "sla_breached"],
                ["__count", "sla_deadline:array_agg"],
            ):
                soon = now + timedelta(hours=team.company_id.complaint_at_risk_hours)
                team_counts = counts[team.id]
                team_counts["open"] += count
                if breached:
                    team_counts["breached"] += count
                else:
                    team_counts["at_risk"] += sum(
                        1 for deadline in deadlines if deadline and deadline <= soon
                    )
        for team in self:
            team_counts = counts[team.id]
            team.open_complaint_count = team_counts["open"]
            team.at_risk_complaint_count = team_counts["at_risk"]
            team.breached_complaint_count = team_counts["breached"]

    # ------------------------------------------------------------
    # MAIL
    # ------------------------------------------------------------

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get_id("customer.complaint")
        if self.id:
            values["alias_defaults"] = defaults = ast.literal_eval(
                self.alias_defaults or "{}"
            )
            defaults["team_id"] = self.id
            defaults["company_id"] = self.company_id.id
        return values

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _action_complaints(self, domain=None, **context):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relationship.customer_complaint_action"
        )
        action.update(
            {
                "name": self.name,
                "domain": [("team_id", "=", self.id), *(domain or [])],
                "context": {
                    "default_team_id": self.id,
                    "search_default_open": 1,
                    **context,
                },
            }
        )
        return action

    def action_open_complaints(self):
        return self._action_complaints()

    def action_open_at_risk_complaints(self):
        soon = fields.Datetime.now() + timedelta(
            hours=self.company_id.complaint_at_risk_hours
        )
        return self._action_complaints(
            [("sla_breached", "=", False), ("sla_deadline", "<=", soon)]
        )

    def action_open_breached_complaints(self):
        return self._action_complaints([("sla_breached", "=", True)])

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _get_default_team(self, user=None, company=None):
        """The team a complaint recorded by ``user`` goes to: the user's first
        team in the company, else the company's first team."""
        user = user or self.env.user
        company = company or self.env.company
        teams = self.search([("company_id", "=", company.id)])
        return teams.filtered(lambda t: user in t.member_ids)[:1] or teams[:1]

    def _pick_handlers(self, companies):
        """For each team of ``self`` (repeated as often as it has complaints
        to give, with the complaint's company in ``companies``), the member
        with the fewest open complaints, counting those given before it: one
        grouped count for all. An empty record where a team has no member."""
        members = self.member_ids.filtered("active")
        load = defaultdict(int)
        if members:
            # sudo: the load of every member counts, whatever the user may read
            for user, count in (
                self.env["customer.complaint"]
                .sudo()
                ._read_group(
                    [("user_id", "in", members.ids), ("step", "not in", CLOSED_STEPS)],
                    ["user_id"],
                    ["__count"],
                )
            ):
                load[user.id] = count
        handlers = []
        for team, company in zip(self, companies, strict=True):
            candidates = team.member_ids.filtered(
                lambda u, company=company: u.active and company in u.company_ids
            )
            user = min(candidates, key=lambda u: (load[u.id], u.id), default=None)
            if user:
                load[user.id] += 1
            handlers.append(user or self.env["res.users"])
        return handlers
