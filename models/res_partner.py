# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, format_date
from odoo.tools.safe_eval import safe_eval

from ..engine import rules
from ..engine.complaint_steps import CLOSED_STEPS

RELATIONSHIP_LEVELS = [
    ("buyer", "Buyer"),
    ("preferred_supplier", "Preferred Supplier"),
    ("partner", "Partner"),
    ("alliance", "Strategic Alliance"),
]
# Levels only a manager may set (or take away).
MANAGER_LEVELS = ("partner", "alliance")
LIFECYCLE_STAGES = [
    ("potential", "Potential"),
    ("new", "New Customer"),
    ("mature", "Mature"),
    ("loyal", "Loyal"),
    ("dormant_temporary", "Dormant (temporary)"),
    ("dormant_permanent", "Dormant (permanent)"),
]
VALUE_SEGMENTS = [
    ("golden", "Golden"),
    ("meteor", "Meteor"),
    ("small_star", "Small Star"),
    ("burden", "Burden"),
]
LOYALTY_QUADRANTS = [
    ("core", "Core"),
    ("develop", "Develop"),
    ("balance", "Balance"),
    ("phase_out", "Phase Out"),
]
PURCHASE_INTENTS = [
    ("interested", "Interested"),
    ("hesitating", "Hesitating"),
    ("not_now", "Not Now"),
    ("will_not_buy", "Will Not Buy"),
    ("quoted_no_reply", "Quoted, No Reply"),
]
FOLLOWUP_STATES = [
    ("never", "Never Followed Up"),
    ("on_track", "On Track"),
    ("due", "Due"),
    ("overdue", "Overdue"),
]
CONTACT_CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("sms", "SMS"),
    ("visit", "Visit"),
    ("messaging", "Messaging App"),
]
RELATIONSHIP_ROLES = [
    ("decision_maker", "Decision Maker"),
    ("influencer", "Influencer"),
    ("executive", "Executive"),
    ("finance", "Finance"),
    ("user", "Buyer / User"),
    ("other", "Other"),
]
# The reminder kinds (mail.activity customer_reminder_kind) that ask for a
# follow-up: a recorded follow-up is their answer.
FOLLOWUP_REMINDER_KINDS = ("followup", "prospect")
# Messages posted on a customer that reach it (a "comment" with a subtype that
# is not internal: a message, not a note; an email).
CONTACT_MESSAGE_TYPES = ("comment", "email")
FOLLOWUP_SOURCES = [
    ("log", "Logged Follow-up"),
    ("activity", "Activity Done"),
    ("message", "Message Sent"),
]
EXECUTIVE_ROLES = ("decision_maker", "executive")
WORKING_LEVEL_ROLES = ("influencer", "finance", "user")
LUXURY_REASONS = [
    (rules.LUXURY_TIER, "Lowest Tier"),
    (rules.LUXURY_COST, "Costs More Than It Returns"),
    (rules.LUXURY_BOTH, "Lowest Tier and Costs More Than It Returns"),
]
BLACKLIST_REASONS = [
    ("broke_trust", "Broke Trust"),
    ("unpaid", "Unpaid"),
    ("fraud", "Fraud"),
    ("other", "Other"),
]

# Who reads the profile (SPEC §4): internal users; the revenue, the blacklist
# details and the complaint figures: relationship users only. Portal users read
# none of it (the portal shows none of it).
INTERNAL_GROUP = "base.group_user"
RELATIONSHIP_GROUP = "customer_relationship.group_user_own"

