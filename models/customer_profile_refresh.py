# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup
from psycopg2 import errors

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..engine import rules
from ..engine.complaint_steps import CLOSED_STEPS
from .customer_lifecycle_playbook import BACK_FROM_DORMANT

_logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
ENGINE_COLUMNS = rules.ENGINE_COLUMNS
MANAGER_GROUP = "customer_relationship.group_manager"
# A failing batch is retried after these delays (minutes), the last one
# repeating; managers get an activity at the FAILURES_BEFORE_ALERT-th failure
# in a row, long before Odoo would deactivate the job.
RETRY_MINUTES = (5, 15, 60)
FAILURES_BEFORE_ALERT = 3
PASS_STATES = [("running", "Running"), ("failed", "Failing"), ("done", "Done")]


class CustomerProfileRefresh(models.Model):
    """A pass of the daily profile refresh (SPEC §2), and the engine that runs it.

    A pass walks the commercial partners by id (keyset batches of at most
    BATCH_SIZE), gathers the facts of a batch in one aggregate query, lets the
    plain rules of ``engine/rules.py`` decide, and writes the partners whose
    values changed in one statement, with their lifecycle history. The pass
    record (date, last partner id, Pareto cut-offs) is committed with each batch,
    so a pass interrupted by a crash resumes where it stopped, and a pass that
    finished today is not run again. A failing batch is retried a few minutes
    later (``state``, ``last_error``), and a pass that crosses midnight ends
    before the next day's begins.

    The live updates of the day (``customer.profile.refresh.queue``) run the
    same ``_refresh_partners`` on the customers whose orders, credit notes or
    complaints moved.
    """

    _name = "customer.profile.refresh"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Customer Profile Refresh"
    _order = "date desc, id desc"
    _rec_name = "date"

    date = fields.Date(required=True, readonly=True, index=True)
    last_partner_id = fields.Integer(readonly=True)
    total = fields.Integer(string="Partners", readonly=True)
    processed = fields.Integer(readonly=True)
    written = fields.Integer(string="Partners Updated", readonly=True)
    done = fields.Boolean(readonly=True)
    tier_mode = fields.Selection(
        [("threshold", "Thresholds"), ("pareto", "Pareto")],
        readonly=True,
        help="The tier assignment of the company that ran the pass (each "
        "company classifies its customers its own way).",
    )
    # The cut-offs of every company ({company id: cut-offs}): revenue figures
    # of each company, for the pass only; people read their company's.
    pareto_cutoffs = fields.Json(readonly=True, groups="base.group_system")
    company_pareto_cutoffs = fields.Json(
        string="Pareto Cutoffs",
        compute="_compute_company_pareto_cutoffs",
        help="The current company's Pareto cut-offs of the pass: the window "
        "revenue from which a customer enters each tier.",
    )
    date_done = fields.Datetime(string="Finished On", readonly=True)
    state = fields.Selection(PASS_STATES, default="running", readonly=True)
    progress = fields.Float(compute="_compute_progress")
    last_error = fields.Text(readonly=True)
    failure_count = fields.Integer(
        string="Failures",
        readonly=True,
        help="Failed batches in a row: each is retried a few minutes later.",
    )
    first_pass = fields.Boolean(
        string="First Classification",
        readonly=True,
        help="The first pass of the database: its tier changes are kept in the "
        "tier history without a chatter message on each customer.",
    )

    _sql_constraints = [
        ("date_uniq", "unique(date)", "There is one profile refresh pass per day."),
    ]

    def _compute_progress(self):
        for refresh in self:
            refresh.progress = (
                100.0
                if refresh.done
                else 100.0 * refresh.processed / refresh.total
                if refresh.total
                else 0.0
            )

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_refresh_profiles(self, batch_size=BATCH_SIZE):
        """Refresh one batch of customer profiles and report the progress.

        The cron runner commits after each call and calls again while partners
        remain; a re-trigger wakes the cron workers when the runner's own loop
        ends before the pass does. A failing batch leaves nothing written: it
        is recorded on the pass and retried a few minutes later.
        """
        refresh = self._current_pass()
        if refresh.done:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return
        refresh._lock()
        try:
            with self.env.cr.savepoint():
                done = refresh._refresh_batch(batch_size)
        except Exception as error:  # noqa: BLE001 - any failure is retried
            self.env.invalidate_all()
            refresh._record_failure(error)
            remaining = max(refresh.total - refresh.processed, 1)
            self.env["ir.cron"]._notify_progress(done=0, remaining=remaining)
            return
        remaining = 0 if refresh.done else max(refresh.total - refresh.processed, 0)
        if refresh.done:
            _logger.info(
                "Customer profile refresh of %s done: %s partners, %s updated",
                refresh.date,
                refresh.processed,
                refresh.written,
            )
            if refresh.date < self._today():
                # a pass that crossed midnight ended: today's comes next
                remaining = 1
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        if remaining:
            self.env.ref("customer_relationship.ir_cron_refresh_profiles")._trigger()

    def _lock(self):
        """Hold the pass row until the batch commits: "Refresh now" cannot
        reset a pass under a running batch."""
        self.env.cr.execute(
            SQL(
                """SELECT id FROM customer_profile_refresh
                    WHERE id = %s FOR NO KEY UPDATE""",
                self.id,
            )
        )

    def _record_failure(self, error):
        """Keep the error on the pass, retry later, tell the managers when it
        keeps failing."""
        self.ensure_one()
        _logger.warning(
            "Customer profile refresh of %s: a batch failed, retried later",
            self.date,
            exc_info=True,
        )
        failures = self.failure_count + 1
        self.write(
            {
                "state": "failed",
                "failure_count": failures,
                "last_error": f"{type(error).__name__}: {error}"[:2000],
            }
        )
        delay = RETRY_MINUTES[min(failures, len(RETRY_MINUTES)) - 1]
        self.env.ref("customer_relationship.ir_cron_refresh_profiles")._trigger(
            fields.Datetime.now() + timedelta(minutes=delay)
        )
        if failures == FAILURES_BEFORE_ALERT:
            self._alert_managers()

    def _alert_managers(self):
        managers = self.env.ref(MANAGER_GROUP).users.filtered(
            lambda user: user.active and not user.share
        )
        for manager in managers:
            self.with_context(mail_activity_quick_update=True).activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=manager.id,
                summary=self.env._("The customer profile refresh keeps failing"),
                note=self.env._(
                    "The profile refresh of %(date)s failed %(count)s times in a "
                    "row; it is retried automatically. Last error: %(error)s",
                    date=self.date,
                    count=self.failure_count,
                    error=self.last_error,
                ),
            )

    @api.model
    def _demo_refresh_profiles(self):
        """Run a whole refresh pass now, batch after batch, as the cron runner
        would: the demo data gets its profiles from the real engine."""
        self.search([("date", "=", self._today())]).unlink()
        for _batch in range(10000):
            self._cron_refresh_profiles()
            if self._current_pass().done:
                return

    # ------------------------------------------------------------
    # PASS
    # ------------------------------------------------------------

    @api.model
    def _today(self):
        return fields.Date.context_today(self)

    @api.model
    def _current_pass(self):
        """The pass to run: one started yesterday and not finished yet (it
        ends first), else today's, started when there is none yet."""
        today = self._today()
        unfinished = self.search(
            [("done", "=", False), ("date", ">=", today - timedelta(days=1))],
            order="date, id",
            limit=1,
        )
        if unfinished:
            return unfinished
        return self.search([("date", "=", today)], limit=1) or self._start_pass(today)

    @api.model
    def _start_pass(self, today):
        refresh = self.create({"date": today, **self._pass_start_values(today)})
        _logger.info(
            "Customer profile refresh of %s starts: %s partners",
            refresh.date,
            refresh.total,
        )
        return refresh

    @api.model
    def _pass_start_values(self, today):
        """A pass from its start, with the current settings."""
        self.env.flush_all()
        return {
            "total": self._count_partners(),
            "tier_mode": self.env.company._relationship_setting("tier_mode"),
            # {company id: cut-offs} of the companies in Pareto mode
            "pareto_cutoffs": self._pareto_cutoffs(today),
            "first_pass": not self.search_count([("done", "=", True)], limit=1),
            "last_partner_id": 0,
            "processed": 0,
            "written": 0,
            "done": False,
            "date_done": False,
            "state": "running",
            "failure_count": 0,
            "last_error": False,
        }

    @api.model
    def _day_cutoffs(self, today):
        """The Pareto cut-offs the live updates use today: those of today's
        pass, frozen for the day ({company id: cut-offs} of the companies in
        Pareto mode)."""
        refresh = self.search([("date", "=", today)], limit=1)
        if not refresh:
            refresh = self._start_pass(today)
        # sudo: every company's cut-offs, the engine's bookkeeping
        cutoffs = refresh.sudo().pareto_cutoffs
        if not isinstance(cutoffs, dict) or set(cutoffs) != self._pareto_company_keys():
            # a company's mode changed since the pass: computed once for the day
            cutoffs = self._pareto_cutoffs(today)
            # sudo: every company's cut-offs, the engine's bookkeeping
            refresh.sudo().write({"pareto_cutoffs": cutoffs})
        return cutoffs

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @api.model
    def action_refresh_now(self):
        """Re-run today's pass now with the current settings (managers).

        Today's pass record starts over and the cron is woken: it re-decides
        every customer and writes only what changed.
        """
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only customer relationship managers may refresh the "
                    "customer profiles."
                )
            )
        today = self._today()
        # sudo: managers read the passes; resetting one is the engine's bookkeeping
        engine = self.sudo()
        refresh = engine.search([("date", "=", today)], limit=1)
        if refresh:
            try:
                with self.env.cr.savepoint(flush=False):
                    self.env.cr.execute(
                        SQL(
                            """SELECT id FROM customer_profile_refresh
                                WHERE id = %s FOR NO KEY UPDATE NOWAIT""",
                            refresh.id,
                        )
                    )
            except errors.LockNotAvailable as error:
                raise UserError(
                    self.env._(
                        "A batch of the profile refresh is running right now: "
                        "try again in a minute."
                    )
                ) from error
            refresh.write(engine._pass_start_values(today))
        else:
            refresh = engine._start_pass(today)
        self.env.ref("customer_relationship.ir_cron_refresh_profiles").sudo()._trigger()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relationship.customer_profile_refresh_action"
        )
        action["context"] = {}
        return action

    @api.model
    def _restart_today(self):
        """Today's pass starts over with the current settings (and the cron is
        woken): every profile of every company is decided again."""
        today = self._today()
        refresh = self.search([("date", "=", today)], limit=1)
        if refresh:
            refresh.write(self._pass_start_values(today))
        self.env.ref("customer_relationship.ir_cron_refresh_profiles")._trigger()

    @api.model
    def _partner_scope(self):
        """Partners carrying a profile (the customer scope of res.partner)."""
        return self.env["res.partner"]._customer_scope_sql(SQL("p"))

    @api.model
    def _ids_condition(self, column, ids):
        """``column = ANY(ids)`` for the partner ids of a batch, with their range.

        A batch is a keyset range of partner ids. The range adds nothing to the
        result, but it lets PostgreSQL read the batch with an index range scan
        whatever the size of the table: from an array of thousands of ids alone
        it estimates thousands of index descents, and prefers a sequential scan
        of res_partner on each batch (a cost that grows with the table) or, on
        large tables, a plan costly enough to be JIT-compiled on each batch.
        """
        return SQL(
            "(%s BETWEEN %s AND %s AND %s = ANY(%s))",
            column,
            min(ids),
            max(ids),
            column,
            self._ids_array(ids),
        )

    @api.model
    def _ids_array(self, ids):
        """The integers ``ids`` as one int4[] parameter: a Python list would
        reach PostgreSQL as an ARRAY of thousands of constants, each parsed
        and planned on every batch."""
        return SQL("%s::int4[]", "{%s}" % ",".join(map(str, map(int, ids))))

    @api.model
    def _count_partners(self):
        self.env.cr.execute(
            SQL("SELECT count(*) FROM res_partner p WHERE %s", self._partner_scope())
        )
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------
    # FACTS
    # ------------------------------------------------------------

    @api.depends("pareto_cutoffs")
    @api.depends_context("company")
    def _compute_company_pareto_cutoffs(self):
        key = str(self.env.company.id)
        # sudo: every company's cut-offs are read, the current one's kept
        for refresh, stored in zip(self, self.sudo(), strict=True):
            refresh.company_pareto_cutoffs = (stored.pareto_cutoffs or {}).get(key)

    @api.model
    def _profile_companies(self):
        """The companies keeping a profile of their customers: every company.
        A customer of one company (``company_id`` set) has a profile in that
        company only; a shared one, a profile in each."""
        # sudo: the pass keeps the profile of every company, whoever runs it
        return self.env["res.company"].sudo().browse(self._profile_company_ids())

    @tools.ormcache()
    def _profile_company_ids(self):
        """The ids of the companies (Odoo clears the cache when one is created
        or deleted): not a query per batch."""
        # sudo: every company, whoever runs the pass
        return tuple(self.env["res.company"].sudo().search([], order="id").ids)

    @api.model
    def _window_starts(self, today, company=None):
        get = (company or self.env.company)._relationship_setting
        revenue_months = get("revenue_window_months")
        steady_months = get("steady_window_months")
        return (
            datetime.combine(today - relativedelta(months=revenue_months), time.min),
            datetime.combine(today - relativedelta(months=steady_months), time.min),
        )

    @api.model
    def _companies_sql(self, today):
        """The companies of the profiles as an SQL row source ``cs``, with
        each one's windows and thresholds: (company_id, start, steady_start,
        mature_n, rating_start, complaint_cost, every_complaint, pareto,
        share_a, share_b), the shares cumulated (the first tier's, the first
        two tiers')."""
        rows = []
        for company in self._profile_companies():
            get = company._relationship_setting
            start, steady_start = self._window_starts(today, company)
            rating_months = get("rating_window_months")
            rating_start = (
                datetime.combine(today - relativedelta(months=rating_months), time.min)
                if rating_months
                else None
            )
            rows.append(
                SQL(
                    "(%s, %s::timestamp, %s::timestamp, %s::int4, %s::timestamp, "
                    "%s::numeric, %s::bool, %s::bool, %s::numeric, %s::numeric)",
                    company.id,
                    start,
                    steady_start,
                    get("mature_order_count"),
                    rating_start,
                    get("luxury_complaint_cost"),
                    get("burden_counts") == "every",
                    get("tier_mode") == "pareto",
                    get("pareto_share_a"),
                    get("pareto_share_a") + get("pareto_share_b"),
                )
            )
        return SQL(
            "(VALUES %s) AS cs(company_id, start, steady_start, mature_n, "
            "rating_start, complaint_cost, every_complaint, pareto, share_a, "
            "share_b)",
            SQL(", ").join(rows),
        )

    @api.model
    def _revenue_sql(self):
        """Untaxed amount of an order in its company's currency.

        In numeric, not float: sums are then exact, whatever order a query plan
        adds the orders in. A Pareto cut-off is the revenue of the customer at
        the boundary, summed by the pass's first query, and each batch sums that
        customer's revenue again: in float the two could differ in the last
        bit (parallel plans add in any order), and that customer's tier would
        change from one pass to the next with nothing changed.
        """
        return SQL("so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)")

    @api.model
    def _pareto_company_keys(self):
        """The companies in Pareto mode, as the keys of the cut-offs (str)."""
        return {
            str(company.id)
            for company in self._profile_companies()
            if company._relationship_setting("tier_mode") == "pareto"
        }

    @api.model
    def _pareto_cutoffs(self, today):
        """Revenue cut-offs of the Pareto tiers of each company in Pareto mode,
        over its customers, in one query (same rule as ``rules.pareto_cutoffs``):
        {company id (str): [cut-offs]}."""
        if not self._pareto_company_keys():
            return {}
        self.env.cr.execute(
            SQL(
                """
                WITH revenue AS (
                    SELECT so.company_id, p.commercial_partner_id AS partner_id,
                           SUM(%(revenue)s) AS revenue
                      FROM sale_order so
                      JOIN %(companies)s
                        ON cs.company_id = so.company_id AND cs.pareto
                      JOIN res_partner p ON p.id = so.partner_id
                     WHERE so.state = 'sale' AND so.date_order >= cs.start
                  GROUP BY so.company_id, p.commercial_partner_id
                    HAVING SUM(%(revenue)s) > 0
                ), ranked AS (
                    SELECT company_id, revenue,
                           SUM(revenue) OVER (PARTITION BY company_id
                                              ORDER BY revenue DESC
                                              ROWS UNBOUNDED PRECEDING) - revenue
                               AS before,
                           SUM(revenue) OVER (PARTITION BY company_id) AS total
                      FROM revenue
                )
                SELECT cs.company_id,
                       MIN(r.revenue)
                           FILTER (WHERE r.before < r.total * cs.share_a / 100.0),
                       MIN(r.revenue)
                           FILTER (WHERE r.before < r.total * cs.share_b / 100.0)
                  FROM %(companies)s
             LEFT JOIN ranked r ON r.company_id = cs.company_id
                 WHERE cs.pareto
              GROUP BY cs.company_id
                """,
                companies=self._companies_sql(today),
                revenue=self._revenue_sql(),
            )
        )
        return {
            str(company_id): [float(c) if c is not None else None for c in cutoffs]
            for company_id, *cutoffs in self.env.cr.fetchall()
        }

    @api.model
    def _next_batch(self, last_id, batch_size):
        self.env.cr.execute(
            SQL(
                """SELECT p.id FROM res_partner p
                    WHERE p.id > %s AND %s ORDER BY p.id LIMIT %s""",
                last_id,
                self._partner_scope(),
                batch_size,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    # The partner's columns the rules read: the company's value of each
    # company-dependent one, the others as they are.
    CURRENT_COLUMNS = (
        *ENGINE_COLUMNS,
        "tier_locked",
        "loyalty_strength",
        "signal_gives_suggestions",
        "signal_follows_new_products",
        "signal_refers_others",
        "signal_rejects_competitors",
        "create_date",
        "user_id",
        # whether a new tier plans the follow-ups again (none without one)
        "last_followup_date",
    )

    @api.model
    def _current_sql(self):
        """The columns of CURRENT_COLUMNS of the partner ``p`` in the company
        ``cs`` (an SQL select list)."""
        Partner = self.env["res.partner"]
        return SQL(", ").join(
            SQL(
                "%s AS %s",
                Partner._company_value_sql(SQL("p"), name, SQL("cs.company_id"))
                if Partner._fields[name].company_dependent
                else SQL("p.%s", SQL.identifier(name)),
                SQL.identifier(name),
            )
            for name in self.CURRENT_COLUMNS
        )

    @api.model
    def _gather_facts(self, partner_ids, today, companies_sql=None):
        """Current profile and order facts of the partners in each company of
        their profiles, in one query: a row per (partner, company)."""
        self.env.cr.execute(
            SQL(
                """
                WITH orders AS (
                    SELECT p.commercial_partner_id AS partner_id, so.company_id,
                           MIN(so.date_order) AS first_order,
                           MAX(so.date_order) AS last_order,
                           COUNT(*) AS order_count,
                           COUNT(*) FILTER (WHERE so.date_order >= cs.start)
                               AS window_orders,
                           COALESCE(SUM(%(revenue)s)
                               FILTER (WHERE so.date_order >= cs.start), 0)
                               AS window_revenue,
                           COUNT(DISTINCT date_trunc('month', so.date_order))
                               FILTER (WHERE so.date_order >= cs.steady_start)
                               AS steady_months,
                           (array_agg(so.date_order
                                      ORDER BY so.date_order))[cs.mature_n]
                               AS mature_order
                      FROM res_partner p
                      JOIN sale_order so
                        ON so.partner_id = p.id AND so.state = 'sale'
                      JOIN %(companies)s ON cs.company_id = so.company_id
                     WHERE %(commercial_in_batch)s
                  GROUP BY p.commercial_partner_id, so.company_id, cs.mature_n
                )
                SELECT p.id, cs.company_id, %(current)s,
                       p.lifecycle_stage IS NOT NULL AS profiled,
                       o.first_order, o.last_order, o.order_count AS orders,
                       o.window_orders, o.window_revenue AS revenue,
                       o.steady_months, o.mature_order
                  FROM res_partner p
                  JOIN %(companies)s
                    ON p.company_id IS NULL OR p.company_id = cs.company_id
             LEFT JOIN orders o
                    ON o.partner_id = p.id AND o.company_id = cs.company_id
                 WHERE %(in_batch)s
              ORDER BY p.id, cs.company_id
                """,
                companies=companies_sql or self._companies_sql(today),
                revenue=self._revenue_sql(),
                current=self._current_sql(),
                commercial_in_batch=self._ids_condition(
                    SQL("p.commercial_partner_id"), partner_ids
                ),
                in_batch=self._ids_condition(SQL("p.id"), partner_ids),
            )
        )
        # dict(zip()): a third of the time of cr.dictfetchall() on 5,000 rows
        columns = [column.name for column in self.env.cr.description]
        return [dict(zip(columns, row, strict=True)) for row in self.env.cr.fetchall()]

    @api.model
    def _gather_complaint_facts(self, partner_ids, today, companies_sql=None):
        """Complaint facts per partner and company, in one query:
        {(id, company id): (open complaints, costly count, dormant after an
        unresolved complaint, good ratings, bad ratings, window cost)}.

        The costly count (value segment "burden") adds the customer credit
        notes posted in the revenue window and the complaints received in it,
        cancelled ones aside: only those judged unreasonable with the setting
        ``burden_counts`` "costly" (default: a demanding customer who complains
        with reason is no burden), every one with "every". A temporary
        dormancy "began after an unresolved complaint" when a complaint
        received before it was still open when it began. The ratings are
        those of the complaints closed in the rating window; the window cost
        (in the company's currency) adds the posted credit notes, the refunds
        accepted through complaints that no posted credit note counts yet,
        and the setting ``luxury_complaint_cost`` per complaint received in
        the revenue window. Each company counts its own complaints and credit
        notes, with its own settings. Partners without complaint nor credit
        note are left out.
        """
        Partner = self.env["res.partner"]
        stage = Partner._company_value_sql(
            SQL("p"), "lifecycle_stage", SQL("c.company_id")
        )
        stage_date = Partner._company_value_sql(
            SQL("p"), "lifecycle_stage_date", SQL("c.company_id")
        )
        self.env.cr.execute(
            SQL(
                """
                WITH complaints AS (
                    SELECT c.partner_id, c.company_id,
                           COUNT(*) FILTER (WHERE c.step NOT IN ('done', 'cancelled'))
                               AS open_count,
                           COUNT(*) FILTER (WHERE c.step != 'cancelled'
                                              AND c.complaint_date >= cs.start
                                              AND (cs.every_complaint
                                                   OR c.customer_reasonable = 'no'))
                               AS costly,
                           BOOL_OR(%(stage)s = 'dormant_temporary'
                               AND c.step != 'cancelled'
                               AND c.complaint_date::date <= %(stage_date)s
                               AND (c.closed_date IS NULL
                                    OR c.closed_date::date > %(stage_date)s))
                               AS after_complaint,
                           COUNT(*) FILTER (WHERE c.closed_date >= cs.rating_start
                                              AND c.rating_last_value >= %(good)s)
                               AS good_ratings,
                           COUNT(*) FILTER (WHERE c.closed_date >= cs.rating_start
                                              AND c.rating_last_value >= 1
                                              AND c.rating_last_value < %(ok)s)
                               AS bad_ratings,
                           COUNT(*) FILTER (WHERE c.step != 'cancelled'
                                              AND c.complaint_date >= cs.start)
                               * MIN(cs.complaint_cost)
                           + COALESCE(SUM(c.refund_amount) FILTER (
                               WHERE c.solution_type = 'refund'
                                 AND c.verdict = 'accepted'
                                 AND c.complaint_date >= cs.start
                                 AND NOT EXISTS (
                                     SELECT 1 FROM customer_complaint_credit_note_rel cn
                                       JOIN account_move m ON m.id = cn.move_id
                                      WHERE cn.complaint_id = c.id
                                        AND m.state = 'posted')), 0)
                               AS cost
                      FROM customer_complaint c
                      JOIN res_partner p ON p.id = c.partner_id
                      JOIN %(companies)s ON cs.company_id = c.company_id
                     WHERE c.partner_id = ANY(%(ids)s) AND c.active
                  GROUP BY c.partner_id, c.company_id
                ), refunds AS (
                    SELECT p.commercial_partner_id AS partner_id, m.company_id,
                           COUNT(*) AS refunds,
                           SUM(-m.amount_untaxed_signed) AS cost
                      FROM account_move m
                      JOIN res_partner p ON p.id = m.partner_id
                      JOIN %(companies)s ON cs.company_id = m.company_id
                     WHERE %(commercial_in_batch)s
                       AND m.move_type = 'out_refund' AND m.state = 'posted'
                       AND m.invoice_date >= cs.start
                  GROUP BY p.commercial_partner_id, m.company_id
                )
                SELECT COALESCE(c.partner_id, r.partner_id),
                       COALESCE(c.company_id, r.company_id),
                       COALESCE(c.open_count, 0),
                       COALESCE(c.costly, 0) + COALESCE(r.refunds, 0),
                       COALESCE(c.after_complaint, false),
                       COALESCE(c.good_ratings, 0),
                       COALESCE(c.bad_ratings, 0),
                       (COALESCE(c.cost, 0) + COALESCE(r.cost, 0))::float
                  FROM complaints c
             FULL JOIN refunds r
                    ON r.partner_id = c.partner_id AND r.company_id = c.company_id
                """,
                stage=stage,
                stage_date=stage_date,
                good=rules.RATING_GOOD,
                ok=rules.RATING_OK,
                companies=companies_sql or self._companies_sql(today),
                ids=self._ids_array(partner_ids),
                commercial_in_batch=self._ids_condition(
                    SQL("p.commercial_partner_id"), partner_ids
                ),
            )
        )
        return {(row[0], row[1]): tuple(row[2:]) for row in self.env.cr.fetchall()}

    # ------------------------------------------------------------
    # DECIDE AND WRITE
    # ------------------------------------------------------------

    @api.model
    def _date_noticed_history(self, batch_size=BATCH_SIZE):
        """Date the stages that versions before 18.0.1.2.0 recorded on the day
        their first pass noticed them (every customer "became" its stage on
        install day) as the engine dates a customer seen for the first time:
        from its orders before that day, with the stages before it rebuilt
        (``rules.stage_history``). Such a row is the customer's first, starts
        on the day it was written, and the orders (or the partner's creation,
        for a potential customer) are older. The rows after it and the
        partners' other values stay. Return the customers dated again."""
        cr = self.env.cr
        self.env.flush_all()
        settings = {
            company.id: self._engine_settings(company)
            for company in self._profile_companies()
        }
        uid = self.env.uid
        redated, last_id = 0, 0
        while True:
            cr.execute(
                SQL(
                    """SELECT id FROM res_partner
                        WHERE id > %s AND id = commercial_partner_id
                     ORDER BY id LIMIT %s""",
                    last_id,
                    batch_size,
                )
            )
            partner_ids = [row[0] for row in cr.fetchall()]
            if not partner_ids:
                return redated
            last_id = partner_ids[-1]
            cr.execute(
                SQL(
                    """
                    WITH first_rows AS (
                        SELECT DISTINCT ON (h.partner_id, h.company_id) h.*
                          FROM customer_lifecycle_history h
                         WHERE h.partner_id = ANY(%(ids)s)
                      ORDER BY h.partner_id, h.company_id, h.date_start, h.id
                    )
                    SELECT f.id, f.partner_id, f.stage, f.date_start, f.date_end,
                           f.company_id, f.user_id, f.playbook_scheduled,
                           p.create_date, o.orders, o.first_order, o.last_order,
                           o.mature_order
                      FROM first_rows f
                      JOIN res_partner p ON p.id = f.partner_id
                      JOIN %(companies)s ON cs.company_id = f.company_id
                 LEFT JOIN LATERAL (
                        SELECT count(*) AS orders,
                               MIN(so.date_order) AS first_order,
                               MAX(so.date_order) AS last_order,
                               (array_agg(so.date_order ORDER BY so.date_order))[
                                   cs.mature_n] AS mature_order
                          FROM sale_order so
                          JOIN res_partner sp ON sp.id = so.partner_id
                         WHERE sp.commercial_partner_id = f.partner_id
                           AND so.company_id = f.company_id
                           AND so.state = 'sale' AND so.date_order < f.date_start
                    ) o ON true
                     WHERE f.date_start - f.create_date::date IN (0, 1)
                       AND (o.orders > 0 OR p.create_date::date < f.date_start)
                    """,
                    ids=partner_ids,
                    companies=self._companies_sql(fields.Date.context_today(self)),
                )
            )
            inserts, redate, current = [], [], []
            for row in cr.dictfetchall():
                noticed, stage = row["date_start"], row["stage"]
                company_settings = settings.get(row["company_id"])
                if not company_settings:
                    continue
                orders = row["orders"] or 0
                if not orders and stage != "potential":
                    continue
                facts = rules.Facts(
                    order_count=orders,
                    first_order_date=orders and row["first_order"].date() or None,
                    last_order_date=orders and row["last_order"].date() or None,
                    window_revenue=0.0,
                    window_order_count=0,
                    months_with_orders=0,
                    signals=(False, False, False, False),
                    open_complaints=0,
                    costly_count=0,
                    dormant_after_complaint=False,
                    mature_order_date=(
                        row["mature_order"].date() if row["mature_order"] else None
                    ),
                    created_date=row["create_date"].date(),
                )
                threshold = rules.dormancy_threshold(
                    rules.average_order_interval(
                        facts.first_order_date, facts.last_order_date, orders
                    ),
                    company_settings.dormant_days,
                )
                start = rules.stage_start_date(
                    stage, facts, threshold, company_settings, noticed
                )
                rows = rules.stage_history(
                    stage, start, facts, threshold, company_settings
                )
                if rows == [(stage, noticed, None)]:
                    continue
                redate.append((row["id"], start))
                inserts += [
                    (
                        row["partner_id"],
                        row_stage,
                        row_start,
                        row_end,
                        row["company_id"],
                        row["user_id"],
                        bool(row["playbook_scheduled"]),
                    )
                    for row_stage, row_start, row_end in rows[:-1]
                ]
                if not row["date_end"]:
                    current.append(
                        (row["partner_id"], row["company_id"], stage, noticed, start)
                    )
            if not redate:
                continue
            redated += len(redate)
            # the noticed row keeps its id (links, playbook claim), dated again;
            # the stages before it are added
            cr.execute(
                SQL(
                    """UPDATE customer_lifecycle_history h
                          SET date_start = v.date_start, write_uid = %(uid)s,
                              write_date = now() AT TIME ZONE 'UTC'
                         FROM %(redate)s WHERE h.id = v.id""",
                    uid=uid,
                    redate=self._rows_sql(redate, {"id": "int4", "date_start": "date"}),
                )
            )
            if inserts:
                cr.execute(
                    SQL(
                        """INSERT INTO customer_lifecycle_history
                                  (partner_id, stage, date_start, date_end,
                                   company_id, user_id, playbook_scheduled,
                                   create_uid, create_date, write_uid, write_date)
                           SELECT v.partner_id, v.stage, v.date_start, v.date_end,
                                  v.company_id, v.user_id, v.playbook_scheduled,
                                  %(uid)s, now() AT TIME ZONE 'UTC',
                                  %(uid)s, now() AT TIME ZONE 'UTC'
                             FROM %(rows)s""",
                        uid=uid,
                        rows=self._rows_sql(
                            inserts,
                            {
                                "partner_id": "int4",
                                "stage": "varchar",
                                "date_start": "date",
                                "date_end": "date",
                                "company_id": "int4",
                                "user_id": "int4",
                                "playbook_scheduled": "bool",
                            },
                        ),
                    )
                )
            if current:
                cr.execute(
                    SQL(
                        """UPDATE res_partner p
                              SET lifecycle_stage_date = p.lifecycle_stage_date
                                  || jsonb_build_object(v.company_id::text,
                                                        v.date_start)
                             FROM %(rows)s
                            WHERE p.id = v.id
                              AND %(stage)s = v.stage AND %(stage_date)s = v.noticed""",
                        rows=self._rows_sql(
                            current,
                            {
                                "id": "int4",
                                "company_id": "int4",
                                "stage": "varchar",
                                "noticed": "date",
                                "date_start": "date",
                            },
                        ),
                        stage=self.env["res.partner"]._company_value_sql(
                            SQL("p"), "lifecycle_stage", SQL("v.company_id")
                        ),
                        stage_date=self.env["res.partner"]._company_value_sql(
                            SQL("p"), "lifecycle_stage_date", SQL("v.company_id")
                        ),
                    )
                )
            self.env["res.partner"].invalidate_model(["lifecycle_stage_date"])
            self.env["customer.lifecycle.history"].invalidate_model()

    @api.model
    def _engine_settings(self, company=None):
        get = (company or self.env.company)._relationship_setting
        return rules.Settings(
            mature_order_count=get("mature_order_count"),
            loyal_score=get("loyal_score"),
            dormant_days=get("dormant_days"),
            dormant_permanent_factor=get("dormant_permanent_factor"),
            dormant_after_complaint_days=get("dormant_after_complaint_days"),
            steady_months=get("steady_months"),
            steady_window_months=get("steady_window_months"),
            burden_complaint_count=get("burden_complaint_count"),
        )

    @api.model
    def _engine_tiers(self, company=None):
        """The Tier tuples a company classifies with: its own tiers and the
        shared ones, in sequence order."""
        company = company or self.env.company
        tiers = (
            self.env["customer.tier"]
            # sudo: the pass classifies with the company's tiers, whoever runs it
            .sudo()
            .search([("company_id", "in", [False, company.id])])
        )
        return [
            rules.Tier(t.id, t.min_revenue, t.min_order_count, t.is_high_value)
            for t in tiers
        ]

    @staticmethod
    def _facts(row, complaints):
        """The rules' Facts of one partner from its row of ``_gather_facts``
        and its entry of ``_gather_complaint_facts``."""
        open_complaints, costly, after_complaint, good, bad, cost = complaints.get(
            (row["id"], row["company_id"]), (0, 0, False, 0, 0, 0.0)
        )
        return rules.Facts(
            order_count=row["orders"] or 0,
            first_order_date=row["first_order"].date() if row["first_order"] else None,
            last_order_date=row["last_order"].date() if row["last_order"] else None,
            window_revenue=float(row["revenue"] or 0.0),
            window_order_count=row["window_orders"] or 0,
            months_with_orders=row["steady_months"] or 0,
            signals=(
                row["signal_gives_suggestions"],
                row["signal_follows_new_products"],
                row["signal_refers_others"],
                row["signal_rejects_competitors"],
            ),
            open_complaints=open_complaints,
            costly_count=costly,
            dormant_after_complaint=after_complaint,
            mature_order_date=(
                row["mature_order"].date() if row["mature_order"] else None
            ),
            created_date=row["create_date"].date() if row["create_date"] else None,
            good_ratings=good,
            bad_ratings=bad,
            window_cost=cost,
        )

    def _refresh_batch(self, batch_size):
        """Process the next batch of this pass; return how many partners."""
        self.ensure_one()
        # The facts are read with SQL: write pending ORM changes first.
        self.env.flush_all()
        partner_ids = self._next_batch(self.last_partner_id, batch_size)
        if not partner_ids:
            self.write(
                {"done": True, "state": "done", "date_done": fields.Datetime.now()}
            )
            return 0
        written = self._refresh_partners(
            partner_ids,
            self.date,
            # sudo: every company's cut-offs, the engine's bookkeeping
            self.sudo().pareto_cutoffs,
            log_changes=not self.first_pass,
        )
        vals = {
            "last_partner_id": partner_ids[-1],
            "processed": self.processed + len(partner_ids),
            "written": self.written + written,
            "state": "running",
            "failure_count": 0,
        }
        if len(partner_ids) < batch_size:
            vals.update(done=True, state="done", date_done=fields.Datetime.now())
        self.write(vals)
        return len(partner_ids)

    @api.model
    def _refresh_partners(self, partner_ids, today, cutoffs, log_changes=True):
        """Gather, decide and write the profiles of ``partner_ids`` (sorted
        commercial partner ids) on ``today``, in every company of their
        profiles: the one path of the nightly batches and of the live
        updates. ``cutoffs``: {company id (str): Pareto cut-offs} of the
        companies in Pareto mode. Return how many profiles changed."""
        companies = {company.id: company for company in self._profile_companies()}
        settings = {cid: self._engine_settings(c) for cid, c in companies.items()}
        tiers = {cid: self._engine_tiers(c) for cid, c in companies.items()}
        months = {
            cid: c._relationship_setting("revenue_window_months")
            for cid, c in companies.items()
        }
        cutoffs = self._company_cutoffs(cutoffs)
        companies_sql = self._companies_sql(today)
        complaints = self._gather_complaint_facts(partner_ids, today, companies_sql)
        changes, stage_changes, tier_changes, woke_up = [], [], [], []
        found, replans, salespeople = set(), set(), {}
        for row in self._gather_facts(partner_ids, today, companies_sql):
            company_id = row["company_id"]
            company_settings = settings[company_id]
            company_tiers = tiers[company_id]
            company_cutoffs = cutoffs.get(company_id)
            facts = self._facts(row, complaints)
            new = rules.decide_profile(
                row, facts, company_settings, company_tiers, company_cutoffs, today
            )
            if not rules.profile_changed(row, new):
                continue
            key = (row["id"], company_id)
            salespeople[key] = row["user_id"]
            changes.append((key, row["customer_tier_id"], new))
            if (
                row["last_followup_date"]
                and new["customer_tier_id"] != row["customer_tier_id"]
            ):
                replans.add(key)
            old_stage, stage = row["lifecycle_stage"], new["lifecycle_stage"]
            if stage != old_stage:
                start = new["lifecycle_stage_date"]
                if old_stage:
                    rows = [(stage, start, None)]
                else:
                    threshold = rules.dormancy_threshold(
                        new["average_order_interval"], company_settings.dormant_days
                    )
                    rows = rules.stage_history(
                        stage, start, facts, threshold, company_settings
                    )
                stage_changes.append((key, rows))
                if not old_stage and row["profiled"]:
                    # a customer another company keeps a profile of, new to
                    # this one (a company added, an upgrade from a version
                    # before profiles per company): its stage is found, not
                    # entered
                    found.add(key)
                if old_stage in rules.DORMANT_STAGES and stage not in (
                    rules.DORMANT_STAGES
                ):
                    woke_up.append(key)
            tier_id = new["customer_tier_id"]
            if tier_id != row["customer_tier_id"] and not row["tier_locked"]:
                reason = {
                    **rules.tier_reason(tier_id, facts, company_tiers, company_cutoffs),
                    "months": months[company_id],
                }
                tier_changes.append((key, row["customer_tier_id"], tier_id, reason))
        self._write_changes(changes, replans)
        self._write_history(stage_changes, salespeople)
        if log_changes:
            self._schedule_playbooks(
                [change for change in stage_changes if change[0] not in found],
                woke_up,
                today,
            )
        self._write_tier_history(tier_changes, today, log_changes, salespeople)
        for company_id, company in companies.items():
            company_changes = [
                (partner_id, *change)
                for (partner_id, cid), *change in tier_changes
                if cid == company_id
            ]
            if company_changes:
                self.env["customer.tier"]._apply_tier_pricelists(
                    company_changes, company
                )
        self._after_changes(
            sorted({key[0] for key, *_change in tier_changes}),
            sorted({key[0] for key in woke_up}),
        )
        return len(changes)

    @api.model
    def _company_cutoffs(self, cutoffs):
        """{company id: Pareto cut-offs} from the pass's record ({company id
        (str): cut-offs}; a list, from a pass of a version before 18.0.1.4.0:
        the main company's)."""
        if not cutoffs:
            return {}
        if isinstance(cutoffs, list):
            return {self.env.company.id: cutoffs}
        return {int(company_id): value for company_id, value in cutoffs.items()}

    @api.model
    def _rows_sql(self, rows, columns):
        """The rows ``v`` of a set-based write, from Python: ``rows`` a list
        of tuples, ``columns`` {name: SQL type} in the same order.

        The rows travel as ONE JSON parameter: an array per column would
        reach PostgreSQL as thousands of array constants to parse and plan on
        each batch, and a VALUES row per partner costs more Python time than
        the write itself.
        """
        return SQL(
            "(SELECT %s FROM jsonb_array_elements(%s::jsonb) AS e) AS v",
            SQL(", ").join(
                SQL(
                    "(e->%s)::jsonb AS %s"
                    if sql_type == "jsonb"
                    else "(e->>%s)::%s AS %s",
                    *((index,) if sql_type == "jsonb" else (index, SQL(sql_type))),
                    SQL.identifier(name),
                )
                for index, (name, sql_type) in enumerate(columns.items())
            ),
            json.dumps(rows, default=str),
        )

    @api.model
    def _write_changes(self, changes, replans=None):
        """One UPDATE of the changed partners of the batch (only those): each
        company-dependent column gets the changed companies' values merged
        into its jsonb, and the ORM cache of the fields it wrote invalidated.

        ``changes``: [((partner id, company id), previous tier id, values)];
        ``replans``: the (partner id, company id) whose follow-ups planned
        from the cadence follow their new tier (by default, every new tier).
        """
        if not changes:
            return
        columns = list(ENGINE_COLUMNS)
        rows = [
            (partner_id, profile_company_id, *(values[c] for c in columns))
            for (partner_id, profile_company_id), _previous, values in changes
        ]
        # The follow-ups planned from the cadence follow the company's new tier.
        if replans is None:
            replans = {
                key
                for key, previous_tier, values in changes
                if previous_tier != values["customer_tier_id"]
            }
        replanned = defaultdict(list)
        for partner_id, profile_company_id in sorted(replans):
            replanned[profile_company_id].append(partner_id)
        partner_ids = {row[0] for row in rows}
        # The rows travel flat (one per partner and company); PostgreSQL
        # makes each partner's {company: value} of each column (grouping only
        # when a partner changed in several companies).
        grouped = len(partner_ids) < len(rows)
        merged = SQL(
            "(SELECT v.id, %(values)s FROM %(rows)s %(group)s) AS v",
            values=SQL(", ").join(
                SQL(
                    "%s(v.company_id::text, v.%s) AS %s",
                    SQL("jsonb_object_agg" if grouped else "jsonb_build_object"),
                    SQL.identifier(c),
                    SQL.identifier(c),
                )
                for c in columns
            ),
            rows=self._rows_sql(
                rows,
                {
                    "id": "int4",
                    "company_id": "int4",
                    **ENGINE_COLUMNS,
                },
            ),
            group=SQL("GROUP BY v.id" if grouped else ""),
        )
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner p
                      SET %(assignments)s,
                          write_date = now() AT TIME ZONE 'UTC', write_uid = %(uid)s
                     FROM %(rows)s
                    WHERE p.id = v.id""",
                assignments=SQL(", ").join(
                    SQL(
                        "%s = COALESCE(p.%s, '{}'::jsonb) || v.%s",
                        SQL.identifier(c),
                        SQL.identifier(c),
                        SQL.identifier(c),
                    )
                    for c in columns
                ),
                uid=self.env.uid,
                rows=merged,
            )
        )
        written = self.env["res.partner"].browse(partner_ids)
        written.invalidate_recordset([*columns, "write_date", "write_uid"])
        Partner = self.env["res.partner"]
        for profile_company_id, replanned_ids in replanned.items():
            Partner.with_company(profile_company_id)._replan_followups(
                SQL("p.id = ANY(%s)", replanned_ids)
            )

    @api.model
    def _write_history(self, stage_changes, salespeople):
        """Close the current stage row of the company and open the new ones
        ("became X on"): ``stage_changes`` is [((partner id, company id),
        [(stage, date_start, date_end)])], ``salespeople`` {(partner id,
        company id): salesperson id}."""
        if not stage_changes:
            return
        self.env.cr.execute(
            SQL(
                """UPDATE customer_lifecycle_history h
                      SET date_end = v.date_end
                     FROM %(ends)s
                    WHERE h.partner_id = v.id AND h.company_id = v.company_id
                      AND h.date_end IS NULL;
                   INSERT INTO customer_lifecycle_history
                          (partner_id, stage, date_start, date_end, company_id,
                           user_id, create_uid, create_date, write_uid, write_date)
                   SELECT v.id, v.stage, v.date_start, v.date_end, v.company_id,
                          v.user_id, %(uid)s, now() AT TIME ZONE 'UTC',
                          %(uid)s, now() AT TIME ZONE 'UTC'
                     FROM %(rows)s""",
                ends=self._rows_sql(
                    [(*key, rows[0][1]) for key, rows in stage_changes],
                    {"id": "int4", "company_id": "int4", "date_end": "date"},
                ),
                rows=self._rows_sql(
                    [
                        (*key, salespeople[key], *row)
                        for key, rows in stage_changes
                        for row in rows
                    ],
                    {
                        "id": "int4",
                        "company_id": "int4",
                        "user_id": "int4",
                        "stage": "varchar",
                        "date_start": "date",
                        "date_end": "date",
                    },
                ),
                uid=self.env.uid,
            )
        )
        self.env["customer.lifecycle.history"].invalidate_model()

    @api.model
    def _schedule_playbooks(self, stage_changes, woke_up_keys, today):
        """The lifecycle playbooks of the stages the customers just entered,
        each company's for its profiles (not the first classification of a
        database: nothing was entered)."""
        woke_up = set(woke_up_keys)
        by_company = {}
        for key, rows in stage_changes:
            if rows[-1][0] == "potential":
                continue
            entry = BACK_FROM_DORMANT if key in woke_up else rows[-1][0]
            by_company.setdefault(key[1], {})[key[0]] = entry
        Playbook = self.env["customer.lifecycle.playbook"]
        # every company, entries or not: which stages have playbooks is
        # cached per company, so a batch costs the same queries either way
        for company in self._profile_companies():
            Playbook.with_company(company)._schedule_entries(
                by_company.get(company.id, {}), today
            )

    @api.model
    def _write_tier_history(self, tier_changes, today, log_changes, salespeople):
        """Keep each automatic tier change, dated and with its reason, and say
        it in the customer's chatter (not for the first classification).

        ``tier_changes``: [((partner id, company id), previous tier id, tier
        id, reason)]; ``salespeople``: as for ``_write_history``.
        """
        if not tier_changes:
            return
        self.env.cr.execute(
            SQL(
                """UPDATE customer_tier_history h SET date_end = %(today)s
                     FROM %(ids)s
                    WHERE h.partner_id = v.id AND h.company_id = v.company_id
                      AND h.date_end IS NULL;
                   INSERT INTO customer_tier_history
                          (partner_id, previous_tier_id, tier_id, date_start,
                           reason_data, company_id, user_id,
                           create_uid, create_date, write_uid, write_date)
                   SELECT v.id, v.previous, v.tier, %(today)s, v.reason,
                          v.company_id, v.user_id, %(uid)s, now() AT TIME ZONE 'UTC',
                          %(uid)s, now() AT TIME ZONE 'UTC'
                     FROM %(rows)s""",
                today=today,
                ids=self._rows_sql(
                    [change[0] for change in tier_changes],
                    {"id": "int4", "company_id": "int4"},
                ),
                rows=self._rows_sql(
                    [
                        (*key, salespeople[key], *change)
                        for key, *change in tier_changes
                    ],
                    {
                        "id": "int4",
                        "company_id": "int4",
                        "user_id": "int4",
                        "previous": "int4",
                        "tier": "int4",
                        "reason": "jsonb",
                    },
                ),
                uid=self.env.uid,
            )
        )
        History = self.env["customer.tier.history"]
        History.invalidate_model()
        if not log_changes:
            return
        # The chatter keeps one text: in the company's language.
        History = History.with_context(lang=self.env.company.partner_id.lang)
        tiers = History._reason_tiers([change[3] for change in tier_changes])
        tiers.update(
            (tier.id, tier)
            for tier in History.env["customer.tier"]
            .with_context(active_test=False)
            .browse({c[1] for c in tier_changes if c[1]})
        )
        none = History.env["customer.tier"]
        # The chatter is read by the users of every company: a shared
        # customer's tier in one company of several is kept in that company's
        # tier history only (record rules), not said in the chatter.
        companies = self._profile_companies()
        if len(companies) > 1:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM res_partner WHERE id = ANY(%s) "
                    "AND company_id IS NOT NULL",
                    self._ids_array({change[0][0] for change in tier_changes}),
                )
            )
            said = {row[0] for row in self.env.cr.fetchall()}
        else:
            said = {change[0][0] for change in tier_changes}
        bodies = {}
        for (partner_id, company_id), previous, tier, reason in tier_changes:
            if partner_id not in said:
                continue
            bodies[partner_id] = Markup("%s<br/>%s") % (
                History._change_sentence(
                    tiers.get(previous, none), tiers.get(tier, none)
                ),
                History._reason_sentence(
                    reason, tiers, companies.browse(company_id).currency_id
                ),
            )
        if not bodies:
            return
        # One note per changed customer in one statement: the ORM's batch log
        # still costs queries per message, and a pass may change thousands.
        author = self.env.ref("base.partner_root", raise_if_not_found=False)
        self.env.cr.execute(
            SQL(
                """INSERT INTO mail_message
                          (model, res_id, body, message_type, subtype_id,
                           author_id, is_internal, date,
                           create_uid, create_date, write_uid, write_date)
                   SELECT 'res.partner', v.id, v.body, 'notification', %(subtype)s,
                          %(author)s, true, now() AT TIME ZONE 'UTC',
                          %(uid)s, now() AT TIME ZONE 'UTC',
                          %(uid)s, now() AT TIME ZONE 'UTC'
                     FROM %(rows)s""",
                subtype=self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                author=author.id if author else None,
                uid=self.env.uid,
                rows=self._rows_sql(
                    [(partner_id, str(body)) for partner_id, body in bodies.items()],
                    {"id": "int4", "body": "text"},
                ),
            )
        )
        self.env["mail.message"].invalidate_model()

    @api.model
    def _after_changes(self, tier_changed_ids, woke_up_ids):
        """What follows from the profiles the engine wrote by SQL: what depends
        on the tier is recomputed (complaint SLA deadlines), and a customer
        who ordered again after a dormancy has its win-back reminder closed."""
        if tier_changed_ids:
            # sudo: the tier moves the SLA deadline of every open complaint
            Complaint = self.env["customer.complaint"].sudo()
            complaints = Complaint.search(
                [
                    ("partner_id", "in", tier_changed_ids),
                    ("step", "not in", CLOSED_STEPS),
                ]
            )
            if complaints:
                self.env.add_to_compute(Complaint._fields["sla_deadline"], complaints)
                complaints.modified(["sla_deadline"])
                complaints._schedule_sla_checks()
        winback = self.env.ref(
            "customer_relationship.mail_activity_type_winback",
            raise_if_not_found=False,
        )
        if woke_up_ids and winback:
            # sudo: the reminders belong to the salespeople, the engine closes them
            activities = (
                self.env["mail.activity"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", "res.partner"),
                        ("res_id", "in", woke_up_ids),
                        ("activity_type_id", "=", winback.id),
                    ]
                )
            )
            lang = self.env.company.partner_id.lang
            activities.with_context(lang=lang).action_feedback(
                feedback=self.with_context(lang=lang).env._(
                    "The customer ordered again."
                )
            )
