# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import email_split, format_datetime, html2plaintext
from odoo.tools.misc import format_amount

from ..engine import complaint_steps
from ..engine.complaint_steps import CLOSED_STEPS, GATES, STEP_ORDER
from .res_company import COMPLAINT_SLA_HOURS_FIELDS
from .res_partner import MANAGER_LEVELS

PRIORITIES = [
    ("0", "Low"),
    ("1", "Normal"),
    ("2", "High"),
    ("3", "Urgent"),
]
# Only managers record a refund approval, whatever the way in.
APPROVAL_FIELDS = {"refund_approved_by_id", "refund_approval_date"}
# Stamps and SLA evidence: the system writes them (bookkeeping, computes, the
# SLA cron), users never do, whatever the way in.
SYSTEM_FIELDS = {
    "apology_date",
    "verdict_date",
    "rejection_count",
    "refund_approval_date",
    "closed_date",
    "resolution_hours",
    "resolution_days",
    "sla_deadline",
    "sla_breached",
    "sla_success",
}
# What a proposal is made of: changed once sent, it is proposed again.
SOLUTION_FIELDS = {"solution_type", "solution_details", "refund_amount"}
# The values create() checks and stamps from: defaults are read among them.
CREATE_FACTS = {"stage_id", "apology_sent", "verdict", *APPROVAL_FIELDS, *SYSTEM_FIELDS}
# Context flags of message_post that tick a workflow fact (see message_post).
WORKFLOW_FLAGS = (
    "mark_complaint_apology_sent",
    "mark_complaint_solution_sent",
    "mark_complaint_followup_sent",
)
# A received date may be this much ahead of the server's clock (a browser's).
CLOCK_TOLERANCE = timedelta(minutes=5)
# The longest comment a customer gives with a verdict on the portal.
VERDICT_NOTE_MAX_LENGTH = 2000
# What the SLA deadline depends on, as written on a complaint.
# Facts of the customer's profile (open complaints, costs): a change queues it.
PROFILE_DEPENDENCIES = {"partner_id", "complaint_date", "active"}
SLA_DEPENDENCIES = {
    "priority",
    "complaint_date",
    "company_id",
    "partner_id",
    "stage_id",
    "verdict",
    "team_id",
    "apology_sent",
}
MANAGER_GROUP = "customer_relationship.group_manager"
# What tells that two complaints may be the same one.
DUPLICATE_DEPENDENCIES = {"partner_id", "sale_order_id", "product_id"}
# What a customer may send with a complaint filed on the portal.
PORTAL_LIMITS = {
    "subject": 120,
    "words": 5000,
    "files": 5,
    "file_size": 10 * 1024 * 1024,
}
# A subject taken from the customer's words keeps their first line, this long.
SUBJECT_MAX_LENGTH = 80


def subject_from_words(words):
    """The first non-empty line of ``words``, shortened to a subject; the
    18.0.1.2.0 migration does the same in SQL."""
    for line in (words or "").splitlines():
        line = " ".join(line.split())
        if line:
            if len(line) > SUBJECT_MAX_LENGTH:
                line = line[: SUBJECT_MAX_LENGTH - 1].rstrip() + "…"
            return line
    return ""