# Profile fields written by the profile refresh only (or by the superuser): what
# the engine decides, but the tier (a manager may set it) and the quadrant
# (decided again when people change the strength). Each company has its own
# (company-dependent fields): the profile of a customer in each company.
ENGINE_FIELDS = frozenset(rules.ENGINE_COLUMNS) - {
    "customer_tier_id",
    "loyalty_quadrant",
}
# Profile fields only managers may change.
MANAGER_FIELDS = frozenset(
    {
        "customer_tier_id",
        "tier_locked",
        "tier_lock_reason",
        "is_customer_blacklisted",
        "blacklist_group_wide",
        "blacklist_reason",
        "blacklist_note",
    }
)
# Who blacklisted and when: stamped when the blacklist flag changes, never
# written by users (managers included).
SYSTEM_FIELDS = frozenset({"blacklist_date", "blacklist_user_id"})
# Profile fields set by relationship users on the commercial partner.
PEOPLE_FIELDS = frozenset(
    {
        "relationship_level",
        "loyalty_strength",
        "signal_gives_suggestions",
        "signal_follows_new_products",
        "signal_refers_others",
        "signal_rejects_competitors",
        "purchase_intent",
        "expected_purchase_date",
        "no_purchase_reason",
        "product_feedback",
        "quote_date",
        "last_followup_date",
        "next_followup_date",
        "last_followup_source",
        "next_followup_manual",
        "custom_followup_interval_days",
        "preferred_channel",
        "min_contact_interval_days",
        "best_contact_time",
        "company_anniversary",
        "greetings_opt_in",
        "share_of_wallet",
        "competitor_notes",
        "competitor_satisfaction",
        "economic_notes",
    }
)
# The profile of a company: kept on the commercial partner only.
COMPANY_PROFILE_FIELDS = ENGINE_FIELDS | MANAGER_FIELDS | PEOPLE_FIELDS | SYSTEM_FIELDS
# Facts of each person: kept on each contact (and on individual customers);
# do-not-contact on the company holds for all its contacts.
CONTACT_FIELDS = frozenset(
    {
        "relationship_role",
        "influence",
        "birthday",
        "do_not_contact",
        "greetings_opt_out",
    }
)
# What makes a partner a given salesperson's customer: changed by the manager's
# handover, not by "own customers" users (SPEC §4).
OWNERSHIP_FIELDS = frozenset({"user_id", "parent_id"})
# The follow-up dates: set by people (form, import, RPC) and by the one writer,
# ``_record_followup``; checked together.
FOLLOWUP_DATE_FIELDS = ("last_followup_date", "next_followup_date")
# What the next follow-up planned from the cadence follows (``_plan_followups``).
PLANNED_FROM_FIELDS = frozenset(
    {
        "last_followup_date",
        "custom_followup_interval_days",
        "customer_tier_id",
        "next_followup_manual",
    }
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Classification
    customer_tier_id = fields.Many2one(
        "customer.tier",
        groups=INTERNAL_GROUP,
        company_dependent=True,
        ondelete="restrict",
        tracking=True,
        copy=False,
        help="Customer tier, assigned by the profile refresh from the customer's "
        "value unless a manager locked it.",
    )
    customer_tier_color = fields.Integer(
        groups=INTERNAL_GROUP,
        related="commercial_partner_id.customer_tier_id.color",
        string="Tier Color",
    )
    tier_locked = fields.Boolean(
        groups=INTERNAL_GROUP,
        company_dependent=True,
        index=False,
        tracking=True,
        copy=False,
        help="The profile refresh keeps a locked tier as it is.",
    )
    tier_lock_reason = fields.Char(
        tracking=True,
        copy=False,
        groups=INTERNAL_GROUP,
        company_dependent=True,
        index=False,
    )
    relationship_level = fields.Selection(
        RELATIONSHIP_LEVELS,
        groups=INTERNAL_GROUP,
        tracking=True,
        copy=False,
        help="Only managers may set Partner or Strategic Alliance.",
    )
    is_luxury_relationship = fields.Boolean(
        groups=INTERNAL_GROUP,
        string="Luxury Relationship",
        compute="_compute_is_luxury_relationship",
        search="_search_is_luxury_relationship",
        help="A partner or alliance level that costs more than it returns: on a "
        "customer of the lowest tier, or whose cost in the revenue window "
        "exceeds the set share of its revenue. Review it.",
    )
    luxury_reason = fields.Selection(
        LUXURY_REASONS,
        groups=INTERNAL_GROUP,
        string="Luxury Because",
        compute="_compute_is_luxury_relationship",
        search="_search_luxury_reason",
    )
    lifecycle_stage = fields.Selection(
        LIFECYCLE_STAGES,
        company_dependent=True,
        index=False,
        groups=INTERNAL_GROUP,
        readonly=True,
        copy=False,
        group_expand="_group_expand_lifecycle_stage",
        help="Lifecycle stage, computed by the profile refresh.",
    )
    lifecycle_stage_date = fields.Date(
        string="Stage Since",
        readonly=True,
        copy=False,
        groups=INTERNAL_GROUP,
        company_dependent=True,
        index=False,
    )
    lifecycle_history_ids = fields.One2many(
        "customer.lifecycle.history",
        "partner_id",
        groups=INTERNAL_GROUP,
        readonly=True,
    )
    tier_history_ids = fields.One2many(
        "customer.tier.history",
        "partner_id",
        readonly=True,
    )
    value_segment = fields.Selection(
        VALUE_SEGMENTS,
        company_dependent=True,
        index=False,
        groups=INTERNAL_GROUP,
        readonly=True,
        copy=False,
        help="Value segment, computed by the profile refresh.",
    )
    # Loyalty
    loyalty_score = fields.Integer(
        company_dependent=True,
        index=False,
        groups=INTERNAL_GROUP,
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Loyalty score from 0 to 100: repeat purchases and the "
        "recorded signals, lowered by open complaints.",
    )
    loyalty_strength = fields.Selection(
        [("strong", "Strong"), ("weak", "Weak")],
        groups=INTERNAL_GROUP,
        string="Strength",
        company_dependent=True,
        index=False,
        copy=False,
        help="How strong the customer is for us. Empty: strong for a high-value "
        "tier, weak otherwise.",
    )
    loyalty_strength_in_force = fields.Selection(
        [("strong", "Strong"), ("weak", "Weak")],
        groups=INTERNAL_GROUP,
        string="Strength in Force",
        compute="_compute_loyalty_strength_in_force",
        help="The strength set by people, else the tier's: strong for a high-value "
        "tier, weak otherwise.",
    )
    loyalty_quadrant = fields.Selection(
        LOYALTY_QUADRANTS,
        groups=INTERNAL_GROUP,
        readonly=True,
        copy=False,
        company_dependent=True,
        index=False,
        help="Core: loyal and strong. Develop: loyal and weak. Balance: not loyal "
        "and strong. Phase out: not loyal and weak.",
    )
    signal_gives_suggestions = fields.Boolean(
        string="Gives Suggestions", copy=False, groups=INTERNAL_GROUP
    )
    signal_follows_new_products = fields.Boolean(
        groups=INTERNAL_GROUP, string="Follows New Products", copy=False
    )
    signal_refers_others = fields.Boolean(
        string="Refers Others", copy=False, groups=INTERNAL_GROUP
    )
    signal_rejects_competitors = fields.Boolean(
        groups=INTERNAL_GROUP, string="Rejects Competitors", copy=False
    )
    # Purchase intent (prospects)
    purchase_intent = fields.Selection(
        PURCHASE_INTENTS, tracking=True, copy=False, groups=INTERNAL_GROUP
    )
    expected_purchase_date = fields.Date(copy=False, groups=INTERNAL_GROUP)
    no_purchase_reason = fields.Text(
        string="Reason Not to Buy", copy=False, groups=INTERNAL_GROUP
    )
    product_feedback = fields.Text(copy=False, groups=INTERNAL_GROUP)
    quote_date = fields.Date(copy=False, groups=INTERNAL_GROUP)
    # Purchase history (written by the profile refresh)
    first_order_date = fields.Date(
        readonly=True,
        copy=False,
        groups=INTERNAL_GROUP,
        company_dependent=True,
        index=False,
    )
    last_order_date = fields.Date(
        readonly=True,
        copy=False,
        groups=INTERNAL_GROUP,
        company_dependent=True,
        index=False,
    )
    order_count = fields.Integer(
        string="Confirmed Orders",
        readonly=True,
        copy=False,
        groups=INTERNAL_GROUP,
        company_dependent=True,
        index=False,
    )
    # Amounts in the company's currency (``profile_currency_id``): Float, as
    # Odoo's company-dependent amounts (Monetary cannot be company-dependent).
    window_revenue = fields.Float(
        string="Revenue (window)",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        groups="customer_relationship.group_user_own",
        help="Untaxed revenue of the confirmed orders in the revenue window, in the "
        "company currency.",
    )
    window_cost = fields.Float(
        string="Cost (window)",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        groups="customer_relationship.group_user_own",
        help="What the customer cost in the revenue window, in the company "
        "currency: posted credit notes, refunds granted through complaints and "
        "not posted as a credit note yet, and the set cost of each complaint "
        "handled.",
    )
    profile_currency_id = fields.Many2one(
        "res.currency", compute="_compute_profile_currency_id", groups=INTERNAL_GROUP
    )
    average_order_interval = fields.Float(
        company_dependent=True,
        index=False,
        groups=INTERNAL_GROUP,
        string="Average Days Between Orders",
        readonly=True,
        copy=False,
        digits=(16, 1),
    )
    expected_reorder_date = fields.Date(
        company_dependent=True,
        index=False,
        groups=INTERNAL_GROUP,
        readonly=True,
        copy=False,
        help="When the customer's product is expected to be used up: "
        "last order date plus the average days between orders.",
    )
    days_since_order = fields.Integer(
        groups=INTERNAL_GROUP,
        string="Days Since Last Order",
        compute="_compute_days_since_order",
        search="_search_days_since_order",
    )
    never_purchased = fields.Boolean(
        groups=INTERNAL_GROUP,
        compute="_compute_never_purchased",
        search="_search_never_purchased",
        help="No confirmed order yet.",
    )
    # Follow-up
    # The follow-ups are the company's: each company follows a shared customer
    # up on its own cadence (company-dependent, as the profile).
    last_followup_date = fields.Date(
        string="Last Follow-up",
        copy=False,
        tracking=True,
        groups=INTERNAL_GROUP,
        company_dependent=True,
        index=False,
    )
    last_followup_source = fields.Selection(
        FOLLOWUP_SOURCES,
        groups=INTERNAL_GROUP,
        string="Last Follow-up From",
        readonly=True,
        copy=False,
        company_dependent=True,
        index=False,
        help="How the last follow-up was recorded.",
    )
    # Planned by the writes that move it (``_plan_followups``), not a stored
    # compute: company-dependent values are set per company.
    next_followup_date = fields.Date(
        groups=INTERNAL_GROUP,
        string="Next Follow-up",
        copy=False,
        company_dependent=True,
        index=False,
        help="Planned next follow-up: the last follow-up plus the cadence, unless "
        "a date was set by hand. A date planned from the cadence follows a new "
        "tier or cadence; a date set by hand stays.",
    )
    next_followup_manual = fields.Boolean(
        string="Next Follow-up Set by Hand",
        copy=False,
        company_dependent=True,
        index=False,
        help="The next follow-up date was chosen by a person: a new tier or "
        "cadence does not move it.",
        groups=INTERNAL_GROUP,
    )
    custom_followup_interval_days = fields.Integer(
        groups=INTERNAL_GROUP,
        string="Own Cadence (days)",
        copy=False,
        company_dependent=True,
        index=False,
        help="Days between follow-ups for this customer. Empty: the tier's cadence, "
        "else the default cadence (Settings).",
    )
    followup_interval_days = fields.Integer(
        groups=INTERNAL_GROUP,
        string="Follow-up Cadence (days)",
        compute="_compute_followup_interval_days",
        inverse="_inverse_followup_interval_days",
        search="_search_followup_interval_days",
        help="Days between follow-ups: the customer's own cadence, else its "
        "tier's, else the default cadence (Settings). Setting it sets the "
        "customer's own cadence and plans the next follow-up from it.",
    )
    followup_state = fields.Selection(
        FOLLOWUP_STATES,
        groups=INTERNAL_GROUP,
        string="Follow-up State",
        compute="_compute_followup_state",
        search="_search_followup_state",
    )
    days_since_followup = fields.Integer(
        groups=INTERNAL_GROUP,
        string="Days Since Follow-up",
        compute="_compute_days_since_followup",
        search="_search_days_since_followup",
    )
    # Contact preferences
    preferred_channel = fields.Selection(
        CONTACT_CHANNELS, copy=False, groups=INTERNAL_GROUP
    )
    min_contact_interval_days = fields.Integer(
        groups=INTERNAL_GROUP,
        string="Minimum Days Between Contacts",
        copy=False,
        help="How often the customer accepts to be contacted: reminders are never "
        "closer together than this.",
    )
    do_not_contact = fields.Boolean(
        copy=False,
        tracking=True,
        groups=INTERNAL_GROUP,
        help="No reminder nor greeting for this person; on a company, for the "
        "company and all its contacts.",
    )
    best_contact_time = fields.Char(
        copy=False, help="e.g. weekday mornings", groups=INTERNAL_GROUP
    )
    # Customer file
    birthday = fields.Date(copy=False, groups=INTERNAL_GROUP)
    company_anniversary = fields.Date(copy=False, groups=INTERNAL_GROUP)
    greetings_opt_in = fields.Boolean(
        groups=INTERNAL_GROUP,
        string="Greetings",
        copy=False,
        help="Send birthday and holiday greetings.",
    )
    greetings_opt_out = fields.Boolean(
        string="No Greetings",
        copy=False,
        help="This person wants no greetings, even when the company accepts them.",
        groups=INTERNAL_GROUP,
    )
    share_of_wallet = fields.Float(
        groups=INTERNAL_GROUP,
        string="Share of Wallet",
        copy=False,
        digits=(5, 1),
        help="Estimated share of the customer's spending in our category that we "
        "get, in percent. Target: at least two thirds.",
    )
    competitor_notes = fields.Text(
        groups=INTERNAL_GROUP,
        string="Main Competitors",
        copy=False,
        help="Who else supplies the customer.",
    )
    competitor_satisfaction = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High")],
        groups=INTERNAL_GROUP,
        string="Satisfaction with Competitors",
        copy=False,
    )
    economic_notes = fields.Text(
        string="Economic Situation", copy=False, groups=INTERNAL_GROUP
    )
    # Key people (on each contact)
    relationship_role = fields.Selection(
        RELATIONSHIP_ROLES, copy=False, groups=INTERNAL_GROUP
    )
    influence = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High")],
        copy=False,
        groups=INTERNAL_GROUP,
    )
    key_people_ids = fields.Many2many(
        "res.partner",
        groups=INTERNAL_GROUP,
        compute="_compute_key_people_ids",
        help="The company's contacts, with their role and influence.",
    )
    has_executive_tie = fields.Boolean(
        groups=INTERNAL_GROUP,
        compute="_compute_key_people_coverage",
        help="A contact of the company is a decision maker or an executive.",
    )
    has_working_tie = fields.Boolean(
        groups=INTERNAL_GROUP,
        string="Has Working-Level Tie",
        compute="_compute_key_people_coverage",
        help="A contact of the company is an influencer, in finance, or a buyer or "
        "user.",
    )
    # Staff and own companies: not customers (no profile, not in the menus)
    is_staff_partner = fields.Boolean(
        groups=INTERNAL_GROUP,
        string="Staff or Own Company",
        compute="_compute_is_staff_partner",
        search="_search_is_staff_partner",
        help="The partner of one of our companies or of an internal user, that "
        "never bought from us: not a customer (no profile, reminders nor reports).",
    )
    # Blacklist
    # Blacklist: each company its own (company-dependent), and the managers'
    # blacklist of the whole group of companies.
    is_customer_blacklisted = fields.Boolean(
        groups=INTERNAL_GROUP,
        string="Blacklisted",
        tracking=True,
        copy=False,
        company_dependent=True,
        help="Blacklisted by the current company.",
    )
    blacklist_group_wide = fields.Boolean(
        groups=INTERNAL_GROUP,
        string="Blacklisted for the Whole Group",
        tracking=True,
        copy=False,
        help="Blacklisted by every company of the database, whatever each "
        "company's own blacklist says. Only managers set it.",
    )
    is_group_of_companies = fields.Boolean(
        groups=INTERNAL_GROUP,
        string="Several Companies",
        compute="_compute_is_group_of_companies",
        help="The database has several companies: the group-wide blacklist applies.",
    )
    is_blacklisted_in_force = fields.Boolean(
        groups=INTERNAL_GROUP,
        string="Blacklisted Here",
        compute="_compute_is_blacklisted_in_force",
        search="_search_is_blacklisted_in_force",
        help="Blacklisted by the current company or for the whole group.",
    )
    blacklist_reason = fields.Selection(
        BLACKLIST_REASONS,
        tracking=True,
        copy=False,
        groups="customer_relationship.group_user_own",
        company_dependent=True,
        index=False,
    )
    blacklist_note = fields.Text(
        copy=False,
        groups="customer_relationship.group_user_own",
        company_dependent=True,
        index=False,
    )
    blacklist_date = fields.Date(
        readonly=True,
        copy=False,
        groups="customer_relationship.group_user_own",
        company_dependent=True,
        index=False,
    )
    blacklist_user_id = fields.Many2one(
        "res.users",
        string="Blacklisted By",
        readonly=True,
        copy=False,
        groups="customer_relationship.group_user_own",
        company_dependent=True,
    )
    # The company's profile, shown read-only on its contacts
    commercial_customer_tier_id = fields.Many2one(
        related="commercial_partner_id.customer_tier_id", string="Company Tier"
    )
    commercial_relationship_level = fields.Selection(
        related="commercial_partner_id.relationship_level",
        string="Company Relationship Level",
    )
    commercial_lifecycle_stage = fields.Selection(
        related="commercial_partner_id.lifecycle_stage",
        string="Company Lifecycle Stage",
    )
    commercial_value_segment = fields.Selection(
        related="commercial_partner_id.value_segment",
        string="Company Value Segment",
    )
    commercial_is_customer_blacklisted = fields.Boolean(
        related="commercial_partner_id.is_blacklisted_in_force",
        string="Company Blacklisted",
    )
    commercial_blacklist_reason = fields.Selection(
        related="commercial_partner_id.blacklist_reason",
        string="Company Blacklist Reason",
        groups="customer_relationship.group_user_own",
    )

    # What the current user may change (drives the form's readonly flags)
    can_edit_profile = fields.Boolean(
        compute="_compute_profile_rights", groups=INTERNAL_GROUP
    )
    can_manage_profile = fields.Boolean(
        compute="_compute_profile_rights", groups=INTERNAL_GROUP
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("min_contact_interval_days", "custom_followup_interval_days")
    def _check_profile_days(self):
        for partner in self:
            if partner.min_contact_interval_days < 0:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: the minimum days between contacts cannot be "
                        "negative.",
                        partner=partner.display_name,
                    )
                )
            if partner.custom_followup_interval_days < 0:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: the follow-up cadence cannot be negative.",
                        partner=partner.display_name,
                    )
                )

    @api.constrains(*FOLLOWUP_DATE_FIELDS)
    def _check_followup_dates(self):
        """No follow-up in the future, no next follow-up before the last one,
        whatever the way in (form, import, RPC, the follow-up writer)."""
        # The user's day, or the company's when it is already later there.
        today = max(
            fields.Date.context_today(self), self.env.company._relationship_today()
        )
        for partner in self:
            last = partner.last_followup_date
            following = partner.next_followup_date
            if last and last > today:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: the last follow-up (%(date)s) cannot be in the "
                        "future.",
                        partner=partner.display_name,
                        date=format_date(self.env, last),
                    )
                )
            if last and following and following < last:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: the next follow-up (%(next)s) cannot come "
                        "before the last one (%(last)s).",
                        partner=partner.display_name,
                        next=format_date(self.env, following),
                        last=format_date(self.env, last),
                    )
                )

    @api.constrains("share_of_wallet")
    def _check_share_of_wallet(self):
        for partner in self:
            if not 0 <= partner.share_of_wallet <= 100:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: the share of wallet is a percentage between "
                        "0 and 100.",
                        partner=partner.display_name,
                    )
                )

    @api.constrains(
        "purchase_intent", "expected_purchase_date", "no_purchase_reason", "quote_date"
    )
    def _check_purchase_intent(self):
        for partner in self:
            intent = partner.purchase_intent
            if intent == "not_now" and not partner.expected_purchase_date:
                raise ValidationError(
                    self.env._(
                        "%(partner)s does not buy now: give the expected purchase "
                        "date.",
                        partner=partner.display_name,
                    )
                )
            if (
                intent == "will_not_buy"
                and not (partner.no_purchase_reason or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "%(partner)s will not buy: give the reason.",
                        partner=partner.display_name,
                    )
                )
            if intent == "quoted_no_reply" and not partner.quote_date:
                raise ValidationError(
                    self.env._(
                        "%(partner)s was quoted: give the quote date.",
                        partner=partner.display_name,
                    )
                )

    @api.constrains("is_customer_blacklisted", "blacklist_reason")
    def _check_blacklist_reason(self):
        # sudo: the blacklist fields are readable by relationship users only
        for partner in self.sudo():
            if partner.is_customer_blacklisted and not partner.blacklist_reason:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: blacklisting needs a reason.",
                        partner=partner.display_name,
                    )
                )

    @api.constrains("blacklist_group_wide")
    def _check_blacklist_group_wide(self):
        # sudo: the blacklist fields are readable by relationship users only
        for partner in self.sudo():
            if partner.blacklist_group_wide and not partner.is_customer_blacklisted:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: blacklist the customer for your company, "
                        "with its reason, before blacklisting it for the whole "
                        "group.",
                        partner=partner.display_name,
                    )
                )

    @api.constrains("tier_locked", "tier_lock_reason", "customer_tier_id")
    def _check_tier_lock(self):
        for partner in self:
            if partner.tier_locked and not partner.customer_tier_id:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: choose the tier to lock.",
                        partner=partner.display_name,
                    )
                )
            if partner.tier_locked and not (partner.tier_lock_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "%(partner)s: locking the tier needs a reason.",
                        partner=partner.display_name,
                    )
                )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("user_id", "commercial_partner_id.user_id")
    @api.depends_context("uid")
    def _compute_profile_rights(self):
        is_manager = self.env.user.has_group("customer_relationship.group_manager")
        editable = self._filter_profile_editable()
        for partner in self:
            partner.can_manage_profile = is_manager
            partner.can_edit_profile = partner in editable

    @api.depends(
        "relationship_level",
        "customer_tier_id",
        "commercial_partner_id.window_cost",
        "commercial_partner_id.window_revenue",
    )
    @api.depends_context("company")
    def _compute_is_luxury_relationship(self):
        lowest = self.env["customer.tier"]._get_lowest_tier()
        share = self.env.company._relationship_setting("luxury_cost_share")
        for partner in self:
            # sudo: the cost decides the flag for users who read no figures
            commercial = partner.commercial_partner_id.sudo()
            reason = rules.luxury_reason(
                partner.relationship_level in MANAGER_LEVELS,
                bool(lowest) and partner.customer_tier_id == lowest,
                float(commercial.window_cost or 0.0),
                float(commercial.window_revenue or 0.0),
                share,
            )
            partner.luxury_reason = reason
            partner.is_luxury_relationship = bool(reason)

    def _luxury_ids(self, reasons):
        """Ids of the commercial partners whose relationship is a luxury for
        one of ``reasons``: one query over the partner and alliance levels."""
        lowest = self.env["customer.tier"]._get_lowest_tier()
        share = self.env.company._relationship_setting("luxury_cost_share")
        value = self._company_value_sql
        tier = (
            SQL("%s = %s", value(SQL("p"), "customer_tier_id"), lowest.id)
            if lowest
            else SQL("FALSE")
        )
        cost = (
            SQL(
                "COALESCE(%(cost)s, 0) > 0 AND COALESCE(%(cost)s, 0) "
                "> COALESCE(%(revenue)s, 0) * %(share)s / 100.0",
                cost=value(SQL("p"), "window_cost"),
                revenue=value(SQL("p"), "window_revenue"),
                share=share,
            )
            if share
            else SQL("FALSE")
        )
        self.flush_model(
            ["relationship_level", "customer_tier_id", "window_cost", "window_revenue"]
        )
        self.env.cr.execute(
            SQL(
                """SELECT l.id FROM (
                       SELECT p.id,
                              CASE WHEN %(tier)s AND %(cost)s THEN %(both)s
                                   WHEN %(tier)s THEN %(lowest)s
                                   WHEN %(cost)s THEN %(costly)s END AS reason
                         FROM res_partner p
                        WHERE p.relationship_level IN %(levels)s) l
                    WHERE l.reason = ANY(%(reasons)s)""",
                tier=tier,
                cost=cost,
                both=rules.LUXURY_BOTH,
                lowest=rules.LUXURY_TIER,
                costly=rules.LUXURY_COST,
                levels=MANAGER_LEVELS,
                reasons=list(reasons),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _search_is_luxury_relationship(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Operation not supported"))
        domain = [("id", "in", self._luxury_ids(dict(LUXURY_REASONS)))]
        if (operator == "=") != bool(value):
            domain = ["!", *domain]
        return domain

    def _search_luxury_reason(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Operation not supported"))
        values = [value] if operator in ("=", "!=") else list(value)
        reasons = [v for v in values if v]
        domain = [("id", "in", self._luxury_ids(reasons))]
        if False in values or None in values:
            domain = expression.OR(
                [domain, ["!", ("id", "in", self._luxury_ids(dict(LUXURY_REASONS)))]]
            )
        if operator in ("!=", "not in"):
            domain = ["!", *domain]
        return domain

    def _update_loyalty_quadrant(self):
        """The quadrant of the current company's profile, again, after people
        changed the strength or the tier (the engine decides it otherwise)."""
        loyal_score = self.env.company._relationship_setting("loyal_score")
        # sudo: the quadrant follows what the user was allowed to change
        partners = self.sudo().commercial_partner_id
        by_quadrant = {}
        for partner in partners:
            tier = partner.customer_tier_id
            quadrant = (
                rules.customer_quadrant(
                    partner.loyalty_score,
                    loyal_score,
                    partner.loyalty_strength,
                    tier.is_high_value if tier else None,
                )
                or False
            )
            if quadrant != partner.loyalty_quadrant:
                by_quadrant.setdefault(quadrant, partners.browse())
                by_quadrant[quadrant] |= partner
        for quadrant, changed in by_quadrant.items():
            changed.write({"loyalty_quadrant": quadrant})

    def _compute_is_group_of_companies(self):
        self.is_group_of_companies = (
            len(self.env["customer.profile.refresh"]._profile_company_ids()) > 1
        )

    @api.depends("is_customer_blacklisted", "blacklist_group_wide")
    @api.depends_context("company")
    def _compute_is_blacklisted_in_force(self):
        for partner in self:
            partner.is_blacklisted_in_force = (
                partner.is_customer_blacklisted or partner.blacklist_group_wide
            )

    def _search_is_blacklisted_in_force(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        domain = [
            "|",
            ("is_customer_blacklisted", "=", True),
            ("blacklist_group_wide", "=", True),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends_context("company")
    def _compute_profile_currency_id(self):
        self.profile_currency_id = self.env.company.currency_id

    @api.depends("commercial_partner_id.last_order_date")
    @api.depends_context("tz", "company")
    def _compute_days_since_order(self):
        self._compute_days_since("last_order_date", "days_since_order")

    def _search_days_since_order(self, operator, value):
        return self._search_days_since("last_order_date", operator, value)

    @api.depends("commercial_partner_id.order_count")
    @api.depends_context("company")
    def _compute_never_purchased(self):
        for partner in self:
            partner.never_purchased = not partner.commercial_partner_id.order_count

    def _search_never_purchased(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Operation not supported"))
        if (operator == "=") == bool(value):
            return expression.AND(
                [self._commercial_domain(), [("order_count", "in", (0, False))]]
            )
        return [("order_count", ">", 0)]

    @api.depends(
        "custom_followup_interval_days", "customer_tier_id.followup_interval_days"
    )
    @api.depends_context("company")
    def _compute_followup_interval_days(self):
        default = self.env.company._relationship_setting(
            "followup_default_interval_days"
        )
        for partner in self:
            partner.followup_interval_days = (
                partner.custom_followup_interval_days
                or partner.customer_tier_id.followup_interval_days
                or default
            )

    def _inverse_followup_interval_days(self):
        """The customer's own cadence; 0, or the tier's or default cadence on a
        customer without own cadence (what a form sends back unchanged), keep
        following the tier or the default."""
        default = self.env.company._relationship_setting(
            "followup_default_interval_days"
        )
        changed = self.filtered(
            lambda p: (
                p.custom_followup_interval_days
                or p.followup_interval_days
                not in (0, p.customer_tier_id.followup_interval_days or default)
            )
        )
        for cadence, partners in changed.grouped("followup_interval_days").items():
            partners.write({"custom_followup_interval_days": cadence})

    @api.onchange(
        "last_followup_date",
        "followup_interval_days",
        "custom_followup_interval_days",
        "customer_tier_id",
        "next_followup_manual",
    )
    def _onchange_plan_next_followup(self):
        # The form shows the next follow-up the cadence plans (written on save,
        # ``_plan_followups``); a date set by hand stays.
        for partner in self:
            if partner.next_followup_manual:
                continue
            last = partner.last_followup_date
            partner.next_followup_date = (
                last + timedelta(days=partner.followup_interval_days) if last else False
            )

    def _plan_followups(self):
        """Plan again, in the current company, the next follow-ups of ``self``
        not set by hand, from their last follow-up and cadence (none without
        a last follow-up): after a write of what they follow (the last
        follow-up, the cadence, the tier). One statement."""
        ids = self._origin.ids
        if ids:
            self._replan_followups(SQL("p.id = ANY(%s)", ids))

    @api.depends(
        "commercial_partner_id.last_followup_date",
        "commercial_partner_id.next_followup_date",
    )
    @api.depends_context("tz", "company")
    def _compute_followup_state(self):
        today = fields.Date.context_today(self)
        due_days = self.env.company._relationship_setting("followup_due_days")
        for partner in self:
            commercial = partner.commercial_partner_id
            # staff and our own companies are not followed up as customers
            partner.followup_state = not commercial.is_staff_partner and (
                rules.followup_state(
                    commercial.last_followup_date,
                    commercial.next_followup_date,
                    today,
                    due_days,
                )
            )

    def _search_followup_state(self, operator, value):
        if operator in ("=", "!="):
            values = [value]
        elif operator in ("in", "not in"):
            values = list(value)
        else:
            raise UserError(self.env._("Operation not supported"))
        today = fields.Date.context_today(self)
        due_limit = today + timedelta(
            days=self.env.company._relationship_setting("followup_due_days")
        )
        state_domains = {
            "never": expression.AND(
                [self._commercial_domain(), [("last_followup_date", "=", False)]]
            ),
            "overdue": [("next_followup_date", "<", today)],
            "due": [
                ("next_followup_date", ">=", today),
                ("next_followup_date", "<=", due_limit),
            ],
            "on_track": [
                ("last_followup_date", "!=", False),
                "|",
                ("next_followup_date", "=", False),
                ("next_followup_date", ">", due_limit),
            ],
        }
        domain = expression.AND(
            [
                expression.OR(
                    [state_domains[v] for v in values if v in state_domains]
                    or [expression.FALSE_DOMAIN]
                ),
                [("is_staff_partner", "=", False)],
            ]
        )
        if operator in ("!=", "not in"):
            domain = ["!", *domain]
        return domain

    @api.depends("commercial_partner_id.last_followup_date")
    @api.depends_context("tz", "company")
    def _compute_days_since_followup(self):
        self._compute_days_since("last_followup_date", "days_since_followup")

    def _compute_days_since(self, date_field, days_field):
        """Days since the commercial partner's date, computed on read (0 without
        a date): the stored date is never rewritten daily."""
        today = fields.Date.context_today(self)
        for partner in self:
            last = partner.commercial_partner_id[date_field]
            partner[days_field] = (today - last).days if last else 0

    def _search_days_since_followup(self, operator, value):
        return self._search_days_since("last_followup_date", operator, value)

    def _compute_is_staff_partner(self):
        partners = self.filtered("id")
        staff_ids = set()
        if partners:
            self._flush_staff_partner()
            self.env.cr.execute(
                SQL(
                    "SELECT p.id FROM res_partner p WHERE p.id IN %s AND %s",
                    tuple(partners._origin.ids),
                    self._staff_partner_sql(SQL("p")),
                )
            )
            staff_ids = {row[0] for row in self.env.cr.fetchall()}
        for partner in self:
            partner.is_staff_partner = partner._origin.id in staff_ids

    def _search_is_staff_partner(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        self._flush_staff_partner()
        # the few staff and company partners: a hashed subplan at any size
        staff = SQL(
            "(SELECT p.id FROM res_partner p WHERE p.id IN ("
            "SELECT partner_id FROM res_company UNION "
            "SELECT partner_id FROM res_users WHERE share IS NOT TRUE) AND %s)",
            self._staff_partner_sql(SQL("p")),
        )
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", staff)]

    @api.depends("loyalty_strength", "customer_tier_id.is_high_value")
    @api.depends_context("company")
    def _compute_loyalty_strength_in_force(self):
        for partner in self:
            tier = partner.customer_tier_id
            partner.loyalty_strength_in_force = partner.loyalty_strength or (
                tier and ("strong" if tier.is_high_value else "weak")
            )

    @api.depends("child_ids.relationship_role", "child_ids.influence")
    def _compute_key_people_ids(self):
        companies = self.filtered(lambda p: p.is_company and p._origin.id)
        contacts = self.browse()
        if companies:
            contacts = self.search(
                [
                    ("parent_id", "in", companies._origin.ids),
                    ("is_company", "=", False),
                    ("type", "=", "contact"),
                ],
                order="relationship_role, name",
            )
        by_company = contacts.grouped("parent_id")
        for partner in self:
            partner.key_people_ids = by_company.get(partner._origin, self.browse())

    @api.depends("child_ids.relationship_role")
    def _compute_key_people_coverage(self):
        commercial = self.filtered("id").commercial_partner_id
        roles = {}
        if commercial:
            for partner, role in self.env["res.partner"]._read_group(
                [
                    ("commercial_partner_id", "in", commercial.ids),
                    ("relationship_role", "!=", False),
                ],
                ["commercial_partner_id", "relationship_role"],
            ):
                roles.setdefault(partner.id, set()).add(role)
        for partner in self:
            found = roles.get(partner.commercial_partner_id.id, set())
            partner.has_executive_tie = bool(found & set(EXECUTIVE_ROLES))
            partner.has_working_tie = bool(found & set(WORKING_LEVEL_ROLES))

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        profiles = []
        for vals in vals_list:
            # Context and personal defaults (ir.default) pass the same gates as
            # explicit values; ``vals`` itself stays as given (base's create
            # tells given values from defaults, e.g. for the language).
            profile = self._with_profile_defaults(vals)
            if not self.env.su:
                self._check_profile_access(profile)
                self._check_ownership_change(profile)
            if profile.get("is_customer_blacklisted"):
                vals["is_customer_blacklisted"] = True
            self._prepare_blacklist_vals(vals)
            self._prepare_followup_vals(vals)
            profiles.append(profile)
        partners = super().create(vals_list)
        for partner, profile in zip(partners, profiles, strict=True):
            partner._check_profile_on_commercial_partner(profile)
        partners.browse(
            partner.id
            for partner, vals in zip(partners, vals_list, strict=True)
            if self._plans_followup(vals)
        )._plan_followups()
        return partners

    def write(self, vals):
        if not self.env.su and vals.keys() & OWNERSHIP_FIELDS:
            self._check_ownership_change(vals)
        if vals.keys() & COMPANY_PROFILE_FIELDS or vals.keys() & CONTACT_FIELDS:
            self._check_profile_on_commercial_partner(vals)
            if not self.env.su:
                self._check_profile_access(vals)
            self._prepare_blacklist_vals(vals)
            self._prepare_followup_vals(vals)
        tier_changes = []
        if "customer_tier_id" in vals:
            # sudo: the previous tiers, whose pricelist the customers may keep
            tier_changes = [
                (partner.id, partner.customer_tier_id.id, vals["customer_tier_id"])
                for partner in self.sudo()
                if partner.customer_tier_id.id != (vals["customer_tier_id"] or False)
            ]
        result = super().write(vals)
        if tier_changes:
            # a tier set by a manager brings its pricelist as the engine's does
            self.env["customer.tier"]._apply_tier_pricelists(
                tier_changes, self.env.company
            )
        if self._plans_followup(vals):
            self._plan_followups()
        if vals.keys() & {"loyalty_strength", "customer_tier_id", "loyalty_score"}:
            self._update_loyalty_quadrant()
        if "customer_tier_id" in vals:
            # sudo: the tier moves the SLA deadline of every open complaint
            self.env["customer.complaint"].sudo().search(
                [("partner_id", "in", self.ids), ("step", "not in", CLOSED_STEPS)]
            )._schedule_sla_checks()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_other_salespersons_customer(self):
        """Deleting a customer of another salesperson is the manager's (SPEC
        §4): relationship users delete their own and unassigned customers'
        partners only."""
        user = self.env.user
        if (
            self.env.su
            or user.has_group("customer_relationship.group_manager")
            or not user.has_group("customer_relationship.group_user_own")
        ):
            return
        others = self - self._filter_own_customers()
        if others:
            raise AccessError(
                self.env._(
                    "Only customer relationship managers may delete the customers "
                    "of other salespeople: %(names)s.",
                    names=", ".join(others[:3].mapped("display_name")),
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_commercial_profile(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.commercial_partner_id.id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _group_expand_lifecycle_stage(self, stages, domain):
        """Every stage, in lifecycle order (kanban columns, list groups)."""
        return [stage for stage, _label in LIFECYCLE_STAGES]

    @api.model
    def _read_group_orderby(self, order, groupby_terms, query):
        # Stages sort in lifecycle order (potential -> ... -> dormant), not by
        # their keys, wherever they are grouped (pivot, graph, lists).
        if "lifecycle_stage" in groupby_terms:
            groupby_terms = {
                **groupby_terms,
                "lifecycle_stage": SQL(
                    "array_position(%s::varchar[], %s)",
                    [stage for stage, _label in LIFECYCLE_STAGES],
                    groupby_terms["lifecycle_stage"],
                ),
            }
        return super()._read_group_orderby(order, groupby_terms, query)

    @api.model
    def action_open_customers(self):
        """The Customers menu: "My Customers" first for the users who follow
        their own customers only."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relationship.res_partner_action_customer_profiles"
        )
        user = self.env.user
        if user.has_group(RELATIONSHIP_GROUP) and not user.has_group(
            "customer_relationship.group_user_all"
        ):
            context = safe_eval(action.get("context") or "{}", {"uid": user.id})
            action["context"] = {**context, "search_default_my_customers": 1}
        return action

    @api.model
    def _commercial_domain(self):
        """Partners that carry a customer profile: companies and individuals
        without company (Odoo's commercial partners)."""
        return ["|", ("is_company", "=", True), ("parent_id", "=", False)]

    # Who is a customer, in its two forms side by side (keep them alike): the
    # active commercial partners that are neither one of our own companies nor
    # the partner of an internal user (staff), unless they bought from us. The
    # refresh, the reminders, the reports and the customer menus use them.
    @api.model
    def _customer_scope_domain(self):
        return expression.AND(
            [
                [("active", "=", True)],
                self._commercial_domain(),
                [("is_staff_partner", "=", False)],
            ]
        )

    @api.model
    def _customer_scope_sql(self, alias):
        """The same condition on the res_partner row ``alias`` (an SQL)."""
        return SQL(
            "%(p)s.active AND (%(p)s.is_company OR %(p)s.parent_id IS NULL) "
            "AND NOT %(staff)s",
            p=alias,
            staff=self._staff_partner_sql(alias),
        )

    @api.model
    def _staff_partner_sql(self, alias):
        """Whether the res_partner row ``alias`` is one of our companies or an
        internal user's, and bought nothing from us (an SQL): indexed
        look-ups (res_users.partner_id, the confirmed orders' partial index)."""
        return SQL(
            """((EXISTS (SELECT 1 FROM res_company own_company
                          WHERE own_company.partner_id = %(p)s.id)
                 OR EXISTS (SELECT 1 FROM res_users staff
                             WHERE staff.partner_id = %(p)s.id
                               AND staff.share IS NOT TRUE))
                AND NOT EXISTS (SELECT 1 FROM sale_order own_order
                                 WHERE own_order.partner_id = %(p)s.id
                                   AND own_order.state = 'sale'))""",
            p=alias,
        )

    @api.model
    def _flush_staff_partner(self):
        self.env["res.users"].flush_model(["partner_id", "share"])
        self.env["res.company"].flush_model(["partner_id"])
        self.env["sale.order"].flush_model(["partner_id", "state"])

    def _followup_next_date(self, date):
        """The follow-up that comes after one on ``date``, at the customer's
        cadence (its own, else its tier's, else the default cadence)."""
        self.ensure_one()
        cadence = self.commercial_partner_id.followup_interval_days
        return date + timedelta(days=cadence)

    def _record_followup(
        self,
        date,
        next_date=False,
        source="log",
        feedback=False,
        close_planned=True,
        note=False,
    ):
        """Record a contact of the current company with the customers of
        ``self`` on ``date``.

        The one writer of the follow-up dates: the follow-up wizard, activities
        marked done, messages sent to the customer and any later way in call
        it. An earlier contact than the last one recorded does not move the
        last follow-up back. The next date is ``next_date`` (then set by hand
        when it is not the cadence's), else the cadence's from the last
        follow-up. The reminders of the reminder job that asked for a
        follow-up are marked done with ``feedback``, and, with
        ``close_planned``, the follow-up activities people planned on the
        customer too. With ``note`` (an HTML body), the follow-up is that one
        chatter note: no tracking message of the dates, no message per closed
        activity. Writes with the caller's rights.
        """
        if note:
            self = self.with_context(mail_notrack=True)
        followup_type = self.env.ref(
            "customer_relationship.mail_activity_type_followup",
            raise_if_not_found=False,
        )
        customers = self.commercial_partner_id
        # A customer of one company is followed up in its company, whichever
        # company the user works in.
        elsewhere = customers.filtered(
            lambda c: c.company_id and c.company_id != self.env.company
        )
        for company, group in elsewhere.grouped("company_id").items():
            group.with_company(company)._record_followup(
                date,
                next_date=next_date,
                source=source,
                feedback=feedback,
                close_planned=close_planned,
                note=note,
            )
        customers -= elsewhere
        for customer in customers:
            previous = customer.last_followup_date
            last = max(date, previous) if previous else date
            planned = customer._followup_next_date(last)
            vals = {}
            if last == date:
                vals = {
                    "last_followup_date": last,
                    "last_followup_source": source,
                    "next_followup_date": planned,
                    "next_followup_manual": False,
                }
            if next_date:
                vals.update(
                    next_followup_date=next_date,
                    next_followup_manual=next_date != planned,
                )
            if vals:
                customer.write(vals)
        # The follow-up is the current company's: so are the reminders it answers.
        closing = [
            ("customer_reminder_kind", "in", FOLLOWUP_REMINDER_KINDS),
            ("customer_reminder_company_id", "in", [self.env.company.id, False]),
        ]
        if close_planned and followup_type:
            # the follow-up activities people planned (the job's reminders are
            # each company's)
            closing = expression.OR(
                [
                    closing,
                    [
                        ("activity_type_id", "=", followup_type.id),
                        ("customer_reminder_kind", "=", False),
                    ],
                ]
            )
        self.env["mail.activity"].search(
            expression.AND(
                [
                    [("res_model", "=", "res.partner")],
                    [("res_id", "in", customers.ids)],
                    closing,
                ]
            )
        )._action_done_recorded(feedback=feedback, post=not note)
        for customer in customers if note else ():
            customer.message_post(
                body=note, message_type="comment", subtype_xmlid="mail.mt_note"
            )
        # sudo: the follow-up queue is the reminder job's; the reason is gone
        self.env["customer.followup.queue"].sudo()._forget(
            customers, FOLLOWUP_REMINDER_KINDS
        )

    def _message_post_after_hook(self, message, msg_values):
        """A message sent to the customer or one of its contacts by an internal
        user is a contact: a follow-up (a note is internal, not a contact)."""
        result = super()._message_post_after_hook(message, msg_values)
        if self._is_contact_message(msg_values):
            # sudo: who writes to a customer follows it up, whatever their rights
            self.sudo()._record_followup(
                self.env.company._relationship_today(),
                source="message",
                close_planned=False,
            )
        return result

    def _is_contact_message(self, msg_values):
        """Whether a posted message reached the customer as a contact: a
        message (not a note) or an email, written by an internal user (not
        OdooBot), on a customer or one of its contacts."""
        if msg_values.get("message_type") not in CONTACT_MESSAGE_TYPES:
            return False
        subtype = self.env["mail.message.subtype"].browse(msg_values.get("subtype_id"))
        # sudo: the subtype's flag, whoever posts
        if not subtype or subtype.sudo().internal:
            return False
        author = self.env["res.partner"].browse(msg_values.get("author_id"))
        if not author or author == self.env.ref("base.partner_root"):
            return False
        # sudo: who wrote it, whatever the poster may read of users
        if not author.sudo().user_ids.filtered(lambda user: not user.share):
            return False
        customer = self.commercial_partner_id
        return bool(customer.filtered_domain(self._customer_scope_domain()))

    @api.model
    def _company_value_sql(self, alias, fname, company=None):
        """The value of the company-dependent field ``fname`` on the
        res_partner row ``alias`` for ``company`` (a res.company, an SQL
        expression of its id, or the current company by default): its key in
        the field's jsonb column, typed, NULL when the company has none."""
        if company is None:
            company = self.env.company
        key = (
            SQL("(%s)::text", company)
            if isinstance(company, SQL)
            else SQL("%s", str(company.id))
        )
        return SQL(
            "(%s.%s->>%s)::%s",
            alias,
            SQL.identifier(fname),
            key,
            SQL(self._fields[fname]._column_type[1]),
        )

    @api.model
    def _followup_cadence_sql(self, partner, tier_cadence):
        """The effective cadence in the current company of the res_partner row
        ``partner`` whose tier's cadence is ``tier_cadence`` (SQLs), as in
        ``followup_interval_days``."""
        return SQL(
            "COALESCE(NULLIF(%s, 0), %s, %s)",
            self._company_value_sql(partner, "custom_followup_interval_days"),
            tier_cadence,
            self.env.company._relationship_setting("followup_default_interval_days"),
        )

    @api.model
    def _set_company_value_sql(self, alias, fname, value):
        """The new jsonb of the company-dependent column ``fname`` of the
        res_partner row ``alias`` with ``value`` (an SQL) for the current
        company: its key removed for NULL, the other companies' kept."""
        column = SQL("%s.%s", alias, SQL.identifier(fname))
        key = str(self.env.company.id)
        return SQL(
            """CASE WHEN %(value)s IS NULL
                    THEN COALESCE(%(column)s, '{}'::jsonb) - %(key)s
                    ELSE COALESCE(%(column)s, '{}'::jsonb)
                         || jsonb_build_object(%(key)s, %(value)s) END""",
            value=value,
            column=column,
            key=key,
        )

    @api.model
    def _replan_followups(self, condition):
        """Plan again in the current company, from the last follow-up and the
        cadence, the next follow-ups not set by hand of the customers matching
        ``condition`` (an SQL on the res_partner row ``p``), in one statement:
        after a write of the last follow-up, the cadence or the tier
        (``_plan_followups``), the refresh's new tiers, or a tier's or the
        default cadence changed. Returns the number of customers re-planned."""
        self.flush_model(
            [
                "last_followup_date",
                "next_followup_date",
                "next_followup_manual",
                "custom_followup_interval_days",
                "customer_tier_id",
            ]
        )
        self.env["customer.tier"].flush_model(["followup_interval_days"])

        def value(fname, alias="p"):
            return self._company_value_sql(SQL(alias), fname)

        self.env.cr.execute(
            SQL(
                """UPDATE res_partner c
                      SET next_followup_date = %(next_column)s
                     FROM (SELECT p.id, %(last)s + %(cadence)s AS next_date
                             FROM res_partner p
                        LEFT JOIN customer_tier t ON t.id = %(tier)s
                            WHERE %(condition)s
                              AND NOT COALESCE(%(manual)s, false)) planned
                    WHERE c.id = planned.id
                      AND %(next)s IS DISTINCT FROM planned.next_date
                RETURNING c.id""",
                next_column=self._set_company_value_sql(
                    SQL("c"), "next_followup_date", SQL("planned.next_date")
                ),
                last=value("last_followup_date"),
                cadence=self._followup_cadence_sql(
                    SQL("p"), SQL("t.followup_interval_days")
                ),
                tier=value("customer_tier_id"),
                manual=value("next_followup_manual"),
                next=value("next_followup_date", "c"),
                condition=condition,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        self.browse(ids).invalidate_recordset(["next_followup_date"])
        return len(ids)

    @api.model
    def _init_followups_from_history(self):
        """Take each customer's last follow-up from its history, in one
        statement: the last done activity of any type and the last message an
        internal user (not OdooBot) sent from the chatter, on the customer or
        one of its contacts, when later than the recorded last follow-up. A
        contact is the follow-up of the customer's company, or for a shared
        customer of the company of the user who made it (their main company).
        The next follow-up is planned from the cadence where it is missing or
        planned from it. Run at install (a company with years of calls does not
        start with every customer "never followed up") and by the migration."""
        self.env.flush_all()
        company = self.env.company
        tz = company.partner_id.tz or "UTC"
        today = company._relationship_today()
        day = SQL("(m.date AT TIME ZONE 'UTC' AT TIME ZONE %s)::date", tz)
        # The company of the contact: the customer's, else the user's.
        contact_company = SQL(
            "COALESCE(cust.company_id, %s, %s)",
            SQL(
                "(SELECT u.company_id FROM res_users u WHERE u.partner_id = "
                "m.author_id AND NOT u.share ORDER BY u.id LIMIT 1)"
            ),
            company.id,
        )
        activity_company = SQL(
            "COALESCE(cust.company_id, (SELECT u.company_id FROM res_users u "
            "WHERE u.id = a.user_id), %s)",
            company.id,
        )
        self.env.cr.execute(
            SQL(
                """
                WITH contact AS (
                    SELECT p.commercial_partner_id AS customer_id,
                           %(contact_company)s AS company_id,
                           MAX(%(day)s) FILTER (WHERE m.mail_activity_type_id
                                                IS NOT NULL) AS activity_day,
                           MAX(%(day)s) FILTER (WHERE m.mail_activity_type_id
                                                IS NULL) AS message_day
                      FROM mail_message m
                      JOIN res_partner p ON p.id = m.res_id
                      JOIN res_partner cust ON cust.id = p.commercial_partner_id
                     WHERE m.model = 'res.partner'
                       AND (m.mail_activity_type_id IS NOT NULL
                            OR (m.message_type IN %(types)s
                                AND m.subtype_id IN (
                                    SELECT id FROM mail_message_subtype
                                     WHERE NOT COALESCE(internal, false))
                                AND m.author_id != %(root)s
                                AND m.author_id IN (SELECT partner_id FROM res_users
                                                     WHERE NOT share)))
                  GROUP BY 1, 2
                  UNION ALL
                    SELECT p.commercial_partner_id, %(activity_company)s,
                           MAX(a.date_done), NULL
                      FROM mail_activity a
                      JOIN res_partner p ON p.id = a.res_id
                      JOIN res_partner cust ON cust.id = p.commercial_partner_id
                     WHERE a.res_model = 'res.partner' AND NOT a.active
                       AND a.date_done IS NOT NULL
                  GROUP BY 1, 2
                ), last AS (
                    SELECT customer_id, company_id,
                           CASE WHEN MAX(activity_day) = GREATEST(
                                    MAX(activity_day), MAX(message_day))
                                THEN 'activity' ELSE 'message' END AS source,
                           GREATEST(MAX(activity_day), MAX(message_day)) AS day
                      FROM contact
                  GROUP BY customer_id, company_id
                ), news AS (
                    SELECT last.customer_id,
                           jsonb_object_agg(last.company_id::text, last.day) AS day,
                           jsonb_object_agg(last.company_id::text, last.source)
                               AS source,
                           jsonb_object_agg(last.company_id::text, false) AS manual
                      FROM last
                      JOIN res_partner customer ON customer.id = last.customer_id
                     WHERE %(scope)s AND last.day <= %(today)s
                       AND (%(recorded)s IS NULL OR %(recorded)s < last.day)
                  GROUP BY last.customer_id
                )
                UPDATE res_partner customer
                   SET last_followup_date
                           = COALESCE(customer.last_followup_date, '{}') || news.day,
                       last_followup_source
                           = COALESCE(customer.last_followup_source, '{}')
                             || news.source,
                       next_followup_manual
                           = COALESCE(customer.next_followup_manual, '{}')
                             || news.manual
                  FROM news
                 WHERE customer.id = news.customer_id
                """,
                contact_company=contact_company,
                activity_company=activity_company,
                recorded=self._company_value_sql(
                    SQL("customer"), "last_followup_date", SQL("last.company_id")
                ),
                day=day,
                types=CONTACT_MESSAGE_TYPES,
                root=self.env.ref("base.partner_root").id,
                scope=self._customer_scope_sql(SQL("customer")),
                today=today,
            )
        )
        recorded = self.env.cr.rowcount
        self.invalidate_model(
            ["last_followup_date", "last_followup_source", "next_followup_manual"]
        )
        # Planned from the cadence where missing, or after a later history.
        refresh = self.env["customer.profile.refresh"]
        for profile_company in refresh._profile_companies():
            Partner = self.with_company(profile_company)
            last = Partner._company_value_sql(SQL("p"), "last_followup_date")
            following = Partner._company_value_sql(SQL("p"), "next_followup_date")
            Partner._replan_followups(
                SQL(
                    "%s IS NOT NULL AND (%s IS NULL OR %s < %s)",
                    last,
                    following,
                    following,
                    last,
                )
            )
        return recorded

    @api.model
    def _search_days_since(self, date_field, operator, value):
        """Turn a condition on "days since <date_field>" into one on the date."""
        if operator not in ("=", "!=", "<", "<=", ">", ">="):
            raise UserError(self.env._("Operation not supported"))
        if value is False or value is None:
            return [(date_field, operator, False)]
        # More days since the date means an earlier date: flip the comparison.
        flipped = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}
        day = fields.Date.context_today(self) - timedelta(days=int(value))
        domain = [(date_field, flipped[operator], day)]
        if operator == "!=":
            # Without a date there is no "days since": never a match.
            domain = expression.AND([domain, [(date_field, "!=", False)]])
        return domain

    def _check_profile_on_commercial_partner(self, vals):
        """The company's profile is edited on the company, not on a contact."""
        fields_set = [f for f in COMPANY_PROFILE_FIELDS & vals.keys() if vals[f]]
        if not fields_set:
            return
        for partner in self:
            if partner.commercial_partner_id != partner:
                raise ValidationError(
                    self.env._(
                        "The customer profile of %(contact)s is kept on %(company)s: "
                        "edit %(company)s instead.",
                        contact=partner.display_name,
                        company=partner.commercial_partner_id.display_name,
                    )
                )

    def _filter_own_customers(self):
        """The partners of ``self`` whose customer (commercial partner) has the
        current user or nobody as salesperson."""
        user = self.env.user
        return self.filtered(
            lambda p: p.commercial_partner_id.user_id in (user, user.browse())
        )

    def _filter_profile_editable(self):
        """The partners of ``self`` whose profile the current user may edit
        (SPEC §4): every one for "all customers" users, their own and the
        unassigned customers' for "own customers" users, none for others.

        The one rule of the form (``can_edit_profile``) and of the server
        (``_check_profile_access``).
        """
        user = self.env.user
        if self.env.su or user.has_group("customer_relationship.group_user_all"):
            return self
        if not user.has_group("customer_relationship.group_user_own"):
            return self.browse()
        return self._filter_own_customers()

    @api.model
    def _with_profile_defaults(self, vals):
        """``vals`` completed with the defaults (context ``default_*`` keys,
        ir.default values, field defaults) of the profile and ownership fields
        it leaves out: what a new partner gets besides what was given."""
        gated = COMPANY_PROFILE_FIELDS | CONTACT_FIELDS | OWNERSHIP_FIELDS
        gated |= {"is_company"}  # whether the new partner is a customer
        defaults = self.default_get(sorted(gated - vals.keys()))
        return {**{f: v for f, v in defaults.items() if v}, **vals}

    def _check_ownership_change(self, vals):
        """Own-customers users make new customers theirs or leave them
        unassigned, take unassigned customers for themselves, and move contacts
        between their own and unassigned customers; reassigning or releasing a
        customer is the manager's handover (SPEC §4).

        Raises AccessError naming the partners concerned; ``self`` is empty on
        create.
        """
        user = self.env.user
        if user.has_group("customer_relationship.group_user_all") or not (
            user.has_group("customer_relationship.group_user_own")
        ):
            return
        # The salesperson of a contact is not its customer's (the commercial
        # partner's, which decides, SPEC §4): contacts are left alone.
        if not self:
            is_customer = vals.get("is_company") or not vals.get("parent_id")
            if is_customer and vals.get("user_id") not in (None, False, user.id):
                raise self._ownership_error(vals.get("name") or "")
            return
        refused = self.browse()
        if "user_id" in vals:
            salesperson = vals["user_id"] or False
            changed = self.filtered(
                lambda p: p.user_id.id != salesperson and p.commercial_partner_id == p
            )
            if salesperson != user.id:
                refused |= changed
            refused |= changed - changed._filter_own_customers()
        if "parent_id" in vals:
            parent = self.browse(vals["parent_id"])
            changed = self.filtered(lambda p: p.parent_id != parent)
            if parent and not parent._filter_own_customers():
                refused |= changed
            refused |= changed - changed._filter_own_customers()
        if refused:
            raise self._ownership_error(", ".join(refused[:3].mapped("display_name")))

    def _ownership_error(self, names):
        return AccessError(
            self.env._(
                "Only customer relationship managers reassign customers (customer "
                "handover): you may make yourself the salesperson of unassigned "
                "customers, and move contacts between your own and unassigned "
                "customers only. Concerned: %(names)s.",
                names=names,
            )
        )

    def _check_profile_access(self, vals):
        """Who may change which part of the profile (SPEC §4).

        Raises AccessError naming what the user may not change.
        """
        user = self.env.user
        changed = vals.keys()
        if changed & ENGINE_FIELDS:
            raise AccessError(
                self.env._(
                    "The purchase history, lifecycle stage, value segment and "
                    "loyalty score are computed by the profile refresh and cannot "
                    "be edited."
                )
            )
        if changed & SYSTEM_FIELDS:
            raise AccessError(
                self.env._(
                    "Who blacklisted a customer and when is recorded when the "
                    "blacklist is set, and cannot be edited."
                )
            )
        if not changed & (COMPANY_PROFILE_FIELDS | CONTACT_FIELDS):
            return
        is_manager = user.has_group("customer_relationship.group_manager")
        if changed & MANAGER_FIELDS and not is_manager:
            if changed & {"customer_tier_id", "tier_locked", "tier_lock_reason"}:
                raise AccessError(
                    self.env._(
                        "Only customer relationship managers may change or "
                        "lock a customer's tier."
                    )
                )
            raise AccessError(
                self.env._(
                    "Only customer relationship managers may blacklist a customer or "
                    "lift a blacklist."
                )
            )
        if not is_manager and "relationship_level" in changed:
            before = set(self.mapped("relationship_level"))
            if vals["relationship_level"] in MANAGER_LEVELS or before & set(
                MANAGER_LEVELS
            ):
                raise AccessError(
                    self.env._(
                        "Only customer relationship managers may set or change a "
                        "Partner or Strategic Alliance relationship level."
                    )
                )
        if not user.has_group("customer_relationship.group_user_own"):
            raise AccessError(
                self.env._(
                    "Editing customer profiles needs a Customer Relationship access "
                    "level."
                )
            )
        others = self - self._filter_profile_editable()
        if others:
            raise AccessError(
                self.env._(
                    "You may only edit the profile of your own customers (where you "
                    "are the salesperson) and of unassigned customers: %(names)s.",
                    names=", ".join(others[:3].mapped("display_name")),
                )
            )

    def _blacklist_reason_text(self):
        """The blacklist reason and note, in the user's language."""
        self.ensure_one()
        # sudo: salespeople see why an order is blocked, without the blacklist rights
        partner = self.sudo()
        reasons = dict(
            self._fields["blacklist_reason"]._description_selection(self.env)
        )
        text = reasons.get(partner.blacklist_reason, "")
        if partner.blacklist_note:
            text = (
                "%s: %s" % (text, partner.blacklist_note)
                if text
                else partner.blacklist_note
            )
        return text

    def _prepare_followup_vals(self, vals):
        """A next follow-up date given is set by hand, unless it is the one the
        cadence plans (a form sends back the computed date); a new last
        follow-up or own cadence without one plans it from the cadence."""
        if "next_followup_manual" in vals:
            return
        if "next_followup_date" in vals:
            vals["next_followup_manual"] = bool(
                vals["next_followup_date"]
            ) and not self._is_cadence_date(vals)
        elif vals.keys() & {"last_followup_date", "custom_followup_interval_days"}:
            vals["next_followup_manual"] = False

    @api.model
    def _plans_followup(self, vals):
        """Whether a write of ``vals`` plans the next follow-up again from the
        cadence: it changes what the plan follows and gives no next date."""
        return "next_followup_date" not in vals and bool(
            vals.keys() & PLANNED_FROM_FIELDS
        )

    def _is_cadence_date(self, vals):
        """Whether the next follow-up of ``vals`` is the cadence's, for one
        partner (or one created from ``vals``)."""
        if len(self) > 1:
            return False
        last = fields.Date.to_date(
            vals.get("last_followup_date", self.last_followup_date)
        )
        if not last:
            return False
        tier = self.customer_tier_id
        if "customer_tier_id" in vals:
            tier = self.env["customer.tier"].browse(vals["customer_tier_id"])
        cadence = (
            vals.get("followup_interval_days")
            or vals.get(
                "custom_followup_interval_days", self.custom_followup_interval_days
            )
            or tier.followup_interval_days
            or self.env.company._relationship_setting("followup_default_interval_days")
        )
        planned = last + timedelta(days=cadence)
        return fields.Date.to_date(vals["next_followup_date"]) == planned

    def _prepare_blacklist_vals(self, vals):
        """Stamp who blacklisted and when; lifting the blacklist clears it."""
        if "is_customer_blacklisted" not in vals:
            return
        if vals["is_customer_blacklisted"]:
            vals.setdefault("blacklist_date", fields.Date.context_today(self))
            vals.setdefault("blacklist_user_id", self.env.uid)
        else:
            # lifting the blacklist lifts the group's too: the customer may
            # order again (another company's own blacklist stays)
            vals.setdefault("blacklist_group_wide", False)
            vals.update(
                blacklist_reason=False,
                blacklist_note=False,
                blacklist_date=False,
                blacklist_user_id=False,
            )

    # ------------------------------------------------------------
    # Complaints
    # ------------------------------------------------------------
    # Counted for the commercial partner (the customer of a complaint), one
    # _read_group per figure for the whole recordset, for relationship users:
    # counts of every complaint of their companies, the satisfaction with their
    # rights.

    complaint_count = fields.Integer(
        groups=RELATIONSHIP_GROUP,
        string="Complaints",
        compute="_compute_complaint_count",
    )
    open_complaint_count = fields.Integer(
        groups=RELATIONSHIP_GROUP,
        string="Open Complaints",
        compute="_compute_open_complaint_count",
    )
    complaint_count_12m = fields.Integer(
        groups=RELATIONSHIP_GROUP,
        string="Complaints (12 Months)",
        compute="_compute_complaint_count_12m",
        help="Complaints received over the last 12 months, cancelled ones aside.",
    )
    complaint_satisfaction_avg = fields.Float(
        groups=RELATIONSHIP_GROUP,
        string="Complaint Satisfaction",
        compute="_compute_complaint_satisfaction_avg",
        digits=(16, 2),
        help="Average rating the customer gave to its closed complaints "
        "(1 dissatisfied, 3 okay, 5 satisfied); 0 when never rated.",
    )
    is_repeat_complainer = fields.Boolean(
        groups=RELATIONSHIP_GROUP,
        string="Repeat Complainer",
        compute="_compute_is_repeat_complainer",
        search="_search_is_repeat_complainer",
        help="A customer of a large customer tier (Settings) with at least the "
        "set number of complaints over the last 12 months.",
    )

    def _complaint_aggregate(self, domain, aggregate="__count"):
        """{commercial partner id: aggregate} of the complaints of ``self``.

        A count covers every complaint of the user's companies, so that a
        relationship user who may not open some of them still sees how many
        there are; other aggregates follow the user's rights.
        """
        Complaint = self.env["customer.complaint"]
        customers = self.commercial_partner_id._origin
        # internal users with access to complaints: the relationship users
        if (
            not customers
            or not self.env.user._is_internal()
            or not Complaint.has_access("read")
        ):
            return {}
        domain = [("partner_id", "in", customers.ids), *domain]
        if aggregate == "__count":
            # sudo: counts only (no complaint is read), in the user's companies
            Complaint = Complaint.sudo()
            domain.append(("company_id", "in", self.env.companies.ids))
        groups = Complaint._read_group(domain, ["partner_id"], [aggregate])
        return {customer.id: value for customer, value in groups}

    def _complaint_recent_domain(self):
        # cancelled complaints (duplicates, withdrawn) do not make a repeat complainer
        since = fields.Datetime.subtract(fields.Datetime.now(), months=12)
        return [("complaint_date", ">=", since), ("step", "!=", "cancelled")]

    def _compute_complaint_count(self):
        counts = self._complaint_aggregate([])
        for partner in self:
            customer_id = partner.commercial_partner_id._origin.id
            partner.complaint_count = counts.get(customer_id, 0)

    def _compute_open_complaint_count(self):
        counts = self._complaint_aggregate([("step", "not in", ("done", "cancelled"))])
        for partner in self:
            customer_id = partner.commercial_partner_id._origin.id
            partner.open_complaint_count = counts.get(customer_id, 0)

    def _compute_complaint_count_12m(self):
        counts = self._complaint_aggregate(self._complaint_recent_domain())
        for partner in self:
            customer_id = partner.commercial_partner_id._origin.id
            partner.complaint_count_12m = counts.get(customer_id, 0)

    def _compute_complaint_satisfaction_avg(self):
        averages = self._complaint_aggregate(
            [("step", "=", "done"), ("rating_last_value", ">", 0)],
            "rating_last_value:avg",
        )
        for partner in self:
            customer_id = partner.commercial_partner_id._origin.id
            partner.complaint_satisfaction_avg = averages.get(customer_id) or 0.0

    def _compute_is_repeat_complainer(self):
        counts = self._complaint_aggregate(self._complaint_recent_domain())
        company = self.env.company
        tiers = company.complaint_repeat_tier_ids
        for partner in self:
            customer = partner.commercial_partner_id
            partner.is_repeat_complainer = counts.get(
                customer._origin.id, 0
            ) >= company.complaint_repeat_min_count and (
                not tiers or customer.customer_tier_id in tiers
            )

    def _search_is_repeat_complainer(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(
                self.env._("Search on repeat complainers supports = and != only.")
            )
        customer_ids = []
        Complaint = self.env["customer.complaint"]
        if self.env.user._is_internal() and Complaint.has_access("read"):
            company = self.env.company
            # sudo: counts only, like the complaint counts of the profile
            groups = Complaint.sudo()._read_group(
                [
                    *self._complaint_recent_domain(),
                    ("company_id", "in", self.env.companies.ids),
                ],
                ["partner_id"],
                having=[("__count", ">=", company.complaint_repeat_min_count)],
            )
            customers = self.browse([customer.id for (customer,) in groups])
            if company.complaint_repeat_tier_ids:
                customers = customers.filtered(
                    lambda p: p.customer_tier_id in company.complaint_repeat_tier_ids
                )
            customer_ids = customers.ids
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", customer_ids)]

    def action_view_complaints(self):
        self.ensure_one()
        customer = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relationship.customer_complaint_action"
        )
        action["domain"] = [("partner_id", "=", customer.id)]
        action["context"] = {
            "default_partner_id": customer.id,
            "default_contact_id": self.id if self != customer else False,
        }
        return action
