# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Customer profile (kept on the commercial partner)
    customer_tier_id = fields.Many2one(
        "customer.tier",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        copy=False,
        help="Customer tier (客户等级) assigned by the profile refresh.",
    )

    # ------------------------------------------------------------
    # Complaints
    # ------------------------------------------------------------
    # Counted for the commercial partner (the customer of a complaint), one
    # _read_group per figure for the whole recordset, with the user's rights.

    complaint_count = fields.Integer(
        string="Complaints", compute="_compute_complaint_count"
    )
    open_complaint_count = fields.Integer(
        string="Open Complaints", compute="_compute_open_complaint_count"
    )
    complaint_count_12m = fields.Integer(
        string="Complaints (12 Months)",
        compute="_compute_complaint_count_12m",
        help="Complaints received over the last 12 months, cancelled ones aside.",
    )
    complaint_satisfaction_avg = fields.Float(
        string="Complaint Satisfaction",
        compute="_compute_complaint_satisfaction_avg",
        digits=(16, 2),
        help="Average rating the customer gave to its closed complaints "
        "(1 dissatisfied, 3 okay, 5 satisfied); 0 when never rated.",
    )
    is_repeat_complainer = fields.Boolean(
        string="Repeat Complainer",
        compute="_compute_is_repeat_complainer",
        search="_search_is_repeat_complainer",
        help="A customer of a large customer tier (Settings) with at least the "
        "set number of complaints over the last 12 months.",
    )

    def _complaint_aggregate(self, domain, aggregate="__count"):
        """{commercial partner id: aggregate} of the complaints of ``self``."""
        Complaint = self.env["customer.complaint"]
        customers = self.commercial_partner_id._origin
        if (
            not customers
            or not self.env.user._is_internal()
            or not Complaint.has_access("read")
        ):
            return {}
        groups = Complaint._read_group(
            [("partner_id", "in", customers.ids), *domain], ["partner_id"], [aggregate]
        )
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
        Complaint = self.env["customer.complaint"]
        customer_ids = []
        if self.env.user._is_internal() and Complaint.has_access("read"):
            company = self.env.company
            groups = Complaint._read_group(
                self._complaint_recent_domain(),
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
