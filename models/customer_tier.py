# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from ..engine.complaint_steps import CLOSED_STEPS

# The complaint priorities (customer.complaint priority) and the delivery
# priorities (as stock.picking's) a tier or a key relationship asks for.
COMPLAINT_PRIORITIES = [
    ("0", "Low"),
    ("1", "Normal"),
    ("2", "High"),
    ("3", "Urgent"),
]
DELIVERY_PRIORITIES = [("0", "Normal"), ("1", "Urgent")]


class CustomerTier(models.Model):
    """A customer tier (客户等级): A, B, C... ordered by value.

    Tiers are assigned by the profile refresh, either by thresholds (minimum
    revenue and order count) or by Pareto shares of the window revenue. The tier
    also sets how often its customers are followed up and how much faster their
    complaints must be handled.
    """

    _name = "customer.tier"
    _description = "Customer Tier"
    _order = "sequence, id"

    # Description
    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Short stable code used by imports and integrations (A, B, C).",
    )
    sequence = fields.Integer(
        default=10, help="Lower sequence means a more valuable tier."
    )
    color = fields.Integer(string="Color Index")
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to share the tier between all companies.",
    )
    # Assignment (threshold mode)
    min_revenue = fields.Monetary(
        string="Minimum Revenue",
        currency_field="currency_id",
        help="Window revenue a customer needs to reach this tier in threshold mode.",
    )
    min_order_count = fields.Integer(
        string="Minimum Orders",
        help="Confirmed orders in the window a customer needs to reach this tier "
        "in threshold mode.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
    )
    is_high_value = fields.Boolean(
        string="High Value",
        help="Customers of a high-value tier count as high value in the value "
        "segments (golden and meteor) and as strong by default.",
    )
    # Service levels
    followup_interval_days = fields.Integer(
        string="Follow-up Cadence (days)",
        default=30,
        help="Days between two follow-ups of a customer of this tier, unless the "
        "customer has a cadence of its own.",
    )
    complaint_sla_factor = fields.Float(
        string="Complaint SLA Factor",
        default=1.0,
        help="Multiplies the complaint resolution time of the priority: 0.5 means "
        "this tier's complaints must be solved twice as fast.",
    )
    # Policies
    pricelist_id = fields.Many2one(
        "product.pricelist",
        check_company=True,
        help="The tier's customers get this pricelist, unless their pricelist was "
        "set by hand: that one stays.",
    )
    complaint_priority_floor = fields.Selection(
        COMPLAINT_PRIORITIES,
        string="Complaint Priority at Least",
        help="A complaint of this tier's customers gets at least this priority "
        "when it is recorded.",
    )
    delivery_priority = fields.Selection(
        DELIVERY_PRIORITIES,
        default="0",
        help="The delivery priority of this tier's new orders.",
    )
    partner_count = fields.Integer(compute="_compute_partner_count")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A tier code must be unique per company.",
        ),
        (
            "followup_interval_days_positive",
            "CHECK(followup_interval_days > 0)",
            "The follow-up cadence must be at least one day.",
        ),
        (
            "complaint_sla_factor_positive",
            "CHECK(complaint_sla_factor > 0)",
            "The complaint SLA factor must be greater than zero.",
        ),
        (
            "min_revenue_positive",
            "CHECK(min_revenue >= 0)",
            "The minimum revenue of a tier cannot be negative.",
        ),
        (
            "min_order_count_positive",
            "CHECK(min_order_count >= 0)",
            "The minimum order count of a tier cannot be negative.",
        ),
    ]

    @api.depends_context("company")
    def _compute_currency_id(self):
        for tier in self:
            tier.currency_id = (tier.company_id or self.env.company).currency_id

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("customer_tier_id", "in", self.ids)],
                ["customer_tier_id"],
                ["__count"],
            )
        )
        for tier in self:
            tier.partner_count = counts.get(tier, 0)

    @api.model
    def _get_lowest_tier(self):
        """The least valuable active tier (highest sequence)."""
        return self.search([], order="sequence desc, id desc", limit=1)

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def write(self, vals):
        pricelists = (
            {tier: tier.pricelist_id for tier in self}
            if ("pricelist_id" in vals)
            else {}
        )
        result = super().write(vals)
        Partner = self.env["res.partner"]
        # the companies keeping profiles: a shared tier is every company's
        profile_companies = self.env["customer.profile.refresh"]._profile_companies()
        for tier, old_pricelist in pricelists.items():
            if tier.pricelist_id == old_pricelist:
                continue
            # the customers of the tier in each company that has the tier
            for company in tier.company_id or profile_companies:
                self._change_customer_pricelists(
                    SQL(
                        "%s = %s",
                        Partner._company_value_sql(
                            SQL("cp"), "customer_tier_id", company
                        ),
                        tier.id,
                    ),
                    old_pricelist.id,
                    tier.pricelist_id.id,
                    company,
                )
        if "followup_interval_days" in vals:
            # The next follow-ups planned from the tier's cadence follow it, in
            # each company that has the tiers (a shared tier is every company's).
            companies = self.company_id
            if not all(self.mapped("company_id")):
                companies = profile_companies
            for company in companies:
                Company = Partner.with_company(company)
                Company._replan_followups(
                    SQL(
                        "%s = ANY(%s)",
                        Company._company_value_sql(SQL("p"), "customer_tier_id"),
                        self.ids,
                    )
                )
        if "complaint_sla_factor" in vals:
            # sudo: the factor moves the SLA deadline of every open complaint
            self.env["customer.complaint"].sudo().search(
                [
                    ("partner_id.customer_tier_id", "in", self.ids),
                    ("step", "not in", CLOSED_STEPS),
                ]
            )._schedule_sla_checks()
        return result

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _apply_tier_pricelists(self, tier_changes, company=None):
        """The pricelist of their new tier for the customers whose tier
        changed in ``company`` (default: the tier's): ``tier_changes``
        [(partner id, previous tier id, tier id, ...)]. One statement per
        (previous, new) pricelist pair."""
        tier_ids = {t for change in tier_changes for t in change[1:3] if t}
        # sudo: the engine reads the tiers' pricelists whoever runs it
        tiers = self.sudo().with_context(active_test=False).browse(tier_ids)
        if not tiers.pricelist_id:
            return
        groups = {}
        for partner_id, previous_id, tier_id, *_reason in tier_changes:
            previous, tier = tiers.browse(previous_id), tiers.browse(tier_id)
            if previous.pricelist_id == tier.pricelist_id:
                continue
            key = (
                previous.pricelist_id.id,
                tier.pricelist_id.id,
                company or tier.company_id or previous.company_id or self.env.company,
            )
            groups.setdefault(key, []).append(partner_id)
        for (old_id, new_id, company), partner_ids in groups.items():
            self._change_customer_pricelists(
                SQL("cp.id = ANY(%s)", partner_ids), old_id, new_id, company
            )

    @api.model
    def _change_customer_pricelists(self, customers, old_id, new_id, company):
        """Give the pricelist ``new_id`` (False: none, the default one) in
        ``company`` to the customers ``cp`` matching the SQL condition
        ``customers`` and their contacts, unless theirs was set by hand: only a
        customer without pricelist of its own or with the tier's previous one
        (``old_id``) gets it. One UPDATE, beside the ORM: the pricelist is a
        commercial field that the ORM would sync customer by customer."""
        column = SQL("p.specific_property_product_pricelist")
        current = SQL("cp.specific_property_product_pricelist ->> %s", str(company.id))
        value = (
            SQL(
                "COALESCE(%s, '{}'::jsonb) || jsonb_build_object(%s, %s)",
                column,
                str(company.id),
                new_id,
            )
            if new_id
            else SQL("%s - %s", column, str(company.id))
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner p SET specific_property_product_pricelist = %s
                     FROM res_partner cp
                    WHERE p.commercial_partner_id = cp.id AND %s
                      AND (%s IS NULL OR (%s)::int = %s)""",
                value,
                customers,
                current,
                current,
                old_id or 0,
            )
        )
        self.env["res.partner"].invalidate_model(
            ["specific_property_product_pricelist", "property_product_pricelist"]
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "contacts.action_contacts"
        )
        action["domain"] = [("customer_tier_id", "=", self.id)]
        # Setting a tier is the manager's: nobody else gets it as a default.
        if self.env.user.has_group("customer_relationship.group_manager"):
            action["context"] = {"default_customer_tier_id": self.id}
        return action
