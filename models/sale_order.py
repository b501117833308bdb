# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from .customer_tier import DELIVERY_PRIORITIES
from .res_partner import MANAGER_LEVELS, PURCHASE_INTENTS

QUOTED = "quoted_no_reply"
OPEN_QUOTATION_STATES = ("draft", "sent")

# Unknown to the ORM: the uninstall hook drops it.
PROFILE_ORDER_INDEX = "sale_order_customer_relationship_idx"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    delivery_priority = fields.Selection(
        DELIVERY_PRIORITIES,
        compute="_compute_delivery_priority",
        store=True,
        readonly=False,
        precompute=True,
        help="What the customer's tier and relationship level ask for: urgent "
        "orders are delivered first.",
    )
    # A quotation sent to a prospect: what the prospect's intent was before,
    # given back when the quotation is cancelled.
    prospect_quoted = fields.Boolean(readonly=True, copy=False)
    prospect_previous_intent = fields.Selection(
        PURCHASE_INTENTS, readonly=True, copy=False
    )
    prospect_previous_quote_date = fields.Date(readonly=True, copy=False)

    def init(self):
        res = super().init()
        # The profile refresh aggregates the confirmed orders of a batch of
        # customers: with this index it reads no table page (index-only scan).
        self.env.cr.execute(
            SQL(
                """CREATE INDEX IF NOT EXISTS %s
                       ON sale_order (partner_id)
                  INCLUDE (date_order, amount_untaxed, currency_rate, company_id)
                    WHERE state = 'sale'""",
                SQL.identifier(PROFILE_ORDER_INDEX),
            )
        )
        return res

    @api.depends("partner_id")
    def _compute_delivery_priority(self):
        for order in self:
            # sudo: the tier and level decide for whoever takes the order; the
            # tier of the order's company
            customer = (
                order.partner_id.sudo()
                .with_company(order.company_id)
                .commercial_partner_id
            )
            priorities = [customer.customer_tier_id.delivery_priority or "0"]
            if customer.relationship_level in MANAGER_LEVELS:
                priorities.append(
                    order.company_id.key_relationship_delivery_priority or "0"
                )
            order.delivery_priority = max(priorities)

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def write(self, vals):
        sent = self.browse()
        if vals.get("state") == "sent":
            # "Send by email" and "Mark as sent" both write the state
            sent = self.filtered(lambda order: order.state == "draft")
        result = super().write(vals)
        if sent:
            sent._record_prospect_quotations()
        return result

    # ------------------------------------------------------------
    # PROSPECTS
    # ------------------------------------------------------------

    def _record_prospect_quotations(self):
        """A quotation sent to a prospect (a customer who never ordered): the
        prospect is "quoted, no reply" from today, and the order keeps what
        its intent was (the intent before the first of its open quotations)."""
        today = self.env.company._relationship_today()
        # sudo: the salesperson sending a quotation moves the prospect's intent
        for order in self.sudo():
            # a prospect of the order's company
            customer = order.partner_id.with_company(
                order.company_id
            ).commercial_partner_id
            if customer.order_count or customer.lifecycle_stage not in (
                False,
                "potential",
            ):
                continue
            previous = (customer.purchase_intent, customer.quote_date)
            if customer.purchase_intent == QUOTED:
                earlier = self._open_prospect_quotations(customer) - order
                if earlier:
                    first = earlier.sorted("id")[0]
                    previous = (
                        first.prospect_previous_intent,
                        first.prospect_previous_quote_date,
                    )
            order.write(
                {
                    "prospect_quoted": True,
                    "prospect_previous_intent": previous[0],
                    "prospect_previous_quote_date": previous[1],
                }
            )
            customer.write({"purchase_intent": QUOTED, "quote_date": today})

    def _open_prospect_quotations(self, customer):
        return self.search(
            [
                ("partner_id", "child_of", customer.id),
                ("prospect_quoted", "=", True),
                ("state", "in", OPEN_QUOTATION_STATES),
            ]
        )

    def _clear_prospect_intents(self):
        """A confirmed order makes the prospect a customer: no intent left."""
        # sudo: confirming an order moves the customer's intent
        customers = self.sudo().partner_id.commercial_partner_id.filtered(
            "purchase_intent"
        )
        if customers:
            customers.write({"purchase_intent": False})

    def _restore_prospect_intents(self):
        """Quotations of a prospect cancelled: when none is open any more and
        the prospect is still "quoted, no reply", its intent is back to what
        it was before."""
        # sudo: cancelling a quotation moves the customer's intent back
        for order in self.sudo().filtered("prospect_quoted"):
            customer = order.partner_id.commercial_partner_id
            if customer.purchase_intent != QUOTED:
                continue
            if self.sudo()._open_prospect_quotations(customer):
                continue
            customer.write(
                {
                    "purchase_intent": order.prospect_previous_intent,
                    "quote_date": order.prospect_previous_quote_date,
                }
            )

    # ------------------------------------------------------------
    # CONFIRMATION
    # ------------------------------------------------------------

    def _confirmation_error_message(self):
        error = super()._confirmation_error_message()
        if error:
            return error
        blacklisted = self._blacklisted_partner()
        if not blacklisted or self._blacklist_mode() != "block":
            return False
        # The reason is a blacklist detail: relationship users only (SPEC §4).
        if self.env.user.has_group("customer_relationship.group_user_own"):
            return self.env._(
                "%(customer)s is blacklisted (%(reason)s). Orders of blacklisted "
                "customers cannot be confirmed; a customer relationship manager can "
                "lift the blacklist.",
                customer=blacklisted.display_name,
                reason=blacklisted._blacklist_reason_text(),
            )
        return self.env._(
            "%(customer)s is blacklisted. Orders of blacklisted customers cannot be "
            "confirmed; a customer relationship manager can lift the blacklist.",
            customer=blacklisted.display_name,
        )

    @api.onchange("partner_id")
    def _onchange_partner_id_customer_blacklist(self):
        """Choosing a blacklisted customer warns at once, as Odoo's sale
        warnings do."""
        if not self.partner_id:
            return None
        blacklisted = self._blacklisted_partner()
        if not blacklisted:
            return None
        return {
            "warning": {
                "title": self.env._(
                    "Blacklisted customer: %(customer)s",
                    customer=blacklisted.display_name,
                ),
                "message": self._blacklist_warning_text(blacklisted),
            }
        }

    def _blacklist_warning_text(self, blacklisted):
        """What a salesperson reads about a blacklisted customer: the reason
        for relationship users (a blacklist detail, SPEC §4), what confirming
        does for everyone."""
        if self._blacklist_mode() == "block":
            consequence = self.env._(
                "Its orders cannot be confirmed; a customer relationship manager "
                "can lift the blacklist."
            )
        else:
            consequence = self.env._(
                "Its orders can still be confirmed, and each confirmation is noted "
                "on the order."
            )
        if self.env.user.has_group("customer_relationship.group_user_own"):
            return self.env._(
                "%(customer)s is blacklisted (%(reason)s). %(consequence)s",
                customer=blacklisted.display_name,
                reason=blacklisted._blacklist_reason_text(),
                consequence=consequence,
            )
        return self.env._(
            "%(customer)s is blacklisted. %(consequence)s",
            customer=blacklisted.display_name,
            consequence=consequence,
        )

    def action_confirm(self):
        # In warn mode, who confirms from the form (the button's context) sees
        # the warning first; other ways in (RPC, automations) confirm and the
        # order gets its note.
        if self.env.context.get("customer_blacklist_warning") and (
            self._blacklist_mode() == "warn"
        ):
            if any(order._blacklisted_partner() for order in self):
                return self.env["customer.blacklist.confirm"]._action_open(self)
        return super().action_confirm()

    def _action_confirm(self):
        res = super()._action_confirm()
        self._clear_prospect_intents()
        # the customer's profile follows within a minute (live refresh queue)
        self.env["customer.profile.refresh.queue"]._enqueue(self.partner_id)
        if self._blacklist_mode() == "warn":
            for order in self:
                blacklisted = order._blacklisted_partner()
                if blacklisted:
                    # Read by whoever sees the order: no blacklist details.
                    order.message_post(
                        body=Markup("<strong>%s</strong>")
                        % self.env._(
                            "Confirmed although %(customer)s is blacklisted.",
                            customer=blacklisted.display_name,
                        ),
                        message_type="comment",
                        subtype_xmlid="mail.mt_note",
                    )
        return res

    def _action_cancel(self):
        confirmed = self.filtered(lambda order: order.state == "sale")
        quotations = self.filtered(lambda order: order.state in OPEN_QUOTATION_STATES)
        res = super()._action_cancel()
        quotations._restore_prospect_intents()
        self.env["customer.profile.refresh.queue"]._enqueue(confirmed.partner_id)
        return res

    def action_unlock(self):
        res = super().action_unlock()
        self.env["customer.profile.refresh.queue"]._enqueue(self.partner_id)
        return res

    def _blacklisted_partner(self):
        """The blacklisted partner the order is for: its customer (the
        commercial partner), or the ordering contact or one of its parents
        when blacklisted themselves (a customer blacklisted as an individual
        stays blacklisted when they join a company; a contact that leaves a
        blacklisted company leaves its blacklist behind)."""
        self.ensure_one()
        # sudo: the blacklist applies to users who may not read its fields;
        # the blacklist of the order's company, and the group's
        partner = self.partner_id.sudo().with_company(self.company_id)
        customer = partner.commercial_partner_id
        if customer.is_blacklisted_in_force:
            return customer
        while partner and partner != customer:
            if partner.is_blacklisted_in_force:
                return partner
            partner = partner.parent_id
        return partner.browse()

    def _blacklist_mode(self):
        return (self[:1].company_id or self.env.company)._relationship_setting(
            "blacklist_mode"
        )
