# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..engine import rules

_logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
ENGINE_COLUMNS = rules.ENGINE_COLUMNS


class CustomerProfileRefresh(models.Model):
    """A pass of the daily profile refresh (SPEC §2), and the engine that runs it.

    A pass walks the commercial partners by id (keyset batches of at most
    BATCH_SIZE), gathers the facts of a batch in one aggregate query, lets the
    plain rules of ``engine/rules.py`` decide, and writes the partners whose
    values changed in one statement, with their lifecycle history. The pass
    record (date, last partner id, Pareto cut-offs) is committed with each batch,
    so a pass interrupted by a crash resumes where it stopped, and a pass that
    finished today is not run again.
    """

    _name = "customer.profile.refresh"
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
        [("threshold", "Thresholds"), ("pareto", "Pareto")], readonly=True
    )
    pareto_cutoffs = fields.Json(readonly=True)
    date_done = fields.Datetime(string="Finished On", readonly=True)

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_refresh_profiles(self, batch_size=BATCH_SIZE):
        """Refresh one batch of customer profiles and report the progress.

        The cron runner commits after each call and calls again while partners
        remain; a re-trigger wakes the cron workers when the runner's own loop
        ends before the pass does.
        """
        refresh = self._current_pass()
        if refresh.done:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return
        done = refresh._refresh_batch(batch_size)
        remaining = 0 if refresh.done else max(refresh.total - refresh.processed, 0)
        if refresh.done:
            _logger.info(
                "Customer profile refresh of %s done: %s partners, %s updated",
                refresh.date,
                refresh.processed,
                refresh.written,
            )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        if remaining:
            self.env.ref("customer_relationship.ir_cron_refresh_profiles")._trigger()

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
        """Today's pass, started when there is none yet."""
        today = self._today()
        refresh = self.search([("date", "=", today)], limit=1)
        return refresh or self._start_pass(today)

    @api.model
    def _start_pass(self, today):
        self.env.flush_all()
        tier_mode = self.env.company._relationship_setting("tier_mode")
        cutoffs = self._pareto_cutoffs(today) if tier_mode == "pareto" else None
        refresh = self.create(
            {
                "date": today,
                "total": self._count_partners(),
                "tier_mode": tier_mode,
                "pareto_cutoffs": cutoffs,
            }
        )
        _logger.info(
            "Customer profile refresh of %s starts: %s partners",
            refresh.date,
            refresh.total,
        )
        return refresh

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
            ids,
        )

    @api.model
    def _count_partners(self):
        self.env.cr.execute(
            SQL("SELECT count(*) FROM res_partner p WHERE %s", self._partner_scope())
        )
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------
    # FACTS
    # ------------------------------------------------------------

    @api.model
    def _window_starts(self, today):
        get = self.env.company._relationship_setting
        revenue_months = get("revenue_window_months")
        steady_months = get("steady_window_months")
        return (
            datetime.combine(today - relativedelta(months=revenue_months), time.min),
            datetime.combine(today - relativedelta(months=steady_months), time.min),
        )

    @api.model
    def _currency_factors(self):
        """SQL VALUES (company id, factor) turning an amount in the company's
        currency into the main company's currency, at today's rate."""
        main = self.env.company
        rows = []
        # sudo: the rate of every company, whatever companies the user may see
        for company in self.env["res.company"].sudo().search([]):
            factor = 1.0
            if company.currency_id != main.currency_id:
                factor = company.currency_id._get_conversion_rate(
                    company.currency_id, main.currency_id, main, self._today()
                )
            rows.append(SQL("(%s, %s::numeric)", company.id, factor))
        return SQL("(VALUES %s)", SQL(", ").join(rows))

    @api.model
    def _revenue_sql(self):
        """Untaxed amount of an order in the main company's currency.

        In numeric, not float: sums are then exact, whatever order a query plan
        adds the orders in. A Pareto cut-off is the revenue of the customer at
        the boundary, summed by the pass's first query, and each batch sums that
        customer's revenue again: in float the two could differ in the last
        bit (parallel plans add in any order), and that customer's tier would
        change from one pass to the next with nothing changed.
        """
        return SQL(
            "so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1) * fx.factor"
        )

    @api.model
    def _pareto_cutoffs(self, today):
        """Revenue cut-offs of the Pareto tiers over all customers, in one
        query (same rule as ``rules.pareto_cutoffs``)."""
        get = self.env.company._relationship_setting
        shares = [get("pareto_share_a"), get("pareto_share_b")]
        window_start, _steady_start = self._window_starts(today)
        limits = []
        total_share = 0
        for share in shares:
            total_share += share
            limits.append(
                SQL(
                    "MIN(revenue) FILTER (WHERE before < total * %s / 100.0)",
                    total_share,
                )
            )
        self.env.cr.execute(
            SQL(
                """
                WITH revenue AS (
                    SELECT p.commercial_partner_id AS partner_id,
                           SUM(%(revenue)s) AS revenue
                      FROM sale_order so
                      JOIN res_partner p ON p.id = so.partner_id
                      JOIN %(fx)s AS fx(company_id, factor)
                        ON fx.company_id = so.company_id
                     WHERE so.state = 'sale' AND so.date_order >= %(start)s
                  GROUP BY p.commercial_partner_id
                    HAVING SUM(%(revenue)s) > 0
                ), ranked AS (
                    SELECT revenue,
                           SUM(revenue) OVER (ORDER BY revenue DESC
                                              ROWS UNBOUNDED PRECEDING) - revenue
                               AS before,
                           SUM(revenue) OVER () AS total
                      FROM revenue
                )
                SELECT %(limits)s FROM ranked
                """,
                revenue=self._revenue_sql(),
                fx=self._currency_factors(),
                start=window_start,
                limits=SQL(", ").join(limits),
            )
        )
        return [float(c) if c is not None else None for c in self.env.cr.fetchone()]

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

    @api.model
    def _gather_facts(self, partner_ids, today):
        """Current profile and order facts of the partners, in one query."""
        window_start, steady_start = self._window_starts(today)
        self.env.cr.execute(
            SQL(
                """
                WITH orders AS (
                    SELECT p.commercial_partner_id AS partner_id,
                           MIN(so.date_order) AS first_order,
                           MAX(so.date_order) AS last_order,
                           COUNT(*) AS order_count,
                           COUNT(*) FILTER (WHERE so.date_order >= %(start)s)
                               AS window_orders,
                           COALESCE(SUM(%(revenue)s)
                               FILTER (WHERE so.date_order >= %(start)s), 0)
                               AS window_revenue,
                           COUNT(DISTINCT date_trunc('month', so.date_order))
                               FILTER (WHERE so.date_order >= %(steady_start)s)
                               AS steady_months
                      FROM res_partner p
                      JOIN sale_order so
                        ON so.partner_id = p.id AND so.state = 'sale'
                      JOIN %(fx)s AS fx(company_id, factor)
                        ON fx.company_id = so.company_id
                     WHERE %(commercial_in_batch)s
                  GROUP BY p.commercial_partner_id
                )
                SELECT p.id, p.customer_tier_id, p.tier_locked, p.lifecycle_stage,
                       p.lifecycle_stage_date, p.value_segment, p.loyalty_score,
                       p.loyalty_quadrant, p.loyalty_strength, p.first_order_date,
                       p.last_order_date, p.order_count, p.window_revenue,
                       p.average_order_interval, p.expected_reorder_date,
                       p.signal_gives_suggestions, p.signal_follows_new_products,
                       p.signal_refers_others, p.signal_rejects_competitors,
                       o.first_order, o.last_order, o.order_count AS orders,
                       o.window_orders, o.window_revenue AS revenue, o.steady_months
                  FROM res_partner p
             LEFT JOIN orders o ON o.partner_id = p.id
                 WHERE %(in_batch)s
                """,
                start=window_start,
                steady_start=steady_start,
                revenue=self._revenue_sql(),
                fx=self._currency_factors(),
                commercial_in_batch=self._ids_condition(
                    SQL("p.commercial_partner_id"), partner_ids
                ),
                in_batch=self._ids_condition(SQL("p.id"), partner_ids),
            )
        )
        return self.env.cr.dictfetchall()

    @api.model
    def _gather_complaint_facts(self, partner_ids, today):
        """Complaint facts per partner, in one query: {id: (open complaints,
        costly count, dormant after an unresolved complaint)}.

        The costly count (value segment "burden") adds the customer credit
        notes posted in the revenue window and the complaints received in it,
        cancelled ones aside: only those judged unreasonable with the setting
        ``burden_counts`` "costly" (default: a demanding customer who complains
        with reason is no burden), every one with "every". A temporary
        dormancy "began after an unresolved complaint" when a complaint
        received before it was still open when it began. Partners without
        complaint nor credit note are left out.
        """
        window_start, _steady_start = self._window_starts(today)
        self.env.cr.execute(
            SQL(
                """
                WITH complaints AS (
                    SELECT c.partner_id,
                           COUNT(*) FILTER (WHERE c.step NOT IN ('done', 'cancelled'))
                               AS open_count,
                           COUNT(*) FILTER (WHERE c.step != 'cancelled'
                                              AND c.complaint_date >= %(start)s
                                              AND %(counted)s)
                               AS costly,
                           BOOL_OR(p.lifecycle_stage = 'dormant_temporary'
                               AND c.step != 'cancelled'
                               AND c.complaint_date::date <= p.lifecycle_stage_date
                               AND (c.closed_date IS NULL
                                    OR c.closed_date::date > p.lifecycle_stage_date))
                               AS after_complaint
                      FROM customer_complaint c
                      JOIN res_partner p ON p.id = c.partner_id
                     WHERE c.partner_id = ANY(%(ids)s) AND c.active
                  GROUP BY c.partner_id
                ), refunds AS (
                    SELECT p.commercial_partner_id AS partner_id, COUNT(*) AS refunds
                      FROM account_move m
                      JOIN res_partner p ON p.id = m.partner_id
                     WHERE %(commercial_in_batch)s
                       AND m.move_type = 'out_refund' AND m.state = 'posted'
                       AND m.invoice_date >= %(start)s
                  GROUP BY p.commercial_partner_id
                )
                SELECT COALESCE(c.partner_id, r.partner_id),
                       COALESCE(c.open_count, 0),
                       COALESCE(c.costly, 0) + COALESCE(r.refunds, 0),
                       COALESCE(c.after_complaint, false)
                  FROM complaints c
             FULL JOIN refunds r ON r.partner_id = c.partner_id
                """,
                start=window_start,
                counted=(
                    SQL("TRUE")
                    if self.env.company._relationship_setting("burden_counts")
                    == "every"
                    else SQL("c.customer_reasonable = 'no'")
                ),
                ids=partner_ids,
                commercial_in_batch=self._ids_condition(
                    SQL("p.commercial_partner_id"), partner_ids
                ),
            )
        )
        return {row[0]: tuple(row[1:]) for row in self.env.cr.fetchall()}

    # ------------------------------------------------------------
    # DECIDE AND WRITE
    # ------------------------------------------------------------

    @api.model
    def _engine_settings(self):
        get = self.env.company._relationship_setting
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
    def _engine_tiers(self):
        tiers = (
            self.env["customer.tier"]
            # sudo: the pass classifies with the company's tiers, whoever runs it
            .sudo()
            .search([("company_id", "in", [False, self.env.company.id])])
        )
        return [
            rules.Tier(t.id, t.min_revenue, t.min_order_count, t.is_high_value)
            for t in tiers
        ]

    @staticmethod
    def _facts(row, complaints):
        """The rules' Facts of one partner from its row of ``_gather_facts``
        and its entry of ``_gather_complaint_facts``."""
        open_complaints, costly, after_complaint = complaints.get(
            row["id"], (0, 0, False)
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
        )

    def _refresh_batch(self, batch_size):
        """Process the next batch of this pass; return how many partners."""
        self.ensure_one()
        # The facts are read with SQL: write pending ORM changes first.
        self.env.flush_all()
        partner_ids = self._next_batch(self.last_partner_id, batch_size)
        if not partner_ids:
            self.write({"done": True, "date_done": fields.Datetime.now()})
            return 0
        today = self.date
        settings = self._engine_settings()
        tiers = self._engine_tiers()
        complaints = self._gather_complaint_facts(partner_ids, today)
        # None: threshold mode.
        cutoffs = self.pareto_cutoffs if self.tier_mode == "pareto" else None
        changes = []
        stage_changes = []
        for row in self._gather_facts(partner_ids, today):
            facts = self._facts(row, complaints)
            new = rules.decide_profile(row, facts, settings, tiers, cutoffs, today)
            if rules.profile_changed(row, new):
                changes.append((row["id"], new))
                if new["lifecycle_stage"] != row["lifecycle_stage"]:
                    stage_changes.append(row["id"])
        self._write_changes(changes)
        self._write_history(stage_changes, today)
        vals = {
            "last_partner_id": partner_ids[-1],
            "processed": self.processed + len(partner_ids),
            "written": self.written + len(changes),
        }
        if len(partner_ids) < batch_size:
            vals.update(done=True, date_done=fields.Datetime.now())
        self.write(vals)
        return len(partner_ids)

    @api.model
    def _write_changes(self, changes):
        """One UPDATE for every changed partner of the batch."""
        if not changes:
            return
        columns = list(ENGINE_COLUMNS)
        ids = [partner_id for partner_id, _values in changes]
        # One typed array per column: composing a VALUES row per partner costs
        # more Python time than the UPDATE itself on a batch of 5,000.
        arrays = [SQL("%s::int4[]", ids)] + [
            SQL(
                "%s::%s[]",
                [values[c] for _partner_id, values in changes],
                SQL(ENGINE_COLUMNS[c]),
            )
            for c in columns
        ]
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner p
                      SET %(assignments)s, write_date = now() AT TIME ZONE 'UTC',
                          write_uid = %(uid)s
                     FROM unnest(%(arrays)s) AS v(id, %(columns)s)
                    WHERE p.id = v.id AND %(in_batch)s""",
                assignments=SQL(", ").join(
                    SQL("%s = v.%s", SQL.identifier(c), SQL.identifier(c))
                    for c in columns
                ),
                uid=self.env.uid,
                arrays=SQL(", ").join(arrays),
                columns=SQL(", ").join(SQL.identifier(c) for c in columns),
                in_batch=self._ids_condition(SQL("p.id"), ids),
            )
        )
        self.env["res.partner"].invalidate_model(columns + ["write_date", "write_uid"])

    @api.model
    def _write_history(self, partner_ids, today):
        """Close the current stage row and open the new one ("became X on")."""
        if not partner_ids:
            return
        self.env.cr.execute(
            SQL(
                """UPDATE customer_lifecycle_history
                      SET date_end = %(today)s
                    WHERE %(history_in_batch)s AND date_end IS NULL;
                   INSERT INTO customer_lifecycle_history
                          (partner_id, stage, date_start, company_id, user_id,
                           create_uid, create_date, write_uid, write_date)
                   SELECT p.id, p.lifecycle_stage, %(today)s, p.company_id, p.user_id,
                          %(uid)s, now() AT TIME ZONE 'UTC',
                          %(uid)s, now() AT TIME ZONE 'UTC'
                     FROM res_partner p
                    WHERE %(in_batch)s""",
                today=today,
                uid=self.env.uid,
                history_in_batch=self._ids_condition(SQL("partner_id"), partner_ids),
                in_batch=self._ids_condition(SQL("p.id"), partner_ids),
            )
        )
        self.env["customer.lifecycle.history"].invalidate_model()
