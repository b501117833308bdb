# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL, drop_view_if_exists


class CustomerFollowupHygieneReport(models.Model):
    """Follow-up hygiene (跟进) per salesperson: customers whose follow-up is
    overdue or who were never followed up, and reminders done late.

    A read-only SQL view with two kinds of rows: one per reachable customer
    and company of its profile (neither blacklisted nor do-not-contact),
    counted for its salesperson, and
    one per reminder of the module's activity types (open or done, they are
    kept done), counted for the user it was assigned to. The counters are 0 or
    1 per row, so the pivot sums them per salesperson, tier or month.
    """

    _name = "customer.followup.hygiene.report"
    _description = "Follow-up Hygiene Report"
    _auto = False
    _order = "date_deadline desc, id desc"
    _rec_name = "partner_id"

    row_type = fields.Selection(
        [("customer", "Customer"), ("reminder", "Reminder")],
        string="Row",
        readonly=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        readonly=True,
        help="The customer's salesperson, or the user a reminder was assigned to.",
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one(
        "res.company",
        readonly=True,
        help="The company of the customer's profile; for a reminder, the "
        "customer's company, else the salesperson's.",
    )
    customer_tier_id = fields.Many2one("customer.tier", readonly=True)
    activity_type_id = fields.Many2one(
        "mail.activity.type", string="Reminder Type", readonly=True
    )
    summary = fields.Char(readonly=True)
    date_deadline = fields.Date(
        string="Due Date",
        readonly=True,
        help="A reminder's due date; a customer's planned next follow-up.",
    )
    date_done = fields.Date(
        string="Done On",
        readonly=True,
        help="When a reminder was done; a customer's last follow-up.",
    )
    customer_count = fields.Integer(string="Customers", readonly=True)
    followup_overdue_count = fields.Integer(
        string="Follow-up Overdue",
        readonly=True,
        help="Customers whose planned next follow-up has passed.",
    )
    never_followed_up_count = fields.Integer(
        string="Never Followed Up",
        readonly=True,
        help="Customers with confirmed orders who were never followed up.",
    )
    reminder_count = fields.Integer(string="Reminders", readonly=True)
    reminder_open_late_count = fields.Integer(
        string="Reminders Past Due",
        readonly=True,
        help="Open reminders whose due date has passed.",
    )
    reminder_done_count = fields.Integer(string="Reminders Done", readonly=True)
    reminder_done_late_count = fields.Integer(
        string="Reminders Done Late",
        readonly=True,
        help="Reminders marked done after their due date.",
    )
    days_late = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="For a reminder done late: days between its due date and when it "
        "was done.",
    )

    @api.model
    def _customer_rows(self):
        Partner = self.env["res.partner"]

        def value(fname):
            # the customer's profile in the row's company
            return Partner._company_value_sql(SQL("p"), fname, SQL("c.id"))

        return SQL(
            """
            SELECT (p.id::bigint * 4096 + c.id) * 2 AS id,
                   'customer' AS row_type,
                   p.user_id,
                   p.id AS partner_id,
                   c.id AS company_id,
                   %(tier)s AS customer_tier_id,
                   NULL::integer AS activity_type_id,
                   NULL::varchar AS summary,
                   %(next)s AS date_deadline,
                   %(last)s AS date_done,
                   1 AS customer_count,
                   COALESCE(%(next)s < CURRENT_DATE, false)::integer
                       AS followup_overdue_count,
                   (%(last)s IS NULL
                    AND COALESCE(%(orders)s, 0) > 0)::integer
                       AS never_followed_up_count,
                   0 AS reminder_count,
                   0 AS reminder_open_late_count,
                   0 AS reminder_done_count,
                   0 AS reminder_done_late_count,
                   NULL::integer AS days_late
              FROM res_partner p
              JOIN res_company c ON p.company_id IS NULL OR p.company_id = c.id
             WHERE %(scope)s
               AND NOT COALESCE(%(blacklisted)s, false)
               AND NOT COALESCE(p.blacklist_group_wide, false)
               AND NOT COALESCE(p.do_not_contact, false)
               AND (COALESCE(%(orders)s, 0) > 0
                    OR p.purchase_intent IS NOT NULL
                    OR %(last)s IS NOT NULL)
            """,
            scope=Partner._customer_scope_sql(SQL("p")),
            tier=value("customer_tier_id"),
            orders=value("order_count"),
            last=value("last_followup_date"),
            next=value("next_followup_date"),
            blacklisted=value("is_customer_blacklisted"),
        )

    @api.model
    def _reminder_rows(self):
        # The module's reminder types, whatever their ids in this database.
        return SQL(
            """
            SELECT a.id * 2 + 1 AS id,
                   'reminder' AS row_type,
                   a.user_id,
                   p.id AS partner_id,
                   r.company_id,
                   %s AS customer_tier_id,
                   a.activity_type_id,
                   a.summary,
                   a.date_deadline,
                   a.date_done,
                   0 AS customer_count,
                   0 AS followup_overdue_count,
                   0 AS never_followed_up_count,
                   1 AS reminder_count,
                   (a.active AND a.date_deadline < CURRENT_DATE)::integer
                       AS reminder_open_late_count,
                   (NOT a.active)::integer AS reminder_done_count,
                   COALESCE(NOT a.active AND a.date_done > a.date_deadline, false)
                       ::integer AS reminder_done_late_count,
                   CASE WHEN NOT a.active AND a.date_done > a.date_deadline
                        THEN a.date_done - a.date_deadline END AS days_late
              FROM mail_activity a
              JOIN ir_model_data imd
                ON imd.model = 'mail.activity.type'
               AND imd.res_id = a.activity_type_id
               AND imd.module = 'customer_relationship'
              JOIN res_partner rp ON rp.id = a.res_id
              JOIN res_partner p ON p.id = rp.commercial_partner_id
              JOIN res_users u ON u.id = a.user_id
             CROSS JOIN LATERAL (SELECT COALESCE(a.customer_reminder_company_id,
                                                 p.company_id, u.company_id)
                                     AS company_id) r
             WHERE a.res_model = 'res.partner'
            """,
            self.env["res.partner"]._company_value_sql(
                SQL("p"), "customer_tier_id", SQL("r.company_id")
            ),
        )

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s UNION ALL %s)",
                SQL.identifier(self._table),
                self._customer_rows(),
                self._reminder_rows(),
            )
        )
