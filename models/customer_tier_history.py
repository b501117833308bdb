# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools.misc import format_amount


class CustomerTierHistory(models.Model):
    """One row per tier the profile refresh gave a customer, with why.

    The engine keeps the reason as data (the rule and the numbers, see
    ``rules.tier_reason``); the sentence is written on read, in the reader's
    language and with the tiers' current names.
    """

    _name = "customer.tier.history"
    _description = "Customer Tier History"
    _order = "date_start desc, id desc"
    _rec_name = "tier_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
    )
    tier_id = fields.Many2one(
        "customer.tier", ondelete="set null", help="Empty: no tier."
    )
    previous_tier_id = fields.Many2one("customer.tier", ondelete="set null")
    date_start = fields.Date(string="From", required=True)
    date_end = fields.Date(string="To")
    reason_data = fields.Json(readonly=True)
    reason = fields.Char(compute="_compute_reason")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
        help="The company of the profile whose tier this is.",
    )
    user_id = fields.Many2one(
        related="partner_id.user_id", string="Salesperson", store=True
    )

    @api.depends("reason_data")
    @api.depends_context("lang")
    def _compute_reason(self):
        tiers = self._reason_tiers([h.reason_data or {} for h in self])
        for history in self:
            history.reason = self._reason_sentence(
                history.reason_data or {}, tiers, history.company_id.currency_id
            )

    @api.model
    def _reason_tiers(self, reasons):
        """{id: tier} of the tiers the reasons name that still exist (one
        query for them all)."""
        ids = {
            tier_id
            for data in reasons
            for tier_id in (
                data.get("tier_id"),
                (data.get("missed") or {}).get("tier_id"),
            )
            if tier_id
        }
        tiers = self.env["customer.tier"].with_context(active_test=False).browse(ids)
        return {tier.id: tier for tier in tiers.exists()}

    # ------------------------------------------------------------
    # SENTENCES
    # ------------------------------------------------------------

    @api.model
    def _change_sentence(self, previous, tier):
        """The tier change, for the chatter."""
        none = self.env._("no tier")
        return self.env._(
            "Tier changed from %(previous)s to %(tier)s.",
            previous=previous.name or none,
            tier=tier.name or none,
        )

    @api.model
    def _reason_sentence(self, data, tiers=None, currency=None):
        """The reason a salesperson reads, from ``rules.tier_reason``'s data;
        ``tiers``: from ``_reason_tiers``; ``currency``: the company's of the
        amounts (default: the current company's)."""
        rule = data.get("rule")
        if rule not in ("threshold", "pareto"):
            return self.env._("No confirmed order: no tier.")
        if tiers is None:
            tiers = self._reason_tiers([data])
        Tier = self.env["customer.tier"]
        currency = currency or self.env.company.currency_id

        def amount(value):
            return format_amount(self.env, value or 0.0, currency)

        revenue = self.env._(
            "%(months)s-month revenue %(revenue)s",
            months=data.get("months") or 12,
            revenue=amount(data.get("revenue")),
        )
        tier = tiers.get(data.get("tier_id"), Tier)
        missed = data.get("missed") or {}
        above = tiers.get(missed.get("tier_id"), Tier)
        if rule == "pareto":
            if above:
                if missed.get("cutoff") is None:
                    return self.env._(
                        "%(revenue)s: no customer reaches %(above)s, %(tier)s "
                        "by the Pareto shares",
                        revenue=revenue,
                        above=above.name,
                        tier=tier.name,
                    )
                return self.env._(
                    "%(revenue)s below the cut-off of %(cutoff)s for %(above)s",
                    revenue=revenue,
                    cutoff=amount(missed["cutoff"]),
                    above=above.name,
                )
            return self.env._(
                "%(revenue)s reaches the cut-off of %(cutoff)s for %(tier)s",
                revenue=revenue,
                cutoff=amount(data.get("cutoff")),
                tier=tier.name,
            )
        if above:
            shortfalls = []
            if "revenue" in missed.get("short", []):
                shortfalls.append(
                    self.env._(
                        "%(revenue)s below the minimum of %(minimum)s",
                        revenue=revenue,
                        minimum=amount(missed.get("min_revenue")),
                    )
                )
            if "orders" in missed.get("short", []):
                shortfalls.append(
                    self.env._(
                        "%(orders)s orders below the minimum of %(minimum)s",
                        orders=data.get("orders") or 0,
                        minimum=missed.get("min_orders") or 0,
                    )
                )
            return self.env._(
                "%(shortfalls)s for %(above)s",
                shortfalls=self.env._(" and ").join(shortfalls),
                above=above.name,
            )
        return self.env._(
            "%(revenue)s and %(orders)s orders reach the minimum of %(minimum)s "
            "and %(min_orders)s orders for %(tier)s",
            revenue=revenue,
            orders=data.get("orders") or 0,
            minimum=amount(data.get("min_revenue")),
            min_orders=data.get("min_orders") or 0,
            tier=tier.name,
        )