class CustomerComplaint(models.Model):
    """A customer complaint (客户投诉) handled with the six-step method."""

    _name = "customer.complaint"
    _description = "Customer Complaint"
    _inherit = [
        "portal.mixin",
        "rating.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "mail.tracking.duration.mixin",
    ]
    _order = "priority desc, complaint_date desc, id desc"
    _check_company_auto = True
    _mail_post_access = "read"
    _track_duration_field = "stage_id"
    _rec_names_search = ["number", "name"]

    # Description
    name = fields.Char(
        string="Subject",
        required=True,
        tracking=True,
        index="trigram",
        help="What the complaint is about, in a few words. Left empty, it is "
        "taken from the first line of the customer's words.",
    )
    number = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
        help="The complaint's reference, given by its sequence when it is recorded.",
    )
    active = fields.Boolean(default=True)
    color = fields.Integer(string="Color Index")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    category_id = fields.Many2one(
        "customer.complaint.category",
        index="btree_not_null",
        tracking=True,
        check_company=True,
    )
    priority = fields.Selection(
        PRIORITIES,
        default="1",
        required=True,
        index=True,
        tracking=True,
    )
    # Customer
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        help="The customer (company or individual) the complaint comes from; "
        "a contact given here is replaced by its company.",
    )
    contact_id = fields.Many2one(
        "res.partner",
        index="btree_not_null",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id)]",
        help="The person who complained, when the customer is a company.",
    )
    salesperson_id = fields.Many2one(
        "res.users",
        string="Salesperson at the Time",
        groups="base.group_user",
        compute="_compute_salesperson_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        help="The salesperson of the order, or else of the customer, when the "
        "complaint was received. It does not follow later reassignments.",
    )
    customer_type = fields.Selection(
        [("new", "New Customer"), ("existing", "Existing Customer")],
        string="New or Existing Customer",
        groups="base.group_user",
        compute="_compute_customer_type",
        store=True,
        readonly=False,
        precompute=True,
        help="Filled from the order history: an existing customer had confirmed "
        "at least two orders when the complaint was received.",
    )
    product_id = fields.Many2one(
        "product.product",
        index="btree_not_null",
        tracking=True,
        check_company=True,
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    # Workflow
    stage_id = fields.Many2one(
        "customer.complaint.stage",
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        check_company=True,
        group_expand="_read_group_stage_ids",
        default=lambda self: self._default_stage_id(),
    )
    step = fields.Selection(related="stage_id.step", store=True, index=True)
    stage_description = fields.Text(related="stage_id.description")
    team_id = fields.Many2one(
        "customer.complaint.team",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        default=lambda self: self.env["customer.complaint.team"]._get_default_team(),
        help="The team that handles the complaint; a complaint of the team "
        "without handler goes to its member with the fewest open complaints.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Handler",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('share', '=', False)]",
        default=lambda self: self._default_user_id(),
    )
    tag_ids = fields.Many2many(
        "customer.complaint.tag",
        "customer_complaint_tag_rel",
        "complaint_id",
        "tag_id",
    )
    # Step 1: listen (鼓励顾客发泄)
    complaint_date = fields.Datetime(
        string="Received On",
        required=True,
        index=True,
        tracking=True,
        default=fields.Datetime.now,
    )
    channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("email", "Email"),
            ("visit", "Visit"),
            ("letter", "Letter"),
            ("portal", "Website or Portal"),
            ("messaging", "Messaging App"),
            ("other", "Other"),
        ],
        tracking=True,
        help="How the complaint reached us.",
    )
    customer_words = fields.Text(
        string="Customer's Words",
        help="What the customer said, in their own words. Let them vent first.",
    )
    # Step 2: apologise and thank (道歉及感谢顾客)
    apology_sent = fields.Boolean(copy=False, tracking=True)
    apology_date = fields.Datetime(copy=False, readonly=True)
    # Step 3: understand the problem (提问，了解问题所在): the handler's notes,
    # which the portal does not show
    issue_description = fields.Text(string="What Happened", groups="base.group_user")
    issue_circumstances = fields.Text(
        string="How It Happened", groups="base.group_user"
    )
    dissatisfaction_reason = fields.Text(
        string="Why the Customer Is Dissatisfied", groups="base.group_user"
    )
    other_reasons = fields.Text(groups="base.group_user")
    customer_reasonable = fields.Selection(
        [
            ("yes", "Reasonable"),
            ("partly", "Partly Reasonable"),
            ("no", "Unreasonable"),
        ],
        string="Is the Customer Reasonable?",
        groups="base.group_user",
        tracking=True,
    )
    desired_resolution = fields.Text(
        string="Solution the Customer Wants", groups="base.group_user"
    )
    root_cause = fields.Text(groups="base.group_user")
    # Step 4: take responsibility and propose (承担责任，提出解决方案)
    solution_type = fields.Selection(
        [
            ("apology", "Apology"),
            ("repair", "Repair"),
            ("replace", "Replacement"),
            ("refund", "Refund"),
            ("other", "Other"),
        ],
        copy=False,
        tracking=True,
    )
    solution_details = fields.Text(copy=False)
    refund_amount = fields.Monetary(
        currency_field="currency_id",
        copy=False,
        tracking=True,
    )
    refund_approval_required = fields.Boolean(
        compute="_compute_refund_approval_required",
        search="_search_refund_approval_required",
        groups="base.group_user",
        help="The refund is above the company's approval limit: a manager must "
        "approve it before it is proposed.",
    )
    refund_approved_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        groups="base.group_user",
        copy=False,
        tracking=True,
    )
    refund_approval_date = fields.Datetime(
        readonly=True, copy=False, groups="base.group_user"
    )
    duplicate_of_id = fields.Many2one(
        "customer.complaint",
        string="Possible Duplicate Of",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="An earlier complaint of the same customer about the same order or "
        "product, within the duplicate window (Settings). A manager may merge "
        "the two.",
    )
    # Remedies: what accepting the solution prepared
    credit_note_ids = fields.Many2many(
        "account.move",
        "customer_complaint_credit_note_rel",
        "complaint_id",
        "move_id",
        string="Credit Notes",
        copy=False,
        readonly=True,
        groups="account.group_account_invoice",
    )
    credit_note_count = fields.Integer(compute="_compute_remedy_counts")
    replacement_order_ids = fields.Many2many(
        "sale.order",
        "customer_complaint_replacement_order_rel",
        "complaint_id",
        "order_id",
        string="Replacement Quotations",
        copy=False,
        readonly=True,
        groups="sales_team.group_sale_salesman",
    )
    replacement_order_count = fields.Integer(compute="_compute_remedy_counts")
    # Step 5: the customer's verdict (让顾客参与意见)
    verdict = fields.Selection(
        [("accepted", "Accepted"), ("rejected", "Rejected")],
        string="Customer's Verdict",
        copy=False,
        tracking=True,
        help="Accepted moves the complaint on to the follow-up; rejected sends it "
        "back for a new proposal.",
    )
    verdict_note = fields.Text(string="Customer's Comment", copy=False)
    verdict_date = fields.Datetime(copy=False, readonly=True)
    rejection_count = fields.Integer(
        string="Rejected Proposals",
        copy=False,
        readonly=True,
        groups="base.group_user",
    )
    # Step 6: follow-up (跟踪服务)
    followup_channel = fields.Selection(
        [("phone", "Phone"), ("email", "Email"), ("letter", "Letter")],
        string="Follow-up Channel",
        copy=False,
        tracking=True,
    )
    followup_date = fields.Date(string="Follow-up Date", copy=False, tracking=True)
    followup_feedback = fields.Text(
        string="What the Customer Said", copy=False, groups="base.group_user"
    )
    # Closing
    cancel_reason = fields.Text(
        string="Cancellation Reason", copy=False, groups="base.group_user"
    )
    closed_date = fields.Datetime(
        string="Closed On", copy=False, readonly=True, groups="base.group_user"
    )
    resolution_hours = fields.Float(
        string="Resolution Time (hours)",
        compute="_compute_resolution_time",
        groups="base.group_user",
        store=True,
        aggregator="avg",
        digits=(16, 1),
    )
    resolution_days = fields.Float(
        string="Resolution Time (days)",
        compute="_compute_resolution_time",
        groups="base.group_user",
        store=True,
        aggregator="avg",
        digits=(16, 2),
    )
    # Guidance: what the form asks for at the current step
    step_required_fields = fields.Json(
        compute="_compute_step_required_fields",
        help="The facts the current step's gate needs: the form marks them required.",
    )
    user_can_approve_refund = fields.Boolean(
        compute="_compute_user_can_approve_refund",
        help="The current user is a Customer Relationship manager.",
    )
    sla_time_left = fields.Char(
        string="Time Left",
        compute="_compute_sla_time_left",
        groups="base.group_user",
        help="The working time left before the SLA deadline, or how late the "
        "complaint is.",
    )
    # Service level: internal, as the time spent per stage
    duration_tracking = fields.Json(groups="base.group_user")
    sla_deadline = fields.Datetime(
        string="SLA Deadline",
        compute="_compute_sla_deadline",
        groups="base.group_user",
        store=True,
        index=True,
        copy=False,
        tracking=True,
        help="Received on + the resolution time of the priority (Settings) x the "
        "complaint SLA factor of the customer's tier, in the working hours of "
        "the team (else of the company), moved by the time the company waited "
        "for the customer's verdict.",
    )
    first_response_deadline = fields.Datetime(
        compute="_compute_first_response_deadline",
        store=True,
        copy=False,
        help="Received on + the first response time (Settings) x the tier's "
        "factor, in working hours: when the apology (step 2) is due.",
    )
    first_response_breached = fields.Boolean(
        compute="_compute_first_response_breached",
        store=True,
        readonly=True,
        copy=False,
        help="The apology came after its target, or had not come by then.",
    )
    sla_paused = fields.Boolean(
        string="SLA Paused",
        compute="_compute_sla_paused",
        store=True,
        help="The clock stops while the company waits for the customer's "
        "verdict; the deadline moves by the working hours waited.",
    )
    sla_pause_start = fields.Datetime(readonly=True, copy=False)
    sla_paused_hours = fields.Float(
        string="Hours Waited for the Customer",
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="Working hours the complaint waited for the customer's verdict, "
        "added to its deadline.",
    )
    escalation_level = fields.Integer(
        readonly=True,
        copy=False,
        tracking=True,
        help="0: not escalated; 1: the team's escalation manager was told of "
        "the breach; 2: the Customer Relationship managers were too.",
    )
    sla_escalation_date = fields.Datetime(
        string="Next Escalation",
        compute="_compute_sla_escalation_date",
        store=True,
        index=True,
        copy=False,
        help="When the complaint, still open, escalates to the next level: the "
        "deadline, then the escalation delay (Settings) later.",
    )
    sla_breached = fields.Boolean(
        string="SLA Breached",
        compute="_compute_sla_breached",
        groups="base.group_user",
        store=True,
        copy=False,
        tracking=True,
        help="The complaint was still open at its SLA deadline. The flag stays "
        "once set.",
    )
    sla_success = fields.Float(
        string="SLA Success (%)",
        compute="_compute_sla_success",
        groups="base.group_user",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="100 for a complaint handled within its deadline, 0 for a breach; "
        "its average is the SLA success rate.",
    )

    @api.constrains("refund_amount")
    def _check_refund_amount(self):
        for complaint in self:
            if complaint.currency_id.compare_amounts(complaint.refund_amount, 0) < 0:
                raise ValidationError(
                    self.env._(
                        "The refund amount of complaint %(name)s cannot be negative.",
                        name=complaint.number,
                    )
                )

    @api.constrains("complaint_date")
    def _check_complaint_date(self):
        latest = fields.Datetime.now() + CLOCK_TOLERANCE
        for complaint in self:
            if complaint.complaint_date and complaint.complaint_date > latest:
                raise ValidationError(
                    self.env._(
                        "The received date of complaint %(name)s (%(date)s) lies "
                        "in the future: give the date the complaint reached you.",
                        name=complaint.display_name,
                        date=format_datetime(self.env, complaint.complaint_date),
                    )
                )

    @api.constrains("partner_id", "contact_id")
    def _check_contact_id(self):
        for complaint in self:
            contact = complaint.contact_id
            if contact and contact.commercial_partner_id != complaint.partner_id:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is not a contact of %(customer)s.",
                        contact=contact.display_name,
                        customer=complaint.partner_id.display_name,
                    )
                )

    @api.depends("partner_id", "sale_order_id")
    def _compute_salesperson_id(self):
        for complaint in self:
            complaint.salesperson_id = (
                complaint.sale_order_id.user_id
                or complaint.partner_id.user_id
                or complaint.salesperson_id
            )

    @api.depends("partner_id", "complaint_date")
    def _compute_customer_type(self):
        partners = self.partner_id._origin
        counts = defaultdict(int)
        if partners:
            until = max(c.complaint_date or fields.Datetime.now() for c in self)
            # sudo: only a count of confirmed orders, whatever the user's sales rights
            for partner, count in (
                self.env["sale.order"]
                .sudo()
                ._read_group(
                    [
                        ("partner_id", "child_of", partners.ids),
                        ("state", "=", "sale"),
                        ("date_order", "<=", until),
                    ],
                    ["partner_id"],
                    ["__count"],
                )
            ):
                counts[partner.commercial_partner_id.id] += count
        for complaint in self:
            if not complaint.partner_id:
                complaint.customer_type = False
            elif counts[complaint.partner_id._origin.id] >= 2:
                complaint.customer_type = "existing"
            else:
                complaint.customer_type = "new"

    @api.depends(
        "solution_type", "refund_amount", "company_id.complaint_refund_approval_limit"
    )
    def _compute_refund_approval_required(self):
        for complaint in self:
            limit = complaint.company_id.complaint_refund_approval_limit
            complaint.refund_approval_required = (
                complaint.solution_type == "refund"
                and complaint.currency_id.compare_amounts(
                    complaint.refund_amount, limit
                )
                > 0
            )

    def _search_refund_approval_required(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        # sudo: the limits of the companies whose complaints the user may see
        companies = self.env["res.company"].sudo().search([])
        above = expression.OR(
            [
                [
                    ("company_id", "=", company.id),
                    ("refund_amount", ">", company.complaint_refund_approval_limit),
                ]
                for company in companies
            ]
        )
        domain = expression.AND([[("solution_type", "=", "refund")], above])
        if (operator == "=") != value:
            domain = ["!", *domain]
        return domain

    @api.depends("step", "solution_type")
    def _compute_step_required_fields(self):
        for complaint in self:
            # the verdict comes from the customer, through the buttons or the portal
            needed = [f for f in GATES.get(complaint.step, []) if f != "verdict"]
            if complaint.step == "propose" and complaint.solution_type == "refund":
                needed.append("refund_amount")
            complaint.step_required_fields = needed

    @api.depends_context("uid")
    def _compute_user_can_approve_refund(self):
        self.user_can_approve_refund = self.env.user.has_group(MANAGER_GROUP)

    @api.depends("sla_deadline", "step", "sla_paused")
    @api.depends_context("lang")
    def _compute_sla_time_left(self):
        now = fields.Datetime.now()
        for complaint in self:
            deadline = complaint.sla_deadline
            if not deadline or complaint.step in CLOSED_STEPS:
                complaint.sla_time_left = False
            elif complaint.sla_paused:
                complaint.sla_time_left = self.env._("Paused: waiting for the customer")
            elif deadline >= now:
                complaint.sla_time_left = self.env._(
                    "%(time)s left", time=complaint._format_duration(deadline - now)
                )
            else:
                complaint.sla_time_left = self.env._(
                    "Overdue by %(time)s",
                    time=complaint._format_duration(now - deadline),
                )

    def _format_duration(self, delta):
        """A duration in days and hours (hours and minutes under a day), in
        the user's language."""
        minutes = int(delta.total_seconds() // 60)
        days, minutes = divmod(minutes, 24 * 60)
        hours, minutes = divmod(minutes, 60)
        if days:
            return self.env._("%(days)s d %(hours)s h", days=days, hours=hours)
        if hours:
            return self.env._(
                "%(hours)s h %(minutes)s min", hours=hours, minutes=minutes
            )
        return self.env._("%(minutes)s min", minutes=minutes)

    @api.depends("closed_date", "complaint_date", "step")
    def _compute_resolution_time(self):
        for complaint in self:
            if complaint.step == "done" and complaint.closed_date:
                delta = complaint.closed_date - complaint.complaint_date
                hours = max(delta.total_seconds(), 0) / 3600
                complaint.resolution_hours = hours
                complaint.resolution_days = hours / 24
            else:
                complaint.resolution_hours = 0
                complaint.resolution_days = 0

    def _customer_tier(self):
        """The customer's tier in the complaint's company."""
        self.ensure_one()
        return self.partner_id.with_company(self.company_id).customer_tier_id

    @api.depends(
        "priority",
        "complaint_date",
        "company_id",
        "partner_id.customer_tier_id.complaint_sla_factor",
        "team_id.resource_calendar_id",
        "company_id.resource_calendar_id",
        "sla_paused_hours",
    )
    def _compute_sla_deadline(self):
        for complaint in self:
            if complaint.step in CLOSED_STEPS and complaint.sla_deadline:
                # the deadline a closed complaint was measured against stays
                complaint.sla_deadline = complaint.sla_deadline
                continue
            hours = complaint.company_id[
                COMPLAINT_SLA_HOURS_FIELDS[complaint.priority or "1"]
            ]
            if not hours or not complaint.complaint_date:
                complaint.sla_deadline = False
                continue
            factor = complaint._customer_tier().complaint_sla_factor or 1.0
            complaint.sla_deadline = complaint._sla_plan(
                hours * factor + complaint.sla_paused_hours, complaint.complaint_date
            )

    @api.depends(
        "complaint_date",
        "company_id.complaint_first_response_hours",
        "partner_id.customer_tier_id.complaint_sla_factor",
        "team_id.resource_calendar_id",
        "company_id.resource_calendar_id",
    )
    def _compute_first_response_deadline(self):
        for complaint in self:
            hours = complaint.company_id.complaint_first_response_hours
            if complaint.apology_date and complaint.first_response_deadline:
                # measured: the target stays
                complaint.first_response_deadline = complaint.first_response_deadline
            elif not hours or not complaint.complaint_date:
                complaint.first_response_deadline = False
            else:
                factor = complaint._customer_tier().complaint_sla_factor or 1.0
                complaint.first_response_deadline = complaint._sla_plan(
                    hours * factor, complaint.complaint_date
                )

    @api.depends("apology_date", "first_response_deadline")
    def _compute_first_response_breached(self):
        for complaint in self:
            answered, deadline = (
                complaint.apology_date,
                complaint.first_response_deadline,
            )
            complaint.first_response_breached = (
                complaint.first_response_breached
                or bool(answered and deadline and answered > deadline)
            )

    def _compute_remedy_counts(self):
        # sudo: counts only; the buttons opening them need the documents' rights
        for complaint in self.sudo():
            complaint.credit_note_count = len(complaint.credit_note_ids)
            complaint.replacement_order_count = len(complaint.replacement_order_ids)

    @api.depends("step")
    def _compute_sla_paused(self):
        for complaint in self:
            complaint.sla_paused = complaint.step == "verdict"

    @api.depends(
        "sla_deadline",
        "sla_paused",
        "step",
        "escalation_level",
        "company_id.complaint_escalation_delay_hours",
    )
    def _compute_sla_escalation_date(self):
        for complaint in self:
            deadline, level = complaint.sla_deadline, complaint.escalation_level
            if not deadline or complaint.sla_paused or complaint.step in CLOSED_STEPS:
                complaint.sla_escalation_date = False
            elif level == 0:
                complaint.sla_escalation_date = deadline
            elif level == 1:
                complaint.sla_escalation_date = complaint._sla_plan(
                    complaint.company_id.complaint_escalation_delay_hours, deadline
                )
            else:
                complaint.sla_escalation_date = False

    @api.depends("closed_date", "sla_deadline")
    def _compute_sla_breached(self):
        for complaint in self:
            closed, deadline = complaint.closed_date, complaint.sla_deadline
            late = (
                complaint.step == "done" and closed and deadline and closed > deadline
            )
            complaint.sla_breached = complaint.sla_breached or bool(late)

    @api.depends("sla_breached")
    def _compute_sla_success(self):
        for complaint in self:
            complaint.sla_success = 0.0 if complaint.sla_breached else 100.0

    @api.depends("number", "name")
    def _compute_display_name(self):
        for complaint in self:
            complaint.display_name = (
                f"{complaint.number}: {complaint.name}"
                if complaint.number and complaint.name
                else complaint.name or complaint.number or ""
            )

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"
        return result

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        partner = self.partner_id
        if partner and partner != partner.commercial_partner_id:
            self.contact_id = partner
            self.partner_id = partner.commercial_partner_id
        elif self.contact_id and self.contact_id.commercial_partner_id != partner:
            self.contact_id = False

    @api.onchange("contact_id")
    def _onchange_contact_id(self):
        contact = self.contact_id
        if contact and contact.commercial_partner_id != self.partner_id:
            self.partner_id = contact.commercial_partner_id

    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        order = self.sale_order_id
        if order and not self.partner_id:
            self.partner_id = order.partner_id.commercial_partner_id
            if order.partner_id != order.partner_id.commercial_partner_id:
                self.contact_id = order.partner_id

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def _default_user_id(self):
        # a complaint coming by mail or the portal waits for the team's pick
        user = self.env.user
        return user if not user.share and not user._is_superuser() else False

    def _default_subject(self, vals):
        """A subject for a complaint recorded without one (import, RPC): the
        first line of the customer's words, else the category."""
        category = self.env["customer.complaint.category"].browse(
            vals.get("category_id")
        )
        return (
            subject_from_words(vals.get("customer_words"))
            or category.name
            or self.env._("Complaint")
        )

    def _default_stage_id(self):
        return self._get_stage_for_step(
            "listen", self.env.company, raise_if_missing=False
        )

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([], order=stages._order)

    @api.model_create_multi
    def create(self, vals_list):
        # defaults (context, personal, the field's) pass the checks given
        # values pass: the ones the checks and the bookkeeping read are merged
        defaults = self.default_get(sorted(CREATE_FACTS))
        vals_list = [
            self._prepare_partner_values({**defaults, **vals}) for vals in vals_list
        ]
        now = fields.Datetime.now()
        Stage = self.env["customer.complaint.stage"]
        for vals in vals_list:
            self._check_protected_values(vals)
            # the sequence numbers every complaint, whatever the values given
            company = (
                self.env["res.company"].browse(vals.get("company_id"))
                or self.env.company
            )
            vals["number"] = self.env["ir.sequence"].with_company(company).next_by_code(
                "customer.complaint"
            ) or self.env._("New")
            if not (vals.get("name") or "").strip():
                vals["name"] = self._default_subject(vals)
            if vals.get("apology_sent"):
                vals.setdefault("apology_date", now)
            if vals.get("verdict"):
                vals.setdefault("verdict_date", now)
            if vals.get("refund_approved_by_id"):
                vals.setdefault("refund_approval_date", now)
            if vals.get("stage_id"):
                step = Stage.browse(vals["stage_id"]).step
                if step == "verdict":
                    vals.setdefault("sla_pause_start", now)
                vals.update(
                    {
                        **complaint_steps.step_bookkeeping(
                            None, step, now, bool(vals.get("verdict"))
                        ),
                        **vals,
                    }
                )
        self._apply_customer_policies(vals_list)
        self._assign_handlers(vals_list)
        complaints = super().create(vals_list)
        for complaint, vals in zip(complaints, vals_list, strict=True):
            if vals.get("stage_id"):
                # created past the first step: the gates apply as for a move
                complaint._check_step_change(None)
        complaints._schedule_sla_checks()
        # an open complaint weighs on the loyalty score and the costs
        self.env["customer.profile.refresh.queue"]._enqueue(complaints.partner_id)
        complaints._flag_duplicates()
        return complaints

    def write(self, vals):
        vals = self._prepare_partner_values(dict(vals))
        self._check_protected_values(vals)
        if vals.get("team_id") and "user_id" not in vals:
            self._reassign_in_team(vals)
        now = fields.Datetime.now()
        if "apology_sent" in vals and "apology_date" not in vals:
            vals["apology_date"] = now if vals["apology_sent"] else False
        if vals.get("verdict") and "verdict_date" not in vals:
            vals["verdict_date"] = now
        if "refund_approved_by_id" in vals and "refund_approval_date" not in vals:
            vals["refund_approval_date"] = (
                now if vals["refund_approved_by_id"] else False
            )
        if not self:
            return super().write(vals)
        old_steps = {complaint.id: complaint.step for complaint in self}
        old_partners = self.partner_id
        outdated_approvals = self._get_outdated_refund_approvals(vals)
        new_solutions = self.filtered(lambda c: c._given_fields(vals, SOLUTION_FIELDS))
        # one write per group of complaints that need the same bookkeeping
        groups = defaultdict(lambda: self.browse())
        for complaint in self:
            bookkeeping = complaint._prepare_write_bookkeeping(
                vals,
                now,
                complaint in outdated_approvals,
                complaint in new_solutions,
            )
            groups[frozenset(bookkeeping.items())] |= complaint
        for bookkeeping, complaints in groups.items():
            super(CustomerComplaint, complaints).write({**vals, **dict(bookkeeping)})
        # the gates judge the complaints as written (the stage asked for, and
        # the one a verdict leads to): a UserError undoes it all
        asked = self.env["customer.complaint.stage"].browse(vals.get("stage_id"))
        for complaint in self:
            old_step = old_steps[complaint.id]
            if asked and asked != complaint.stage_id:
                complaint._check_step_change(old_step, asked)
            complaint._check_step_change(old_step)
            if vals.get("verdict") and complaint._refund_approval_missing():
                raise UserError(
                    self.env._(
                        "The customer's verdict on complaint %(name)s cannot be "
                        "recorded yet: its refund of %(amount)s still needs a "
                        "manager's approval.",
                        name=complaint.display_name,
                        amount=format_amount(
                            self.env, complaint.refund_amount, complaint.currency_id
                        ),
                    )
                )
        self._post_write_notes(
            old_steps, outdated_approvals, new_solutions, "verdict" in vals
        )
        if vals.get("verdict") == "accepted":
            self._prepare_remedies()
        if DUPLICATE_DEPENDENCIES & vals.keys():
            self.filtered(lambda c: not c.duplicate_of_id)._flag_duplicates()
        if SLA_DEPENDENCIES & vals.keys():
            self._schedule_sla_checks()
        # opened, closed or moved to another customer: the profiles follow
        changed = self.filtered(
            lambda c: (
                old_steps[c.id] != c.step
                and {old_steps[c.id], c.step} & set(CLOSED_STEPS)
            )
        )
        if PROFILE_DEPENDENCIES & vals.keys():
            changed = self
        if changed:
            self.env["customer.profile.refresh.queue"]._enqueue(
                old_partners | changed.partner_id
            )
        return True

    def _prepare_write_bookkeeping(self, vals, now, approval_outdated, new_solution):
        """What writing ``vals`` also sets on this complaint: where a verdict
        or a new solution sends it, the rejection count, the closing date, a
        blank verdict for a new proposal, a void refund approval."""
        self.ensure_one()
        values = {}
        if approval_outdated:
            # an approval holds for the refund it approved, not for a changed one
            values.update(refund_approved_by_id=False, refund_approval_date=False)
        stage = (
            self.env["customer.complaint.stage"].browse(vals["stage_id"])
            if vals.get("stage_id")
            else self.stage_id
        )
        if "verdict" in vals:
            next_step = complaint_steps.verdict_step(vals["verdict"], stage.step)
            if next_step:
                stage = self._get_stage_for_step(next_step, self.company_id)
                values["stage_id"] = stage.id
            if next_step == "propose":
                values["rejection_count"] = self.rejection_count + 1
        if new_solution:
            next_step = complaint_steps.solution_change_step(self.step, stage.step)
            if next_step == "closed":
                raise UserError(
                    self.env._(
                        "Complaint %(name)s is closed: its proposed solution can "
                        "no longer change.",
                        name=self.display_name,
                    )
                )
            if next_step:
                stage = self._get_stage_for_step(next_step, self.company_id)
                values["stage_id"] = stage.id
        values.update(
            complaint_steps.step_bookkeeping(
                self.step, stage.step, now, "verdict" in vals
            )
        )
        values.update(self._sla_pause_bookkeeping(stage.step, now))
        return values

    def _sla_pause_bookkeeping(self, new_step, now):
        """Entering the verdict step stops the clock; leaving it adds the
        working hours waited to the complaint's budget."""
        self.ensure_one()
        if new_step == self.step:
            return {}
        if new_step == "verdict":
            return {"sla_pause_start": now}
        if self.step == "verdict" and self.sla_pause_start:
            waited = self._sla_working_hours(self.sla_pause_start, now)
            return {
                "sla_pause_start": False,
                "sla_paused_hours": round(self.sla_paused_hours + waited, 4),
            }
        return {}

    def _post_write_notes(
        self, old_steps, outdated_approvals, new_solutions, verdict_given
    ):
        """Tell in the chatter what a write did beyond the fields."""
        for complaint in outdated_approvals:
            complaint.message_post(
                body=self.env._(
                    "The proposed solution changed: the refund approval is void."
                ),
                subtype_xmlid="mail.mt_note",
            )
        for complaint in self:
            old_step = old_steps[complaint.id]
            if (
                complaint in new_solutions
                and complaint.step == "propose"
                and old_step in ("verdict", "follow_up")
            ):
                complaint.message_post(
                    body=self.env._(
                        "The proposed solution changed after it was sent: back to "
                        "“%(stage)s” for its approval and a new verdict.",
                        stage=complaint.stage_id.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            if complaint.step == "cancelled" and old_step != "cancelled":
                complaint.message_post(
                    body=self.env._(
                        "Complaint cancelled: %(reason)s",
                        reason=complaint.cancel_reason,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            elif (
                verdict_given
                and complaint.verdict == "rejected"
                and complaint.step == "propose"
                and old_step != "propose"
            ):
                complaint.message_post(
                    body=self.env._(
                        "The customer rejected the proposed solution: back to "
                        "“%(stage)s” for a new proposal.",
                        stage=complaint.stage_id.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    def _apply_customer_policies(self, vals_list):
        """What the customer's tier and relationship level ask for: at least
        their complaint priority, and for partner and strategic alliance
        customers the company's key relationships team first."""
        partner_ids = {
            vals["partner_id"] for vals in vals_list if vals.get("partner_id")
        }
        if not partner_ids:
            return
        # sudo: the tier and level decide for whoever records the complaint
        partners = self.env["res.partner"].sudo().browse(partner_ids)
        default_priority = self.default_get(["priority"]).get("priority") or "1"
        for vals in vals_list:
            if not vals.get("partner_id"):
                continue
            partner = partners.browse(vals["partner_id"])
            company = (
                partners.env["res.company"].browse(vals.get("company_id"))
                or self.env.company
            )
            floors = [vals.get("priority") or default_priority]
            floors.append(
                partner.with_company(company).customer_tier_id.complaint_priority_floor
                or "0"
            )
            if partner.relationship_level in MANAGER_LEVELS:
                floors.append(company.key_relationship_complaint_priority or "0")
                team = company.key_relationship_complaint_team_id
                if team and (not team.company_id or team.company_id == company):
                    vals["team_id"] = team.id
            vals["priority"] = max(floors)

    def _assign_handlers(self, vals_list):
        """Complaints created without handler (none given, and no staff user
        recording them: by mail, on the portal, by a job) go to the member of
        their team (given, else the default one) with the fewest open
        complaints."""
        Team = self.env["customer.complaint.team"]
        # staff recording a complaint handle it, unless they say otherwise
        default_user = self.default_get(["user_id"]).get("user_id")
        for vals in vals_list:
            if "user_id" not in vals and default_user:
                vals["user_id"] = default_user
        waiting = [vals for vals in vals_list if not vals.get("user_id")]
        if not waiting:
            return
        default_team = None
        for vals in waiting:
            if "team_id" not in vals:
                if default_team is None:
                    default_team = Team._get_default_team()
                vals["team_id"] = default_team.id
        waiting = [vals for vals in waiting if vals["team_id"]]
        teams = Team.browse([vals["team_id"] for vals in waiting])
        companies = self.env["res.company"].browse(
            [vals.get("company_id") or self.env.company.id for vals in waiting]
        )
        for vals, user in zip(waiting, teams._pick_handlers(companies), strict=True):
            if user:
                vals["user_id"] = user.id

    def _reassign_in_team(self, vals):
        """A complaint moved to another team without handler, or whose handler
        is not of that team, goes to the new team's least busy member (written
        now, before ``vals``)."""
        team = self.env["customer.complaint.team"].browse(vals["team_id"])
        if not team.member_ids:
            return
        moving = self.filtered(
            lambda c: c.team_id != team and c.user_id not in team.member_ids
        )
        if not moving:
            return
        handlers = team.browse([team.id] * len(moving))._pick_handlers(
            moving.company_id.browse([c.company_id.id for c in moving])
        )
        by_user = defaultdict(lambda: self.browse())
        for complaint, user in zip(moving, handlers, strict=True):
            if user:
                by_user[user] |= complaint
        for user, complaints in by_user.items():
            super(CustomerComplaint, complaints).write({"user_id": user.id})

    def _prepare_partner_values(self, vals):
        """Store the commercial partner as the customer, the person as contact."""
        partner_id = vals.get("partner_id")
        if partner_id:
            partner = self.env["res.partner"].browse(partner_id)
            commercial = partner.commercial_partner_id
            if partner != commercial:
                vals["partner_id"] = commercial.id
                if not vals.get("contact_id"):
                    vals["contact_id"] = partner.id
            elif "contact_id" not in vals and any(
                complaint.contact_id.commercial_partner_id != commercial
                for complaint in self.filtered("contact_id")
            ):
                vals["contact_id"] = False
        elif vals.get("contact_id") and "partner_id" not in vals and not self:
            contact = self.env["res.partner"].browse(vals["contact_id"])
            vals["partner_id"] = contact.commercial_partner_id.id
        return vals

    def _check_protected_values(self, vals):
        """Refuse a refund approval to all but managers and the system stamps
        to everybody, whatever the way in (form, RPC, import, defaults): the
        code writes them through the bookkeeping or as superuser."""
        if self.env.su:
            return
        given = self._given_fields(vals, APPROVAL_FIELDS | SYSTEM_FIELDS)
        if given & APPROVAL_FIELDS and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only a Customer Relationship manager can approve a refund.")
            )
        if given & SYSTEM_FIELDS:
            labels = sorted(
                self._fields[fname]._description_string(self.env)
                for fname in given & SYSTEM_FIELDS
            )
            raise UserError(
                self.env._(
                    "These values of a complaint are recorded by the system and "
                    "cannot be set by hand: %(fields)s.",
                    fields=", ".join(labels),
                )
            )

    def _given_fields(self, vals, fnames):
        """The fields of ``fnames`` that ``vals`` sets: to a value on creation,
        to another value than a complaint of ``self`` has on writing (so the
        import of an export passes)."""
        fnames = fnames & vals.keys()
        if not self:
            return {fname for fname in fnames if vals[fname]}
        given = set()
        for fname in fnames:
            field = self._fields[fname]
            for complaint in self:
                value = field.convert_to_cache(vals[fname], complaint)
                if field.convert_to_record(value, complaint) != complaint[fname]:
                    given.add(fname)
                    break
        return given

    def _refund_approval_missing(self):
        self.ensure_one()
        return self.refund_approval_required and not self.refund_approved_by_id

    def _get_outdated_refund_approvals(self, vals):
        """Complaints whose approved refund is changed by ``vals``."""
        if "refund_approved_by_id" in vals or not (
            {"solution_type", "refund_amount"} & vals.keys()
        ):
            return self.browse()
        return self.filtered(
            lambda c: (
                c.refund_approved_by_id
                and (
                    (
                        "solution_type" in vals
                        and vals["solution_type"] != c.solution_type
                    )
                    or (
                        "refund_amount" in vals
                        and c.currency_id.compare_amounts(
                            vals["refund_amount"] or 0.0, c.refund_amount
                        )
                    )
                )
            )
        )

    # ------------------------------------------------------------
    # MAIL, PORTAL AND RATING
    # ------------------------------------------------------------

    def _mail_get_partners(self, introspect_fields=False):
        # the person who complained, else the customer: one partner per complaint
        return {
            complaint.id: complaint.contact_id or complaint.partner_id
            for complaint in self
        }

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A mail to a team's alias: a complaint at Listen, the customer's
        words from the body, the sender matched to a contact (a new one when
        unknown) whose company is the customer."""
        values = dict(custom_values or {})
        words = html2plaintext(msg_dict.get("body") or "").strip()
        contact = self.env["res.partner"].browse(msg_dict.get("author_id"))
        if not contact and msg_dict.get("email_from"):
            contact = self._mail_find_partner_from_emails(
                [msg_dict["email_from"]], force_create=True
            )[0]
            # the mail is posted as written by the new contact
            msg_dict["author_id"] = contact.id
        subject = (msg_dict.get("subject") or "").strip()
        values.setdefault("name", subject or subject_from_words(words))
        values.setdefault("customer_words", words)
        values.setdefault("channel", "email")
        if contact:
            values.setdefault("partner_id", contact.id)
        # the gateway's user is no handler: the team assigns one
        values.setdefault("user_id", False)
        complaint = super(
            CustomerComplaint, self.with_context(mail_create_nosubscribe=True)
        ).message_new(msg_dict, custom_values=values)
        if contact:
            complaint.message_subscribe(partner_ids=contact.ids)
        return complaint

    def message_update(self, msg_dict, update_vals=None):
        """A reply threads into the complaint; its sender, when known, follows
        it from then on."""
        # aliases are left out by the finder; unknown senders are not created
        partners = self._mail_find_partner_from_emails(
            email_split(msg_dict.get("email_from") or ""), records=self
        )
        partner_ids = [partner.id for partner in partners if partner]
        if partner_ids:
            self.message_subscribe(partner_ids=partner_ids)
        return super().message_update(msg_dict, update_vals=update_vals)

    def _track_template(self, changes):
        res = super()._track_template(changes)
        complaint = self[0]
        template = complaint.stage_id.mail_template_id
        if "stage_id" in changes and template:
            res["stage_id"] = (
                template,
                {
                    "auto_delete_keep_log": False,
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id(
                        "mail.mt_note"
                    ),
                    "email_layout_xmlid": "mail.mail_notification_light",
                },
            )
        return res

    def _rating_get_partner(self):
        return self.contact_id or self.partner_id

    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        if token:
            rating = self.env["rating.rating"].search(
                [("access_token", "=", token)], limit=1
            )
        if rating.consumed:
            # the customer's first answer stands: a replayed link changes nothing
            return rating
        rating = super().rating_apply(
            rate,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        # what the customer said counts in its loyalty score
        self.env["customer.profile.refresh.queue"]._enqueue(self.partner_id)
        return rating

    def _get_allowed_message_post_params(self):
        # the satisfaction comes from the survey of a closed complaint only
        return super()._get_allowed_message_post_params() - {"rating_value"}

    def _workflow_flag_complaints(self):
        """The complaints whose facts a post's workflow flags may tick: those
        the internal user posting may write. Mail's controllers post as
        superuser with the context the browser sent, so portal and token
        posts tick nothing."""
        user = self.env.user
        if not user._is_internal():
            return self.browse()
        if user._is_superuser():
            return self
        return self.sudo(False)._filtered_access("write")

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        context = self.env.context
        if any(context.get(flag) for flag in WORKFLOW_FLAGS):
            self._tick_workflow_flags(context)
        return super().message_post(**kwargs)

    def _tick_workflow_flags(self, context):
        """Record the facts the flags of ``context`` stand for (a sent
        apology, proposal or follow-up email)."""
        complaints = self._workflow_flag_complaints().with_context(
            **dict.fromkeys(WORKFLOW_FLAGS, False)
        )
        if context.get("mark_complaint_apology_sent"):
            complaints.filtered(lambda c: not c.apology_sent).write(
                {"apology_sent": True}
            )
        if context.get("mark_complaint_followup_sent"):
            for complaint in complaints:
                complaint.write(
                    {
                        "followup_channel": complaint.followup_channel or "email",
                        "followup_date": complaint.followup_date
                        or fields.Date.context_today(complaint),
                    }
                )
        if context.get("mark_complaint_solution_sent"):
            complaints.filtered(lambda c: c.step == "propose")._move_to_step("verdict")

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_next_step(self):
        for complaint in self:
            if complaint.step in CLOSED_STEPS:
                raise UserError(
                    self.env._(
                        "Complaint %(name)s is already closed.", name=complaint.number
                    )
                )
            next_step = STEP_ORDER[complaint_steps.step_index(complaint.step) + 1]
            complaint._move_to_step(next_step)
        return True

    def action_set_verdict_accepted(self):
        self._check_waiting_for_verdict()
        self.write({"verdict": "accepted"})
        return True

    def action_set_verdict_rejected(self):
        self._check_waiting_for_verdict()
        self.write({"verdict": "rejected"})
        return True

    def action_open_cancel(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cancel Complaint"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "customer_relationship.customer_complaint_view_form_cancel"
                    ).id,
                    "form",
                )
            ],
            "target": "new",
        }

    def action_cancel(self):
        self._move_to_step("cancelled")
        return {"type": "ir.actions.act_window_close"}

    def action_approve_refund(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only a Customer Relationship manager can approve a refund.")
            )
        for complaint in self:
            if not complaint.refund_approval_required:
                raise UserError(
                    self.env._(
                        "Complaint %(name)s has no refund above the approval limit.",
                        name=complaint.number,
                    )
                )
            if complaint.refund_approved_by_id:
                continue
            # the approval date is the system's (see write)
            complaint.write({"refund_approved_by_id": self.env.user.id})
            # sudo: the approval requests of the other managers are done too
            complaint.sudo().activity_feedback(
                ["customer_relationship.mail_activity_type_refund_approval"],
                feedback=self.env._(
                    "Approved by %(manager)s", manager=self.env.user.name
                ),
            )
            complaint.message_post(
                body=self.env._(
                    "Refund of %(amount)s approved by %(manager)s.",
                    amount=format_amount(
                        self.env, complaint.refund_amount, complaint.currency_id
                    ),
                    manager=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_request_refund_approval(self):
        """Ask the Customer Relationship managers of the company to approve
        the refund: one activity each, none twice."""
        activity_type = self.env.ref(
            "customer_relationship.mail_activity_type_refund_approval"
        )
        for complaint in self:
            if not complaint.refund_approval_required:
                raise UserError(
                    self.env._(
                        "Complaint %(name)s has no refund above the approval limit.",
                        name=complaint.number,
                    )
                )
            if complaint.refund_approved_by_id or complaint.step in CLOSED_STEPS:
                continue
            managers = complaint._company_relationship_managers()
            if not managers:
                raise UserError(
                    self.env._(
                        "No Customer Relationship manager of %(company)s can "
                        "approve the refund: ask an administrator to appoint one.",
                        company=complaint.company_id.name,
                    )
                )
            asked = complaint.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            ).user_id
            for manager in managers - asked:
                theirs = complaint.with_context(
                    lang=manager.lang or self.env.lang, tz=manager.tz
                )
                theirs.activity_schedule(
                    act_type_xmlid="customer_relationship.mail_activity_type_refund_approval",
                    user_id=manager.id,
                    date_deadline=fields.Date.context_today(theirs),
                    summary=theirs.env._(
                        "Approve the refund of %(amount)s",
                        amount=format_amount(
                            theirs.env, complaint.refund_amount, complaint.currency_id
                        ),
                    ),
                    note=theirs.env._(
                        "%(user)s asks for your approval of the refund proposed "
                        "on complaint %(name)s of %(customer)s.",
                        user=self.env.user.name,
                        name=complaint.number,
                        customer=complaint.partner_id.display_name,
                    ),
                )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("The managers were asked to approve the refund."),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_send_apology(self):
        return self._action_open_composer(
            "customer_relationship.mail_template_complaint_apology",
            mark_complaint_apology_sent=True,
        )

    def action_send_solution(self):
        for complaint in self:
            problems = complaint._get_step_problems("propose")
            if problems:
                verdict_stage = complaint._get_stage_for_step(
                    "verdict", complaint.company_id
                )
                raise UserError(
                    complaint._format_step_problems(problems, verdict_stage)
                )
        return self._action_open_composer(
            "customer_relationship.mail_template_complaint_solution",
            mark_complaint_solution_sent=True,
        )

    def action_send_followup(self):
        return self._action_open_composer(
            "customer_relationship.mail_template_complaint_followup",
            mark_complaint_followup_sent=True,
        )

    def _action_open_composer(self, template_xmlid, **context):
        self.ensure_one()
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id if template else False,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "force_email": True,
                **context,
            },
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _get_stage_for_step(self, step, company, raise_if_missing=True):
        stage = self.env["customer.complaint.stage"].search(
            [("step", "=", step), ("company_id", "in", [company.id, False])],
            order="company_id, sequence, id",
            limit=1,
        )
        if not stage and raise_if_missing:
            step_label = dict(
                self.env["customer.complaint.stage"]
                ._fields["step"]
                ._description_selection(self.env)
            )[step]
            raise UserError(
                self.env._(
                    "No complaint stage stands for the step “%(step)s”. Ask a "
                    "manager to set one up in the configuration.",
                    step=step_label,
                )
            )
        return stage

    def _move_to_step(self, step):
        for company in self.company_id:
            complaints = self.filtered(
                lambda c, company=company: c.company_id == company
            )
            stage = self._get_stage_for_step(step, company)
            complaints.filtered(lambda c, stage=stage: c.stage_id != stage).write(
                {"stage_id": stage.id}
            )
        return True

    def _get_step_problems(self, step):
        """What is missing before the complaint may leave ``step``."""
        self.ensure_one()
        problems = []
        for fname in GATES.get(step, []):
            value = self[fname]
            if not value or (isinstance(value, str) and not value.strip()):
                problems.append(self._fields[fname]._description_string(self.env))
        # a refund is proposed, and answered, once a manager approved it
        if step in ("propose", "verdict") and self.solution_type == "refund":
            if (
                step == "propose"
                and self.currency_id.compare_amounts(self.refund_amount, 0) <= 0
            ):
                problems.append(
                    self._fields["refund_amount"]._description_string(self.env)
                )
            elif self._refund_approval_missing():
                problems.append(
                    self.env._(
                        "A manager's approval of the refund of %(amount)s (above "
                        "the limit of %(limit)s)",
                        amount=format_amount(
                            self.env, self.refund_amount, self.currency_id
                        ),
                        limit=format_amount(
                            self.env,
                            self.company_id.complaint_refund_approval_limit,
                            self.currency_id,
                        ),
                    )
                )
        if step == "verdict" and self.verdict == "rejected":
            problems.append(
                self.env._(
                    "The customer rejected the proposed solution: propose a new one"
                )
            )
        return problems

    def _format_step_problems(self, problems, stage=None):
        return self.env._(
            "Complaint %(name)s cannot move to “%(stage)s” yet. Please complete "
            "first:\n%(problems)s",
            name=self.number,
            stage=(stage or self.stage_id).name,
            problems="\n".join(f"- {problem}" for problem in problems),
        )

    def _check_step_change(self, old_step, stage=None):
        """Raise unless the complaint may go from ``old_step`` to ``stage``
        (default: its stage), judged on its current facts.

        ``old_step`` is None for a new complaint, which counts as coming from
        the first step, so a complaint cannot be created past a gate either.
        """
        self.ensure_one()
        stage = stage or self.stage_id
        new_step = stage.step
        if not new_step or new_step == old_step:
            return
        if new_step == "cancelled":
            if not (self.cancel_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Complaint %(name)s cannot be cancelled without a reason: "
                        "fill in the Cancellation Reason.",
                        name=self.number,
                    )
                )
            return
        if complaint_steps.closes_out_of_order(old_step, new_step):
            follow_up = self._get_stage_for_step(
                "follow_up", self.company_id, raise_if_missing=False
            )
            raise UserError(
                self.env._(
                    "Complaint %(name)s can only be closed from the “%(stage)s” "
                    "stage, once the customer has been followed up.",
                    name=self.number,
                    stage=follow_up.name or self.env._("Follow-up"),
                )
            )
        problems = []
        for step in complaint_steps.gated_steps(old_step, new_step):
            problems += self._get_step_problems(step)
        if problems:
            problems = list(dict.fromkeys(problems))  # the approval counts once
            raise UserError(self._format_step_problems(problems, stage))

    def _check_waiting_for_verdict(self):
        for complaint in self:
            if complaint.step != "verdict":
                raise UserError(
                    self.env._(
                        "Complaint %(name)s is not waiting for the customer's verdict.",
                        name=complaint.number,
                    )
                )

    def _portal_verdict_open(self):
        """Whether the portal asks the customer for a verdict: once, on a
        proposal that needs no more approval."""
        self.ensure_one()
        return (
            self.step == "verdict"
            and not self.verdict
            and not self._refund_approval_missing()
        )

    def _portal_set_verdict(self, verdict, note, partner):
        """The customer accepts or rejects the proposed solution online."""
        self.ensure_one()
        if verdict not in ("accepted", "rejected"):
            raise UserError(
                self.env._("Please accept or reject the proposed solution.")
            )
        if self.step != "verdict":
            raise UserError(
                self.env._("This complaint is not waiting for your answer any more.")
            )
        if self.verdict:
            raise UserError(
                self.env._(
                    "You already answered this proposal, thank you. To change "
                    "your answer, please contact us."
                )
            )
        if self._refund_approval_missing():
            raise UserError(
                self.env._(
                    "This proposal is still being reviewed on our side: we will "
                    "come back to you shortly."
                )
            )
        note = (note or "").strip()
        if len(note) > VERDICT_NOTE_MAX_LENGTH:
            raise UserError(
                self.env._(
                    "Your comment is too long: please keep it to %(limit)s "
                    "characters (it has %(length)s).",
                    limit=VERDICT_NOTE_MAX_LENGTH,
                    length=len(note),
                )
            )
        if verdict == "rejected" and not note:
            raise UserError(
                self.env._(
                    "Please tell us why the proposed solution does not suit you."
                )
            )
        self.write({"verdict": verdict, "verdict_note": note or False})
        if verdict == "accepted":
            body = self.env._("The customer accepted the proposed solution online.")
        else:
            body = self.env._(
                "The customer rejected the proposed solution online: %(note)s",
                note=note,
            )
        self.message_post(
            body=body,
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    # ------------------------------------------------------------
    # DUPLICATES
    # ------------------------------------------------------------

    def _find_duplicate(self):
        """The latest earlier complaint of the same customer about the same
        order or product within the company's duplicate window: one indexed
        search."""
        self.ensure_one()
        days = self.company_id.complaint_duplicate_days
        if (
            not days
            or not self.partner_id
            or not (self.sale_order_id or self.product_id)
        ):
            return self.browse()
        about = []
        if self.sale_order_id:
            about.append([("sale_order_id", "=", self.sale_order_id.id)])
        if self.product_id:
            about.append([("product_id", "=", self.product_id.id)])
        since = self.complaint_date - timedelta(days=days)
        # sudo: a duplicate counts whoever handles the earlier complaint
        return (
            self.sudo()
            .search(
                [
                    ("id", "<", self.id),
                    ("company_id", "=", self.company_id.id),
                    ("partner_id", "=", self.partner_id.id),
                    ("step", "!=", "cancelled"),
                    ("complaint_date", ">=", since),
                    ("complaint_date", "<=", self.complaint_date),
                    *expression.OR(about),
                ],
                order="complaint_date desc, id desc",
                limit=1,
            )
            .with_env(self.env)
        )

    def _flag_duplicates(self):
        for complaint in self:
            earlier = complaint._find_duplicate()
            if not earlier:
                continue
            complaint.write({"duplicate_of_id": earlier.id})
            complaint.message_post(
                body=self.env._(
                    "Possible duplicate of %(complaint)s, received on %(date)s from "
                    "the same customer about the same order or product.",
                    complaint=earlier.display_name,
                    date=format_datetime(self.env, earlier.complaint_date),
                ),
                subtype_xmlid="mail.mt_note",
            )

    def action_merge_into_duplicate(self):
        """Keep the earlier complaint: this one's messages, attachments and
        followers move to it, and this one is cancelled with the reason."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only a Customer Relationship manager can merge complaints.")
            )
        for complaint in self:
            kept = complaint.duplicate_of_id
            if not kept:
                raise UserError(
                    self.env._(
                        "Complaint %(name)s is not flagged as a duplicate.",
                        name=complaint.number,
                    )
                )
            if kept.step == "cancelled":
                raise UserError(
                    self.env._(
                        "Complaint %(name)s is cancelled: it cannot be kept.",
                        name=kept.number,
                    )
                )
            complaint._merge_into(kept)
        return True

    def _merge_into(self, kept):
        self.ensure_one()
        # sudo: messages and attachments of a complaint the manager may handle
        self.sudo().message_ids.write({"res_id": kept.id})
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "=", self.id)]
        ).write({"res_id": kept.id})
        kept.message_subscribe(partner_ids=self.message_partner_ids.ids)
        reason = self.env._("Merged into %(name)s.", name=kept.display_name)
        self.write({"cancel_reason": reason})
        self._move_to_step("cancelled")
        kept.message_post(
            body=self.env._(
                "Complaint %(name)s was merged into this one: its messages and "
                "attachments are here.",
                name=self.display_name,
            ),
            subtype_xmlid="mail.mt_note",
        )

    # ------------------------------------------------------------
    # REMEDIES
    # ------------------------------------------------------------

    def _prepare_remedies(self):
        """An accepted refund prepares a draft credit note, an accepted
        replacement a draft quotation, once; the chatter tells what was done.

        The customer may accept on the portal and a handler need no accounting
        rights: the documents are prepared for the complaint's company."""
        for complaint in self.filtered(lambda c: c.verdict == "accepted"):
            handler = complaint.user_id or complaint.salesperson_id or self.env.user
            # sudo: prepared for the company, whoever accepted (portal, handler);
            # the texts are for the handler, in their language
            complaint_sudo = (
                complaint.sudo()
                .with_company(complaint.company_id)
                .with_context(lang=handler.lang or self.env.lang)
            )
            if (
                complaint.solution_type == "refund"
                and not complaint_sudo.credit_note_ids
            ):
                complaint_sudo._prepare_credit_note()
            elif (
                complaint.solution_type == "replace"
                and not complaint_sudo.replacement_order_ids
            ):
                complaint_sudo._prepare_replacement_quotation()

    def _remedy_note(self, body):
        # a customer accepting on the portal did not write the note: the bot did
        author = self.env.user.partner_id
        if self.env.user.share:
            author = self.env.ref("base.partner_root")
        self.message_post(body=body, author_id=author.id, subtype_xmlid="mail.mt_note")

    def _prepare_credit_note(self):
        """A draft credit note of the refund amount, against the order's
        invoice when there is one, else on the customer."""
        self.ensure_one()
        amount = self.refund_amount
        if self.currency_id.compare_amounts(amount, 0) <= 0:
            return
        invoice = self.sale_order_id.invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "posted"
        )[:1]
        journal = self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(self.company_id),
                ("type", "=", "sale"),
            ],
            limit=1,
        )
        if not journal:
            self._remedy_note(
                self.env._(
                    "No sales journal in %(company)s: prepare the credit note of "
                    "%(amount)s by hand.",
                    company=self.company_id.name,
                    amount=format_amount(self.env, amount, self.currency_id),
                )
            )
            return
        label = self.env._(
            "Refund for complaint %(number)s: %(subject)s",
            number=self.number,
            subject=self.name,
        )
        credit_note = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "journal_id": journal.id,
                "company_id": self.company_id.id,
                "partner_id": (invoice.partner_id or self.partner_id).id,
                "currency_id": self.currency_id.id,
                "invoice_origin": self.number,
                "ref": label,
                "reversed_entry_id": invoice.id,
                "invoice_user_id": (self.user_id or self.salesperson_id).id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": label,
                            "quantity": 1,
                            "price_unit": amount,
                            "product_id": self.product_id.id,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        self.credit_note_ids = [Command.link(credit_note.id)]
        self._remedy_note(
            self.env._(
                "The customer accepted the refund: a draft credit note of "
                "%(amount)s was prepared (%(reference)s).",
                amount=format_amount(self.env, amount, self.currency_id),
                reference=(
                    self.env._("against %(invoice)s", invoice=invoice.name)
                    if invoice
                    else self.env._("on the customer")
                ),
            )
        )

    def _prepare_replacement_quotation(self):
        """A draft quotation replacing the product, free of charge."""
        self.ensure_one()
        if not self.product_id:
            self._remedy_note(
                self.env._(
                    "The customer accepted a replacement, but the complaint names "
                    "no product: prepare the quotation by hand."
                )
            )
            return
        order = self.env["sale.order"].create(
            {
                "partner_id": (self.contact_id or self.partner_id).id,
                "company_id": self.company_id.id,
                "origin": self.number,
                "user_id": (self.salesperson_id or self.user_id).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product_id.id,
                            "product_uom_qty": 1,
                            "discount": 100.0,
                            "name": self.env._(
                                "%(product)s (replacement for complaint %(number)s)",
                                product=self.product_id.display_name,
                                number=self.number,
                            ),
                        }
                    )
                ],
            }
        )
        self.replacement_order_ids = [Command.link(order.id)]
        self._remedy_note(
            self.env._(
                "The customer accepted the replacement: the draft quotation "
                "%(order)s was prepared.",
                order=order.name,
            )
        )

    def action_open_credit_notes(self):
        return self._action_open_remedies(
            "account.action_move_out_refund_type", self.credit_note_ids
        )

    def action_open_replacement_orders(self):
        return self._action_open_remedies(
            "sale.action_quotations_with_onboarding", self.replacement_order_ids
        )

    def _action_open_remedies(self, action_xmlid, records):
        """The documents an accepted solution prepared, in their own action
        (the form when there is one)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(action_xmlid)
        action["domain"] = [("id", "in", records.ids)]
        action["context"] = {"create": False}
        if len(records) == 1:
            action.update(views=[(False, "form")], res_id=records.id)
        return action

    # ------------------------------------------------------------
    # PORTAL INTAKE
    # ------------------------------------------------------------

    @api.model
    def _portal_limits(self):
        return dict(PORTAL_LIMITS, file_size_mb=PORTAL_LIMITS["file_size"] // 2**20)

    @api.model
    def _portal_orders(self, partner, order_id=None):
        """The confirmed orders of ``partner``'s company (or of ``partner``
        when an individual), newest first; only ``order_id`` if given."""
        domain = [
            ("partner_id", "child_of", partner.commercial_partner_id.id),
            ("state", "=", "sale"),
        ]
        if order_id is not None:
            domain.append(("id", "=", order_id))
        # sudo: the customer chooses among their company's orders, found here
        return (
            self.env["sale.order"]
            .sudo()
            .search(domain, order="date_order desc", limit=100)
        )

    @api.model
    def _portal_order_products(self, orders):
        return orders.order_line.filtered(lambda line: not line.display_type).product_id

    @api.model
    def _portal_file_complaint(self, user, subject, words, order_id, product_id, files):
        """A complaint filed on the portal by ``user``: checked, then created
        at Listen for their company with the files they sent."""
        limits = PORTAL_LIMITS
        partner = user.partner_id
        subject = " ".join((subject or "").split())
        words = (words or "").strip()
        if not subject:
            raise UserError(self.env._("Please give your complaint a subject."))
        if len(subject) > limits["subject"]:
            raise UserError(
                self.env._(
                    "The subject is too long: %(max)s characters at most.",
                    max=limits["subject"],
                )
            )
        if not words:
            raise UserError(self.env._("Please tell us what happened."))
        if len(words) > limits["words"]:
            raise UserError(
                self.env._(
                    "Your description is too long: %(max)s characters at most.",
                    max=limits["words"],
                )
            )
        order = self._portal_checked_order(partner, order_id)
        product = self._portal_checked_product(partner, order, product_id)
        if len(files) > limits["files"]:
            raise UserError(
                self.env._("Please send at most %(max)s files.", max=limits["files"])
            )
        for filename, content in files:
            if len(content) > limits["file_size"]:
                raise UserError(
                    self.env._(
                        "The file %(file)s is too large: %(max)s MB at most.",
                        file=filename,
                        max=limits["file_size"] // 2**20,
                    )
                )
        company = order.company_id or self.env.company
        # sudo: portal users may not create complaints; the values are checked
        complaint = (
            self.sudo()
            .with_company(company)
            .with_context(mail_create_nosubscribe=True)
            .create(
                {
                    "name": subject,
                    "customer_words": words,
                    "channel": "portal",
                    "partner_id": partner.id,
                    "sale_order_id": order.id,
                    "product_id": product.id,
                    "company_id": company.id,
                }
            )
        )
        complaint.message_subscribe(partner_ids=partner.ids)
        complaint.message_post(
            body=self.env._("Complaint filed on the portal."),
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=files,
        )
        return complaint.with_env(self.env)

    @api.model
    def _portal_checked_order(self, partner, order_id):
        if not order_id:
            return self.env["sale.order"]
        try:
            order = self._portal_orders(partner, int(order_id))
        except (TypeError, ValueError):
            order = None
        if not order:
            raise UserError(
                self.env._("Please choose one of your own orders, or none.")
            )
        return order

    @api.model
    def _portal_checked_product(self, partner, order, product_id):
        if not product_id:
            return self.env["product.product"]
        try:
            product_id = int(product_id)
        except (TypeError, ValueError):
            product_id = 0
        if order:
            product = self._portal_order_products(order).filtered(
                lambda p: p.id == product_id
            )
            if not product:
                raise UserError(
                    self.env._("Please choose a product of your order, or none.")
                )
            return product
        # sudo: one line of the customer's own confirmed orders with the product
        line = (
            self.env["sale.order.line"]
            .sudo()
            .search(
                [
                    (
                        "order_id.partner_id",
                        "child_of",
                        partner.commercial_partner_id.id,
                    ),
                    ("order_id.state", "=", "sale"),
                    ("product_id", "=", product_id),
                ],
                limit=1,
            )
        )
        if not line:
            raise UserError(self.env._("Please choose a product you ordered, or none."))
        return line.product_id

    # ------------------------------------------------------------
    # SERVICE LEVEL
    # ------------------------------------------------------------

    def _sla_calendar(self):
        """The working hours the complaint's deadlines run in."""
        self.ensure_one()
        return self.team_id.resource_calendar_id or self.company_id.resource_calendar_id

    def _sla_plan(self, hours, start):
        """``start`` + ``hours`` working hours (wall-clock hours without a
        working calendar), as a naive UTC datetime."""
        calendar = self._sla_calendar()
        if calendar:
            end = calendar.plan_hours(hours, start, compute_leaves=True)
            if end:
                return end.replace(microsecond=0)
        return start + timedelta(hours=hours)

    def _sla_working_hours(self, start, end):
        calendar = self._sla_calendar()
        if calendar:
            return calendar.get_work_hours_count(start, end, compute_leaves=True)
        return max((end - start).total_seconds(), 0) / 3600

    def _schedule_sla_checks(self):
        """Book the SLA cron at the earliest escalation or first-response
        target of the open complaints (each run books the next one)."""
        moments = [
            moment
            for complaint in self
            if complaint.step not in CLOSED_STEPS
            for moment in (
                complaint.sla_escalation_date,
                not complaint.apology_sent
                and not complaint.first_response_breached
                and complaint.first_response_deadline,
            )
            if moment
        ]
        if moments:
            self._schedule_sla_check(min(moments))

    def _schedule_sla_check(self, deadline):
        """Wake the SLA cron at ``deadline`` instead of polling."""
        cron = self.env.ref(
            "customer_relationship.ir_cron_complaint_sla", raise_if_not_found=False
        )
        if cron:
            cron._trigger(at=deadline)

    @api.model
    def _sla_due_domains(self, now):
        """What the SLA cron handles at ``now``: escalations due, apologies
        late."""
        open_domain = [("step", "not in", CLOSED_STEPS)]
        return {
            "escalate": [*open_domain, ("sla_escalation_date", "<=", now)],
            "first_response": [
                *open_domain,
                ("apology_sent", "=", False),
                ("first_response_breached", "=", False),
                ("first_response_deadline", "<=", now),
            ],
        }

    @api.model
    def _cron_check_sla(self, batch_size=500):
        """Escalate the open complaints whose next escalation is due (level 1
        at the deadline, level 2 the escalation delay later, each once) and
        flag the apologies that are late.

        Woken at each target and once a day as a safety net. One batch per
        call; the cron runner calls again while some remain, and the last call
        books the next target. A complaint waiting for the customer's verdict
        has no escalation due, so its clock is stopped.
        """
        now = fields.Datetime.now()
        domains = self._sla_due_domains(now)
        escalate = self.search(
            domains["escalate"], order="sla_escalation_date, id", limit=batch_size
        )
        escalate._escalate_sla_breach()
        late = self.search(
            domains["first_response"],
            order="first_response_deadline, id",
            limit=batch_size,
        )
        late._flag_first_response_late()
        remaining = 0
        if batch_size in (len(escalate), len(late)):
            remaining = sum(self.search_count(domain) for domain in domains.values())
        if not remaining:
            upcoming = [
                self.search(
                    [
                        ("step", "not in", CLOSED_STEPS),
                        ("sla_escalation_date", ">", now),
                    ],
                    order="sla_escalation_date",
                    limit=1,
                ).sla_escalation_date,
                self.search(
                    [
                        ("step", "not in", CLOSED_STEPS),
                        ("apology_sent", "=", False),
                        ("first_response_breached", "=", False),
                        ("first_response_deadline", ">", now),
                    ],
                    order="first_response_deadline",
                    limit=1,
                ).first_response_deadline,
            ]
            upcoming = [moment for moment in upcoming if moment]
            if upcoming:
                self._schedule_sla_check(min(upcoming))
        self.env["ir.cron"]._notify_progress(
            done=len(escalate) + len(late), remaining=remaining
        )

    def _escalation_recipients(self, level):
        """Who hears of a breach at ``level``: 1, the team's escalation manager
        (else the company's or the first manager); 2, the Customer
        Relationship managers of the company."""
        self.ensure_one()
        if level == 1:
            manager = self.team_id.escalation_user_id
            if (
                manager
                and manager.active
                and self.with_user(manager).has_access("read")
            ):
                return manager
            return self._get_escalation_user()
        return self._company_relationship_managers()

    def _company_relationship_managers(self):
        """The active Customer Relationship managers of the complaint's
        company, oldest first (escalation level 2, refund approvals)."""
        self.ensure_one()
        company = self.company_id
        return (
            self.env.ref(MANAGER_GROUP)
            # sudo: any user's complaint escalates; a group's members need admin rights
            .sudo()
            .users.filtered(
                lambda u: (
                    u.active
                    and not u.share
                    and not u._is_superuser()
                    and company in u.company_ids
                )
            )
            .sorted("id")
        )

    def _escalate_sla_breach(self):
        """Flag the breach and tell the next level, in each person's language
        and time zone."""
        if not self:
            return
        activity_type = self.env.ref(
            "customer_relationship.mail_activity_type_complaint_escalation",
            raise_if_not_found=False,
        )
        by_level = defaultdict(lambda: self.browse())
        for complaint in self:
            by_level[min(complaint.escalation_level + 1, 2)] |= complaint
        for level, complaints in by_level.items():
            # sudo: the breach flag is SLA evidence only the system writes
            complaints.sudo().write({"sla_breached": True, "escalation_level": level})
        for complaint in self:
            level = complaint.escalation_level
            recipients = complaint._escalation_recipients(level)
            if activity_type:
                for user in recipients:
                    complaint._schedule_escalation_activity(user, level)
            handler = complaint.user_id or self.env.user
            own = complaint.with_context(lang=handler.lang, tz=handler.tz)
            own.message_post(
                body=own.env._(
                    "The SLA deadline (%(deadline)s) passed: escalated to "
                    "%(manager)s (level %(level)s).",
                    deadline=format_datetime(own.env, complaint.sla_deadline),
                    manager=", ".join(recipients.mapped("name"))
                    or own.env._("nobody (no manager found)"),
                    level=level,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _schedule_escalation_activity(self, user, level):
        """An escalation activity for ``user``, written in their language and
        dated in their time zone."""
        self.ensure_one()
        theirs = self.with_context(lang=user.lang or self.env.lang, tz=user.tz)
        theirs.activity_schedule(
            act_type_xmlid="customer_relationship.mail_activity_type_complaint_escalation",
            user_id=user.id,
            date_deadline=fields.Date.context_today(theirs),
            summary=theirs.env._("SLA breached: %(name)s", name=theirs.display_name),
            note=theirs.env._(
                "Complaint %(name)s of %(customer)s was still open at its "
                "deadline (%(deadline)s).",
                name=self.number,
                customer=self.partner_id.display_name,
                deadline=format_datetime(theirs.env, self.sla_deadline, tz=user.tz),
            )
            + (
                " "
                + theirs.env._(
                    "It was escalated to its team's manager before and is still open."
                )
                if level > 1
                else ""
            ),
        )

    def _flag_first_response_late(self):
        """The apology is late: flag it and remind the handler, in their
        language."""
        if not self:
            return
        self.write({"first_response_breached": True})
        for complaint in self:
            handler = complaint.user_id or self.env.user
            own = complaint.with_context(lang=handler.lang, tz=handler.tz)
            own.message_post(
                body=own.env._(
                    "The first response target (%(deadline)s) passed without an "
                    "apology to the customer.",
                    deadline=format_datetime(
                        own.env, complaint.first_response_deadline, tz=handler.tz
                    ),
                ),
                subtype_xmlid="mail.mt_note",
                partner_ids=complaint.user_id.partner_id.ids,
            )

    def _get_escalation_user(self):
        """The manager who answers for a late complaint."""
        self.ensure_one()
        company = self.company_id
        configured = company.complaint_escalation_user_id
        if configured and self.with_user(configured).has_access("read"):
            return configured
        leader = self.salesperson_id.sale_team_id.user_id
        if leader and leader.has_group(MANAGER_GROUP) and company in leader.company_ids:
            return leader
        return self._company_relationship_managers()[:1]
