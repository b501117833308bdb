#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""On-demand benchmark of the daily customer profile refresh (not a test).

Builds (or reuses) a database with N commercial partners and M confirmed sale
orders generated in SQL, times the set-based baseline (one SQL statement
computing the same facts and writing the same columns and history rows, on
the same empty profiles, rolled back), runs a full pass of the refresh through
its cron entry point, then a second pass with nothing changed, and prints for
each pass:
partners, batches, partners per second, queries per batch, batch wall time
p50/p95, peak memory and rows written; then the EXPLAIN (ANALYZE, BUFFERS) of
the batch aggregate query.

Run it with the virtualenv's python and ODOO_SRC set, or through
``scripts/bench.sh`` / ``make bench ARGS="--partners 100000 --orders 1000000"``.

Measures, per call of ``_cron_refresh_profiles`` (one batch), as the cron
runner makes it (a progress record in the context, flush, commit):

* wall time of the call, its flush and the commit;
* queries: the delta of ``cr.sql_log_count`` over the call and its flush;
* memory: the process's peak resident set size (``ru_maxrss``, lifetime peak
  of the whole Python process, Odoo's registry included) and its current RSS.
"""

import argparse
import contextlib
import importlib.util
import json
import os
import re
import resource
import subprocess
import sys
import time
from unittest.mock import patch

import psycopg2

ADDON = "customer_relationship"
ADDON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_engine_rules():
    """The addon's plain rules module (it needs no Odoo to import)."""
    path = os.path.join(ADDON_DIR, "engine", "rules.py")
    spec = importlib.util.spec_from_file_location(f"{ADDON}_rules", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Profile columns the refresh writes: cleared before a run on a reused database,
# so that the first pass always starts from empty profiles.
ENGINE_COLUMNS = tuple(load_engine_rules().ENGINE_COLUMNS)
DATASET_PARAM = "customer_relationship_bench.dataset"
# Shape of the generated data.
COMPANY_SHARE = 0.3  # commercial partners that are companies (0 to 3 contacts each)
BUYER_SHARE = 0.75  # commercial partners with at least one chance to order
CHURN_SHARE = 0.2  # buyers who stopped ordering at some point
CONTACT_ORDER_SHARE = 0.3  # orders of a company placed by one of its contacts
HISTORY_DAYS = 3 * 365


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------
# Database
# ----------------------------------------------------------------------


def connect(dbname, autocommit=False):
    cnx = psycopg2.connect(dbname=dbname)
    cnx.autocommit = autocommit
    return cnx


def database_exists(db):
    with connect("postgres", autocommit=True) as cnx, cnx.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        exists = bool(cr.fetchone())
    cnx.close()
    return exists


def drop_database(db):
    cnx = connect("postgres", autocommit=True)
    with cnx.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    cnx.close()


def stored_dataset(db):
    """The dataset parameters recorded in the bench database, or None."""
    cnx = connect(db)
    try:
        with cnx.cursor() as cr:
            cr.execute("SELECT state FROM ir_module_module WHERE name = %s", [ADDON])
            row = cr.fetchone()
            if not row or row[0] != "installed":
                return None
            cr.execute(
                "SELECT value FROM ir_config_parameter WHERE key = %s",
                [DATASET_PARAM],
            )
            row = cr.fetchone()
            return json.loads(row[0]) if row else None
    except psycopg2.Error:
        return None
    finally:
        cnx.close()


def install_addon(db, addons_path, odoo_src, update=False):
    if update:
        log(f"Updating {ADDON} in {db} (odoo-bin -u)")
    else:
        log(f"Creating {db} and installing {ADDON} without demo data (odoo-bin)")
    logfile = f"/tmp/{db}.install.log"
    cmd = [
        sys.executable,
        os.path.join(odoo_src, "odoo-bin"),
        f"--addons-path={addons_path}",
        f"--database={db}",
        f"--db-filter=^{db}$",
        f"--update={ADDON}" if update else f"--init={ADDON}",
        "--without-demo=all",
        "--stop-after-init",
        "--no-http",
        "--workers=0",
        "--max-cron-threads=0",
        "--log-level=warn",
    ]
    with open(logfile, "w") as out:
        rc = subprocess.call(cmd, stdout=out, stderr=subprocess.STDOUT)
    with open(logfile) as out:
        errors = [line for line in out if re.search(r" (ERROR|CRITICAL) ", line)]
    if rc or errors:
        sys.exit(f"Installing {ADDON} failed (rc {rc}); see {logfile}")


def droppable_indexes(cr, table):
    """(name, definition) of the table's indexes that back no constraint."""
    cr.execute(
        """SELECT i.relname, pg_get_indexdef(i.oid)
             FROM pg_index x
             JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid = %s::regclass
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                               WHERE c.conindid = x.indexrelid)""",
        [table],
    )
    return cr.fetchall()


def create_companies(db, addons_path, odoo_src, count):
    """Companies 2..count beside the main one (the ORM creates them: a company
    is a partner, a currency, a chart of settings), sharing every customer."""
    log(f"  creating {count - 1} more companies")
    script = (
        "env['res.company'].create([{'name': 'Bench Group Company %d' % i} "
        f"for i in range(2, {count} + 1)]); env.cr.commit()\n"
    )
    cmd = [
        sys.executable,
        os.path.join(odoo_src, "odoo-bin"),
        "shell",
        f"--addons-path={addons_path}",
        f"--database={db}",
        "--no-http",
        "--log-level=warn",
    ]
    result = subprocess.run(cmd, input=script, text=True, capture_output=True)
    if result.returncode:
        sys.exit(f"Creating the companies failed: {result.stderr[-2000:]}")


def generate_data(db, partners, orders, seed, companies=1):
    """Commercial partners, contacts and confirmed orders, in SQL.

    Indexes are dropped during the load and built again afterwards, and the
    foreign-key triggers are skipped (session_replication_role = replica, the
    data is consistent by construction): a plain bulk load.
    """
    cnx = connect(db)
    cr = cnx.cursor()
    cr.execute("SET synchronous_commit = off")
    cr.execute("SET maintenance_work_mem = '1GB'")
    cr.execute("SET work_mem = '256MB'")
    cr.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if cr.fetchone()[0]:
        cr.execute("SET session_replication_role = replica")
    cr.execute("SELECT id, currency_id FROM res_company ORDER BY id LIMIT 1")
    company_id, currency_id = cr.fetchone()
    # the orders are spread over the companies, which share every customer
    cr.execute("SELECT array_agg(id ORDER BY id) FROM res_company")
    company_ids = cr.fetchone()[0][:companies]
    key = str(company_id)
    cr.execute("SELECT id FROM crm_team ORDER BY sequence, id LIMIT 1")
    team_id = cr.fetchone()[0]
    salesperson_id = 2  # base.user_admin
    cr.execute("SELECT setseed(%s)", [seed])

    indexes = droppable_indexes(cr, "res_partner") + droppable_indexes(cr, "sale_order")
    for name, _definition in indexes:
        cr.execute(f'DROP INDEX "{name}"')

    started = time.perf_counter()
    # Commercial partners: ids leave room for each company's contacts right
    # after it, so contacts interleave with customers as in a real database.
    cr.execute("SELECT nextval('res_partner_id_seq')")
    base_id = cr.fetchone()[0]
    cr.execute(
        """
        CREATE TEMP TABLE bench_customer AS
        WITH c AS (
            SELECT i, r < %(company_share)s AS is_company,
                   CASE WHEN r < %(company_share)s
                        THEN floor(random() * 4)::int ELSE 0 END AS contacts,
                   random() < %(buyer_share)s AS buyer,
                   random() * %(days)s AS start_ago,
                   random() AS churn
              FROM (SELECT i, random() AS r
                      FROM generate_series(1, %(n)s) i) s
        )
        SELECT i, is_company, contacts, buyer,
               %(base)s + i - 1 + COALESCE(SUM(contacts) OVER (
                   ORDER BY i ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
               ), 0) AS id,
               start_ago,
               CASE WHEN churn < %(churn_share)s THEN random() * start_ago
                    ELSE 0 END AS end_ago
          FROM c
        """,
        {
            "company_share": COMPANY_SHARE,
            "buyer_share": BUYER_SHARE,
            "churn_share": CHURN_SHARE,
            "days": HISTORY_DAYS,
            "n": partners,
            "base": base_id,
        },
    )
    common = {"uid": 1, "salesperson": salesperson_id, "key": key}
    cr.execute(
        """
        INSERT INTO res_partner (
            id, name, complete_name, commercial_partner_id, is_company, type,
            active, lang, email, email_normalized, city, zip, user_id,
            autopost_bills, invoice_warn, sale_warn, customer_rank, supplier_rank,
            partner_share, color, message_bounce, tier_locked,
            signal_gives_suggestions, signal_follows_new_products,
            signal_refers_others, signal_rejects_competitors, loyalty_strength,
            relationship_level, do_not_contact, greetings_opt_in,
            is_customer_blacklisted,
            create_uid, create_date, write_uid, write_date)
        SELECT id, name, name, id, is_company, 'contact', true, 'en_US',
               email, email, 'Bench City ' || (i %% 500),
               lpad((i %% 99991)::text, 5, '0'),
               CASE WHEN i %% 2 = 0 THEN %(salesperson)s END,
               'ask', 'no-message', 'no-message', CASE WHEN buyer THEN 1 ELSE 0 END, 0,
               true, 0, 0,
               CASE WHEN random() < 0.01 THEN jsonb_build_object(%(key)s, true) END,
               random() < 0.1, random() < 0.1, random() < 0.05, random() < 0.05,
               CASE WHEN random() < 0.05 THEN jsonb_build_object(%(key)s, 'strong')
                    WHEN random() < 0.05 THEN jsonb_build_object(%(key)s, 'weak')
               END,
               CASE WHEN buyer THEN 'buyer' END, false, false, NULL::jsonb,
               %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
          FROM (SELECT *,
                       CASE WHEN is_company THEN 'Bench Company ' || i
                            ELSE 'Bench Customer ' || i END AS name,
                       'customer' || i || '@bench.example.com' AS email
                  FROM bench_customer) c
        """,
        common,
    )
    cr.execute(
        """
        INSERT INTO res_partner (
            id, name, complete_name, commercial_partner_id, parent_id,
            commercial_company_name, is_company, type, active, lang, function,
            email, email_normalized, autopost_bills, invoice_warn, sale_warn,
            customer_rank, supplier_rank, partner_share, color, message_bounce,
            create_uid, create_date, write_uid, write_date)
        SELECT c.id + k, 'Contact ' || k || ' of ' || c.i,
               'Bench Company ' || c.i || ', Contact ' || k || ' of ' || c.i,
               c.id, c.id, 'Bench Company ' || c.i, false, 'contact', true, 'en_US',
               'Buyer', 'contact' || k || '.' || c.i || '@bench.example.com',
               'contact' || k || '.' || c.i || '@bench.example.com',
               'ask', 'no-message', 'no-message', 0, 0, true, 0, 0,
               %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
          FROM bench_customer c, generate_series(1, c.contacts) k
         WHERE c.contacts > 0
        """,
        common,
    )
    cr.execute("SELECT setval('res_partner_id_seq', (SELECT max(id) FROM res_partner))")
    log(f"  partners inserted in {time.perf_counter() - started:.1f} s")

    # Buyers in a random order: the order's customer is drawn with a skew
    # (rank = K * u^2), so some customers order far more than others, and the
    # big ones are spread over the partner ids.
    started = time.perf_counter()
    cr.execute(
        """
        CREATE TEMP TABLE bench_buyer AS
        SELECT row_number() OVER (ORDER BY random()) AS rank, id, is_company,
               contacts, start_ago, end_ago
          FROM bench_customer WHERE buyer;
        ALTER TABLE bench_buyer ADD PRIMARY KEY (rank);
        ANALYZE bench_buyer;
        """
    )
    cr.execute("SELECT count(*) FROM bench_buyer")
    buyers = cr.fetchone()[0]
    # Order dates fall in the buyer's active span within the last 3 years;
    # untaxed amounts are log-normal (median 150, a long tail).
    cr.execute(
        """
        INSERT INTO sale_order (
            id, name, state, company_id, partner_id, partner_invoice_id,
            partner_shipping_id, currency_id, currency_rate, date_order,
            amount_untaxed, amount_tax, amount_total, user_id, team_id,
            invoice_status, locked, require_signature, require_payment,
            prepayment_percent, create_uid, create_date, write_uid, write_date)
        SELECT id, 'S' || lpad(id::text, 8, '0'), 'sale',
               (%(companies)s::int4[])[1 + o.n %% %(n_companies)s],
               partner_id, customer_id, partner_id, %(currency)s, 1.0, date_order,
               amount, round(amount * 0.15, 2), round(amount * 1.15, 2),
               %(salesperson)s, %(team)s, 'no', false, false, false, 1.0,
               %(uid)s, date_order, %(uid)s, date_order
          FROM (
            SELECT nextval('sale_order_id_seq') AS id, b.id AS customer_id,
                   g.n,
                   CASE WHEN b.is_company AND b.contacts > 0
                             AND g.r_contact < %(contact_share)s
                        THEN b.id + 1 + floor(g.r_contact * 1e6)::int %% b.contacts
                        ELSE b.id END AS partner_id,
                   date_trunc('second', now() AT TIME ZONE 'UTC'
                       - (b.end_ago + g.r_date * (b.start_ago - b.end_ago))
                         * interval '1 day') AS date_order,
                   round(exp(ln(150) + 0.9 * sqrt(-2 * ln(1 - g.u1))
                                           * cos(2 * pi() * g.u2))::numeric, 2)
                       AS amount
              FROM (SELECT 1 + floor(%(buyers)s * random() ^ 2)::bigint AS rank,
                           random() AS r_contact, random() AS r_date,
                           random() AS u1, random() AS u2, s.n
                      FROM generate_series(1, %(m)s) AS s(n)) g
              JOIN bench_buyer b ON b.rank = g.rank
          ) o
        """,
        {
            **common,
            "companies": company_ids,
            "n_companies": len(company_ids),
            "currency": currency_id,
            "team": team_id,
            "contact_share": CONTACT_ORDER_SHARE,
            "buyers": buyers,
            "m": orders,
        },
    )
    log(f"  orders inserted in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    for _name, definition in indexes:
        cr.execute(definition)
    log(f"  {len(indexes)} indexes built in {time.perf_counter() - started:.1f} s")
    cr.execute(
        """INSERT INTO ir_config_parameter
                  (key, value, create_uid, create_date, write_uid, write_date)
           VALUES (%s, %s, 1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC')
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value""",
        [
            DATASET_PARAM,
            json.dumps(
                {
                    "partners": partners,
                    "orders": orders,
                    "seed": seed,
                    "companies": companies,
                }
            ),
        ],
    )
    cnx.commit()
    cnx.close()
    vacuum_analyze(db)


def vacuum_analyze(db):
    """VACUUM (sets the visibility map: index-only scans) and ANALYZE."""
    started = time.perf_counter()
    cnx = connect(db, autocommit=True)
    with cnx.cursor() as cr:
        cr.execute("SET maintenance_work_mem = '1GB'")
        cr.execute("VACUUM (ANALYZE) res_partner, sale_order")
        cr.execute("ANALYZE")
    cnx.close()
    log(f"  VACUUM ANALYZE in {time.perf_counter() - started:.1f} s")


def reset_profiles(db):
    """Empty the profiles and the refresh history of a reused database, and
    compact res_partner, so that the first pass starts as on a fresh build
    (free space left by the cleared rows would allow cheaper in-place updates).
    """
    started = time.perf_counter()
    cnx = connect(db)
    with cnx.cursor() as cr:
        assignments = ", ".join(f"{c} = NULL" for c in ENGINE_COLUMNS)
        cr.execute(
            f"""UPDATE res_partner SET {assignments}
                 WHERE lifecycle_stage IS NOT NULL
                    OR customer_tier_id IS NOT NULL OR order_count IS NOT NULL"""
        )
        cleared = cr.rowcount
        cr.execute("TRUNCATE customer_lifecycle_history, customer_tier_history")
        cr.execute("TRUNCATE customer_profile_refresh_queue")
        cr.execute("DELETE FROM customer_profile_refresh")
        cr.execute(
            """DELETE FROM ir_cron_trigger WHERE cron_id IN (
                   SELECT res_id FROM ir_model_data
                    WHERE module = %s AND name = 'ir_cron_refresh_profiles')""",
            [ADDON],
        )
    cnx.commit()
    cnx.close()
    if cleared:
        cnx = connect(db, autocommit=True)
        with cnx.cursor() as cr:
            cr.execute("SET maintenance_work_mem = '1GB'")
            cr.execute("VACUUM (FULL, ANALYZE) res_partner")
            cr.execute("VACUUM (ANALYZE) customer_lifecycle_history")
        cnx.close()
        log(
            f"  cleared the profiles of {cleared:,} partners and compacted "
            f"res_partner in {time.perf_counter() - started:.1f} s"
        )


def compact(db):
    """Compact what the rolled-back baseline left (dead rows), so that the
    first pass starts from the same tables as the baseline did."""
    started = time.perf_counter()
    cnx = connect(db, autocommit=True)
    with cnx.cursor() as cr:
        cr.execute("SET maintenance_work_mem = '1GB'")
        cr.execute("VACUUM (FULL, ANALYZE) res_partner")
        cr.execute(
            "VACUUM (FULL, ANALYZE) customer_lifecycle_history, customer_tier_history"
        )
    cnx.close()
    log(f"  compacted res_partner in {time.perf_counter() - started:.1f} s")


def dataset_summary(db, order_index):
    cnx = connect(db)
    with cnx.cursor() as cr:
        cr.execute(
            """SELECT count(*) FILTER (WHERE is_company OR parent_id IS NULL),
                      count(*) FILTER (WHERE is_company),
                      count(*) FILTER (WHERE parent_id IS NOT NULL),
                      pg_size_pretty(pg_total_relation_size('res_partner'))
                 FROM res_partner WHERE active"""
        )
        commercial, companies, contacts, partner_size = cr.fetchone()
        cr.execute(
            """SELECT count(*) FILTER (WHERE so.state = 'sale'),
                      count(DISTINCT p.commercial_partner_id),
                      min(so.date_order)::date, max(so.date_order)::date,
                      round(avg(so.amount_untaxed), 2),
                      pg_size_pretty(pg_total_relation_size('sale_order')),
                      pg_size_pretty(pg_relation_size(%s))
                 FROM sale_order so JOIN res_partner p ON p.id = so.partner_id""",
            [order_index],
        )
        orders, ordering, first, last, average, order_size, index_size = cr.fetchone()
        cr.execute("SELECT current_setting('server_version')")
        version = cr.fetchone()[0]
        cr.execute(
            "SELECT current_setting('shared_buffers'), current_setting('work_mem')"
        )
        shared_buffers, work_mem = cr.fetchone()
    cnx.close()
    print(
        f"Dataset: {commercial:,} commercial partners ({companies:,} companies), "
        f"{contacts:,} contacts under companies; res_partner {partner_size}"
    )
    print(
        f"         {orders:,} confirmed orders of {ordering:,} customers, "
        f"{first} to {last}, average untaxed {average}; sale_order {order_size}, "
        f"{order_index} {index_size}"
    )
    print(
        f"PostgreSQL {version} (shared_buffers {shared_buffers}, "
        f"work_mem {work_mem}), {os.cpu_count()} CPUs (the load average counts "
        f"every process of the machine: other work there slows the figures)"
    )


# ----------------------------------------------------------------------
# The passes
# ----------------------------------------------------------------------


def current_rss_kb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def peak_rss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def percentile(values, pct):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def run_pass(env, batch_size, max_calls=100000):
    """Call the cron entry point as the cron runner does until today's pass is
    done; return the measures."""
    cr = env.cr
    engine = env["customer.profile.refresh"]
    cron = env.ref(f"{ADDON}.ir_cron_refresh_profiles")
    cr.execute("SELECT count(*) FROM customer_lifecycle_history")
    history_before = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM customer_tier_history")
    tier_history_before = cr.fetchone()[0]
    calls = []
    rss_start = current_rss_kb()
    load_start = os.getloadavg()[0]
    started = time.perf_counter()
    for _i in range(max_calls):
        cron_with_progress, progress = cron._add_progress()
        cr.commit()
        context = dict(cron_with_progress.env.context)
        queries = cr.sql_log_count
        call_started = time.perf_counter()
        engine.with_context(**context)._cron_refresh_profiles(batch_size=batch_size)
        env.flush_all()
        queries = cr.sql_log_count - queries
        cr.commit()
        wall = time.perf_counter() - call_started
        refresh = engine.search([("date", "=", engine._today())], limit=1)
        calls.append(
            {
                "wall": wall,
                "queries": queries,
                "partners": progress.done,
                "rss_kb": current_rss_kb(),
                "peak_rss_kb": peak_rss_kb(),
            }
        )
        if refresh.done:
            break
    else:
        sys.exit(f"The pass did not end after {max_calls} calls")
    elapsed = time.perf_counter() - started
    cr.execute("SELECT count(*) FROM customer_lifecycle_history")
    history_rows = cr.fetchone()[0] - history_before
    cr.execute("SELECT count(*) FROM customer_tier_history")
    tier_history_rows = cr.fetchone()[0] - tier_history_before
    walls = [c["wall"] for c in calls]
    queries = [c["queries"] for c in calls]
    return {
        "partners": refresh.processed,
        "total": refresh.total,
        "calls": len(calls),
        "batches": sum(1 for c in calls if c["partners"]),
        "elapsed": elapsed,
        "partners_per_second": refresh.processed / elapsed if elapsed else 0,
        "queries_min": min(queries),
        "queries_max": max(queries),
        "queries_after_first_min": min(queries[1:] or queries),
        "queries_after_first_max": max(queries[1:] or queries),
        "first_call_wall": walls[0],
        "first_call_queries": queries[0],
        "wall_p50": percentile(walls, 50),
        "wall_p95": percentile(walls, 95),
        "wall_max": max(walls),
        "rss_start_kb": rss_start,
        "rss_end_kb": current_rss_kb(),
        "peak_rss_kb": peak_rss_kb(),
        "written": refresh.written,
        "history_rows": history_rows,
        "tier_history_rows": tier_history_rows,
        "load_start": load_start,
        "load_end": os.getloadavg()[0],
        "per_call": calls,
    }


def profile_summary(cr):
    """How the refresh classified the customers (one line per field and
    company)."""
    lines = []
    cr.execute("SELECT id FROM res_company ORDER BY id")
    companies = [row[0] for row in cr.fetchall()]
    for company_id in companies:
        key = str(company_id)
        for label, column in (
            ("stages", "p.lifecycle_stage->>%(key)s"),
            ("tiers", "t.name->>'en_US'"),
            ("segments", "p.value_segment->>%(key)s"),
        ):
            cr.execute(
                f"""SELECT COALESCE({column}, '-'), count(*)
                      FROM res_partner p
                 LEFT JOIN customer_tier t
                        ON t.id = (p.customer_tier_id->>%(key)s)::int4
                     WHERE p.lifecycle_stage ? %(key)s
                  GROUP BY 1 ORDER BY 2 DESC""",
                {"key": key},
            )
            prefix = f"  {label}" + (f" (company {key})" if len(companies) > 1 else "")
            lines.append(
                f"{prefix}: " + ", ".join(f"{name} {n:,}" for name, n in cr.fetchall())
            )
    return lines


def explain_batch_query(env, batch_size):
    """EXPLAIN (ANALYZE, BUFFERS) of the aggregate query of a batch in the
    middle of the partner range, captured from the engine itself."""
    from odoo.tools import SQL

    cr = env.cr
    engine = env["customer.profile.refresh"]
    cr.execute(
        SQL(
            """SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY p.id)
                 FROM res_partner p WHERE %s""",
            engine._partner_scope(),
        )
    )
    middle = cr.fetchone()[0] or 0
    ids = engine._next_batch(middle, batch_size)
    captured = []
    execute = cr.execute

    def spy(query, params=None, log_exceptions=True):
        captured.append((query, params))
        return execute(query, params, log_exceptions)

    with patch.object(cr, "execute", spy):
        engine._gather_facts(ids, engine._today())
    query, params = next(
        (q, p) for q, p in captured if "WITH orders AS" in str(getattr(q, "code", q))
    )
    if not isinstance(query, SQL):
        query = SQL(query, *(params or ()))
    execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", query))
    # The batch's ids, spelled out in the plan, are abbreviated.
    plan = [
        re.sub(
            r"'\{[0-9,]+\}'",
            lambda m: f"'{{...{m.group().count(',') + 1} ids...}}'",
            row[0],
        )
        for row in cr.fetchall()
    ]
    cr.rollback()
    return len(ids), plan


# ----------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------


def set_based_baseline(env):
    """The floor the full pass is compared with: ONE set-based statement that
    computes the facts the pass gathers, decides the profile in SQL (the
    rules of ``engine/rules.py`` transcribed, burden and complaints aside: the
    bench has none), and writes what the first pass writes: every customer's
    engine columns and next follow-up in res_partner, its lifecycle history
    (the stages rebuilt from its orders, as ``rules.stage_history`` does) and
    a tier history row with its reason. Run in a transaction rolled back, on
    the same empty profiles the first pass starts from; returns its wall time
    and the rows written to each table."""
    from odoo.tools import SQL

    rules = load_engine_rules()
    cr = env.cr
    engine = env["customer.profile.refresh"]
    today = engine._today()
    window_start, steady_start = engine._window_starts(today)
    settings = engine._engine_settings()
    tiers = engine._engine_tiers()
    get = env.company._relationship_setting
    pareto = get("tier_mode") == "pareto"
    if pareto:
        limits, total_share = [], 0
        for key in ("pareto_share_a", "pareto_share_b"):
            total_share += get(key)
            limits.append(total_share)
        # tier i when the revenue reaches cut-off i (computed in the statement)
        tier_case = SQL(
            "CASE %s ELSE %s END",
            SQL(" ").join(
                SQL("WHEN f.revenue > 0 AND f.revenue >= c.cut%s THEN %s", i, t.id)
                for i, t in enumerate(tiers[: len(limits)])
            ),
            tiers[min(len(limits), len(tiers) - 1)].id,
        )
    else:
        tier_case = SQL(
            "CASE %s ELSE %s END",
            SQL(" ").join(
                SQL(
                    "WHEN f.revenue >= %s AND f.window_orders >= %s THEN %s",
                    t.min_revenue,
                    t.min_order_count,
                    t.id,
                )
                for t in tiers
            ),
            tiers[-1].id,
        )
    high_value = [t.id for t in tiers if t.is_high_value] or [0]
    cutoffs = (
        SQL(
            """SELECT %s FROM (
                   SELECT revenue,
                          SUM(revenue) OVER (ORDER BY revenue DESC
                                             ROWS UNBOUNDED PRECEDING) - revenue
                              AS before,
                          SUM(revenue) OVER () AS total
                     FROM facts WHERE revenue > 0) r""",
            SQL(", ").join(
                SQL(
                    "MIN(revenue) FILTER (WHERE before < total * %s / 100.0) AS cut%s",
                    limit,
                    i,
                )
                for i, limit in enumerate(limits)
            ),
        )
        if pareto
        else SQL("SELECT 1")
    )
    started = time.perf_counter()
    cr.execute(
        SQL(
            """
            WITH orders AS (
                SELECT p.commercial_partner_id AS partner_id,
                       MIN(so.date_order)::date AS first_order,
                       MAX(so.date_order)::date AS last_order,
                       COUNT(*) AS orders,
                       COUNT(*) FILTER (WHERE so.date_order >= %(start)s)
                           AS window_orders,
                       COALESCE(SUM(%(revenue)s)
                           FILTER (WHERE so.date_order >= %(start)s), 0) AS revenue,
                       COUNT(DISTINCT date_trunc('month', so.date_order))
                           FILTER (WHERE so.date_order >= %(steady)s) AS months,
                       ((array_agg(so.date_order ORDER BY so.date_order))[%(n)s])::date
                           AS mature_order
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale' AND so.company_id = %(company)s
              GROUP BY p.commercial_partner_id
            ), facts AS (
                SELECT p.id, p.create_date::date AS created,
                       p.loyalty_strength->>%(key)s AS loyalty_strength,
                       (p.signal_gives_suggestions::int
                        + p.signal_follows_new_products::int
                        + p.signal_refers_others::int
                        + p.signal_rejects_competitors::int) AS signals,
                       o.first_order, o.last_order, COALESCE(o.orders, 0) AS orders,
                       COALESCE(o.window_orders, 0) AS window_orders,
                       COALESCE(o.revenue, 0) AS revenue,
                       COALESCE(o.months, 0) AS months, o.mature_order,
                       CASE WHEN o.orders >= 2
                            THEN round((o.last_order - o.first_order)::numeric
                                       / (o.orders - 1), 1)
                            ELSE 0 END AS interval
                  FROM res_partner p
             LEFT JOIN orders o ON o.partner_id = p.id
                 WHERE %(scope)s
            ), cutoffs AS (%(cutoffs)s
            ), scored AS (
                SELECT f.*,
                       GREATEST(%(dormant_days)s, round(2 * f.interval))::int
                           AS threshold,
                       CASE WHEN f.orders = 0 AND f.signals = 0 THEN 0
                            ELSE LEAST(100, GREATEST(0, round(
                                %(repeat_points)s
                                    * LEAST(GREATEST(f.orders - 1, 0), %(cap)s)
                                    / %(cap)s::numeric
                                + %(steady_points)s * LEAST(f.months, %(wm)s)
                                    / %(wm)s::numeric
                                + %(signal_points)s * f.signals)))::int
                       END AS score,
                       f.months >= %(steady_months)s AS steady,
                       CASE WHEN f.orders > 0 THEN %(tier_case)s END AS tier_id,
                       %(cutoff_columns)s
                  FROM facts f, cutoffs c
            ), staged AS (
                SELECT s.*,
                       CASE WHEN s.orders = 0 THEN 'potential'
                            WHEN %(today)s - s.last_order
                                 > %(factor)s * s.threshold THEN 'dormant_permanent'
                            WHEN %(today)s - s.last_order > s.threshold
                                THEN 'dormant_temporary'
                            WHEN s.orders >= %(n)s AND s.steady
                                 AND s.score >= %(loyal)s THEN 'loyal'
                            WHEN s.orders >= %(n)s THEN 'mature'
                            ELSE 'new' END AS stage,
                       s.tier_id = ANY(%(high)s) AS high_value
                  FROM scored s
            ), decided AS (
                SELECT d.*,
                       LEAST(%(today)s, CASE d.stage
                            WHEN 'potential' THEN COALESCE(d.created, %(today)s)
                            WHEN 'dormant_temporary' THEN d.last_order + d.threshold + 1
                            WHEN 'dormant_permanent'
                                THEN d.last_order + %(factor)s * d.threshold + 1
                            WHEN 'new' THEN d.first_order
                            ELSE COALESCE(d.mature_order, d.last_order) END)
                           AS stage_date,
                       CASE WHEN d.orders = 0 THEN NULL
                            WHEN d.high_value AND d.steady THEN 'golden'
                            WHEN d.high_value THEN 'meteor'
                            WHEN d.steady THEN 'small_star' END AS segment,
                       CASE WHEN COALESCE(d.loyalty_strength = 'strong', d.high_value)
                                 IS NULL THEN NULL
                            WHEN d.score >= %(loyal)s THEN
                                CASE WHEN COALESCE(d.loyalty_strength = 'strong',
                                                   d.high_value)
                                     THEN 'core' ELSE 'develop' END
                            WHEN COALESCE(d.loyalty_strength = 'strong', d.high_value)
                                THEN 'balance' ELSE 'phase_out' END AS quadrant
                  FROM staged d
            ), partners AS (
                UPDATE res_partner p
                   SET customer_tier_id = jsonb_build_object(%(key)s, d.tier_id),
                       lifecycle_stage = jsonb_build_object(%(key)s, d.stage),
                       lifecycle_stage_date = jsonb_build_object(%(key)s, d.stage_date),
                       value_segment = jsonb_build_object(%(key)s, d.segment),
                       loyalty_score = jsonb_build_object(%(key)s, d.score),
                       loyalty_quadrant = jsonb_build_object(%(key)s, d.quadrant),
                       first_order_date = jsonb_build_object(%(key)s, d.first_order),
                       last_order_date = jsonb_build_object(%(key)s, d.last_order),
                       order_count = jsonb_build_object(%(key)s, d.orders),
                       window_revenue = jsonb_build_object(
                           %(key)s, round(d.revenue, 2)),
                       average_order_interval = jsonb_build_object(%(key)s, d.interval),
                       expected_reorder_date = jsonb_build_object(%(key)s,
                           CASE WHEN d.interval > 0
                                THEN d.last_order + round(d.interval)::int END),
                       next_followup_date = CASE
                           WHEN (p.customer_tier_id->>%(key)s)::int4
                                    IS DISTINCT FROM d.tier_id
                                AND p.last_followup_date ? %(key)s
                                AND NOT COALESCE(
                                    (p.next_followup_manual->>%(key)s)::bool, false)
                           THEN COALESCE(p.next_followup_date, '{}')
                                || jsonb_build_object(%(key)s,
                                       (p.last_followup_date->>%(key)s)::date
                                       + %(cadence)s)
                           ELSE p.next_followup_date END,
                       write_date = now() AT TIME ZONE 'UTC', write_uid = %(uid)s
                  FROM decided d
                 WHERE p.id = d.id
             RETURNING p.id, %(company)s AS company_id, p.user_id
            ), stages AS (
                SELECT x.id, x.stage, x.date_start,
                       lead(x.date_start) OVER (PARTITION BY x.id
                                                ORDER BY x.date_start) AS date_end
                  FROM decided d
                  CROSS JOIN LATERAL (VALUES
                      (d.id, 'new', d.first_order, d.stage != 'potential', false),
                      (d.id, 'mature', d.mature_order,
                       d.stage NOT IN ('potential', 'new') AND d.orders >= %(n)s,
                       false),
                      (d.id, 'dormant_temporary', d.last_order + d.threshold + 1,
                       d.stage = 'dormant_permanent', false),
                      (d.id, d.stage, d.stage_date, true, true)
                  ) AS x(id, stage, date_start, wanted, current)
                 WHERE x.wanted AND x.date_start IS NOT NULL
                   AND (x.current OR x.date_start < d.stage_date)
            ), lifecycle AS (
                INSERT INTO customer_lifecycle_history
                       (partner_id, stage, date_start, date_end, company_id, user_id,
                        create_uid, create_date, write_uid, write_date)
                SELECT s.id, s.stage, s.date_start, s.date_end, w.company_id,
                       w.user_id, %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s,
                       now() AT TIME ZONE 'UTC'
                  FROM stages s JOIN partners w ON w.id = s.id
             RETURNING 1
            ), tier_rows AS (
                INSERT INTO customer_tier_history
                       (partner_id, previous_tier_id, tier_id, date_start,
                        reason_data, company_id, user_id,
                        create_uid, create_date, write_uid, write_date)
                SELECT d.id, NULL, d.tier_id, %(today)s,
                       jsonb_build_object('rule', %(rule)s,
                                          'revenue', round(d.revenue, 2),
                                          'orders', d.window_orders,
                                          'tier_id', d.tier_id, 'months', %(rm)s),
                       w.company_id, w.user_id, %(uid)s, now() AT TIME ZONE 'UTC',
                       %(uid)s, now() AT TIME ZONE 'UTC'
                  FROM decided d JOIN partners w ON w.id = d.id
                 WHERE d.tier_id IS NOT NULL
             RETURNING 1
            )
            SELECT (SELECT count(*) FROM partners), (SELECT count(*) FROM lifecycle),
                   (SELECT count(*) FROM tier_rows)
            """,
            start=window_start,
            steady=steady_start,
            n=settings.mature_order_count,
            revenue=engine._revenue_sql(),
            company=env.company.id,
            key=str(env.company.id),
            scope=engine._partner_scope(),
            cutoffs=cutoffs,
            cutoff_columns=(
                SQL(", ").join(SQL("c.cut%s", i) for i in range(len(limits)))
                if pareto
                else SQL("NULL AS no_cutoff")
            ),
            dormant_days=settings.dormant_days,
            repeat_points=rules.REPEAT_ORDER_POINTS,
            cap=rules.REPEAT_ORDER_CAP,
            steady_points=rules.STEADY_MONTH_POINTS,
            wm=settings.steady_window_months,
            signal_points=rules.SIGNAL_POINTS,
            steady_months=settings.steady_months,
            tier_case=tier_case,
            today=today,
            factor=settings.dormant_permanent_factor,
            loyal=settings.loyal_score,
            high=high_value,
            cadence=env["res.partner"]._followup_cadence_sql(
                SQL("p"),
                SQL(
                    "(SELECT t.followup_interval_days FROM customer_tier t "
                    "WHERE t.id = d.tier_id)"
                ),
            ),
            uid=env.uid,
            rule="pareto" if pareto else "threshold",
            rm=get("revenue_window_months"),
        )
    )
    partners, lifecycle, tier_rows = cr.fetchone()
    elapsed = time.perf_counter() - started
    cr.rollback()
    return {
        "elapsed": elapsed,
        "rows": partners,
        "lifecycle_rows": lifecycle,
        "tier_rows": tier_rows,
    }


def bench_confirmations(env, count, seed_partners=200):
    """Confirm ``count`` orders one by one, each in its own transaction as a
    user would, with the live hook and with it patched out (alternating
    rounds, same data); then the fold of the queue, and the same-transaction
    alternative (the profile written inside the confirmation)."""
    from odoo.addons.customer_relationship.models.customer_profile_refresh_queue import (  # noqa: E501
        CustomerProfileRefreshQueue,
    )

    cr = env.cr
    cr.execute(
        """SELECT p.id FROM res_partner p
            WHERE p.active AND p.parent_id IS NULL ORDER BY p.id LIMIT %s""",
        [seed_partners],
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    product = env["product.product"].create({"name": "Bench Tea"})
    modes = ("without", "with", "inline")
    per_mode = {mode: [] for mode in modes}
    queries = {mode: [] for mode in modes}
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner_ids[i % len(partner_ids)],
                "order_line": [(0, 0, {"product_id": product.id, "price_unit": 5.0})],
            }
            for i in range(3 * count)
        ]
    )
    cr.commit()
    Refresh = env["customer.profile.refresh"]

    def inline(self, partners):
        ids = sorted(set(partners.commercial_partner_id.ids))
        today = Refresh._today()
        self.env.flush_all()
        Refresh._refresh_partners(ids, today, Refresh._day_cutoffs(today))

    rounds = 10
    chunk = count // rounds
    position = 0
    for _round in range(rounds):
        for mode in modes:
            batch = orders[position : position + chunk]
            position += chunk
            if mode == "without":
                hook = patch.object(
                    CustomerProfileRefreshQueue, "_enqueue", lambda self, partners: None
                )
            elif mode == "inline":
                hook = patch.object(CustomerProfileRefreshQueue, "_enqueue", inline)
            else:
                hook = contextlib.nullcontext()
            with hook:
                for order in batch:
                    before = cr.sql_log_count
                    started = time.perf_counter()
                    order.action_confirm()
                    env.flush_all()
                    cr.commit()
                    per_mode[mode].append(time.perf_counter() - started)
                    queries[mode].append(cr.sql_log_count - before)
    cr.execute("SELECT count(*) FROM customer_profile_refresh_queue")
    queued = cr.fetchone()[0]
    started = time.perf_counter()
    for _call in range(100):
        env["customer.profile.refresh.queue"]._cron_refresh_live()
        cr.commit()
        cr.execute("SELECT count(*) FROM customer_profile_refresh_queue")
        if not cr.fetchone()[0]:
            break
    fold = time.perf_counter() - started
    return {
        "count": chunk * rounds,
        **{f"{mode}_s": sum(per_mode[mode]) for mode in modes},
        **{
            f"{mode}_queries": sum(queries[mode]) / len(queries[mode]) for mode in modes
        },
        "queued": queued,
        "fold_s": fold,
    }


def bench_two_workers(registry, orders_per_worker=20):
    """Two workers confirm orders of the same customer at once while a third
    folds the queue, each transaction committed like a request: no error may
    reach a user, no order may be lost."""
    import threading

    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        product = env["product.product"].create({"name": "Busy Tea"})
        partner = env["res.partner"].create(
            {"name": "Busy Customer", "is_company": True}
        )
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "order_line": [
                        (0, 0, {"product_id": product.id, "price_unit": 7.0})
                    ],
                }
                for _i in range(2 * orders_per_worker)
            ]
        )
        order_ids, partner_id = orders.ids, partner.id
    errors, fold_errors = [], []
    barrier = threading.Barrier(3)
    stop = threading.Event()

    def confirm(ids):
        barrier.wait(timeout=60)
        for order_id in ids:
            try:
                with registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    env["sale.order"].browse(order_id).action_confirm()
            except Exception as error:  # noqa: BLE001 - reported
                errors.append(repr(error))

    def fold():
        barrier.wait(timeout=60)
        while not stop.is_set():
            try:
                with registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    env["customer.profile.refresh.queue"]._cron_refresh_live()
            except Exception as error:  # noqa: BLE001 - a cron retries
                fold_errors.append(repr(error))

    threads = [
        threading.Thread(target=confirm, args=(order_ids[:orders_per_worker],)),
        threading.Thread(target=confirm, args=(order_ids[orders_per_worker:],)),
        threading.Thread(target=fold),
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads[:2]:
        thread.join()
    stop.set()
    threads[2].join()
    elapsed = time.perf_counter() - started
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["customer.profile.refresh.queue"]._cron_refresh_live()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        count = env["res.partner"].browse(partner_id).order_count
    return {
        "orders": 2 * orders_per_worker,
        "order_count": count,
        "user_errors": errors,
        "fold_errors": len(fold_errors),
        "elapsed": elapsed,
    }


def mb(kb):
    return f"{kb / 1024:,.0f} MB"


def print_report(passes):
    rows = [
        ("partners", lambda p: f"{p['partners']:,}"),
        ("batches (calls)", lambda p: f"{p['batches']} ({p['calls']})"),
        ("pass wall time", lambda p: f"{p['elapsed']:.1f} s"),
        ("partners / second", lambda p: f"{p['partners_per_second']:,.0f}"),
        (
            "queries per batch min/max",
            lambda p: f"{p['queries_min']} / {p['queries_max']}",
        ),
        (
            "  after the first call",
            lambda p: (
                f"{p['queries_after_first_min']} / {p['queries_after_first_max']}"
            ),
        ),
        (
            "first call (starts pass)",
            lambda p: f"{p['first_call_wall']:.2f} s, {p['first_call_queries']} q",
        ),
        (
            "batch wall p50 / p95",
            lambda p: f"{p['wall_p50']:.2f} s / {p['wall_p95']:.2f} s",
        ),
        ("batch wall max", lambda p: f"{p['wall_max']:.2f} s"),
        ("peak RSS (ru_maxrss)", lambda p: mb(p["peak_rss_kb"])),
        (
            "RSS start -> end",
            lambda p: f"{mb(p['rss_start_kb'])} -> {mb(p['rss_end_kb'])}",
        ),
        ("partners written", lambda p: f"{p['written']:,}"),
        ("lifecycle history rows", lambda p: f"{p['history_rows']:,}"),
        ("tier history rows", lambda p: f"{p['tier_history_rows']:,}"),
        (
            "load average start/end",
            lambda p: f"{p['load_start']:.1f} / {p['load_end']:.1f}",
        ),
    ]
    names = [name for name, _measures in passes]
    width = max(len(label) for label, _fmt in rows) + 2
    print()
    print(" " * width + "".join(f"{name:>28}" for name in names))
    for label, fmt in rows:
        print(
            f"{label:<{width}}"
            + "".join(f"{fmt(measures):>28}" for _name, measures in passes)
        )


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        default="cr_bench",
        help="bench database; its name must start with cr_bench (default cr_bench)",
    )
    parser.add_argument(
        "--partners",
        type=int,
        default=100000,
        metavar="N",
        help="commercial partners to generate (default 100000)",
    )
    parser.add_argument(
        "--orders",
        type=int,
        default=1000000,
        metavar="M",
        help="confirmed sale orders to generate (default 1000000)",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=5000,
        help="batch_size passed to _cron_refresh_profiles (default 5000)",
    )
    parser.add_argument("--seed", type=float, default=0.42, help="setseed() value")
    parser.add_argument(
        "--companies",
        type=int,
        default=1,
        metavar="K",
        help="companies sharing every customer, the orders spread over them "
        "(default 1)",
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="drop and build the database even when it holds the same N/M",
    )
    parser.add_argument(
        "--addons-path",
        default=os.environ.get("ADDONS_PATH"),
        help="Odoo addons path (default $ADDONS_PATH)",
    )
    parser.add_argument("--json", metavar="FILE", help="also write the measures")
    parser.add_argument(
        "--confirmations",
        type=int,
        default=1000,
        help="orders confirmed with and without the live hook (default 1000)",
    )
    args = parser.parse_args()
    if not re.fullmatch(r"cr_bench[a-z0-9_]*", args.db):
        parser.error("--db must start with cr_bench (lower case, digits, _)")
    if not args.addons_path:
        parser.error("--addons-path (or $ADDONS_PATH) is required")
    if args.partners < 1 or args.orders < 0 or args.batch_size < 1:
        parser.error("--partners and --batch-size must be positive, --orders >= 0")
    if not -1 <= args.seed <= 1:
        parser.error("--seed must be between -1 and 1")
    return args


def prepare_database(args, odoo_src):
    wanted = {
        "partners": args.partners,
        "orders": args.orders,
        "seed": args.seed,
        "companies": args.companies,
    }
    exists = database_exists(args.db)
    if exists and not args.rebuild and stored_dataset(args.db) == wanted:
        log(f"Reusing {args.db} ({args.partners:,} partners, {args.orders:,} orders)")
        install_addon(args.db, args.addons_path, odoo_src, update=True)
        reset_profiles(args.db)
        return
    if exists:
        log(f"Dropping {args.db}")
        drop_database(args.db)
    started = time.perf_counter()
    install_addon(args.db, args.addons_path, odoo_src)
    log(f"  installed in {time.perf_counter() - started:.1f} s")
    if args.companies > 1:
        create_companies(args.db, args.addons_path, odoo_src, args.companies)
    log(f"Generating {args.partners:,} partners and {args.orders:,} orders (SQL)")
    generate_data(args.db, args.partners, args.orders, args.seed, args.companies)
    log(f"Database ready in {time.perf_counter() - started:.1f} s")


def main():
    args = parse_args()
    odoo_src = os.environ.get("ODOO_SRC")
    if not odoo_src or not os.path.isfile(os.path.join(odoo_src, "odoo-bin")):
        sys.exit("Set ODOO_SRC to the Odoo 18.0 source tree (or use scripts/bench.sh)")
    prepare_database(args, odoo_src)

    sys.path.insert(0, odoo_src)
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(
        [
            f"--addons-path={args.addons_path}",
            f"--database={args.db}",
            f"--db-filter=^{args.db}$",
            "--log-level=warn",
            "--workers=0",
            "--max-cron-threads=0",
        ]
    )
    registry = Registry(args.db)
    from odoo.addons.customer_relationship.models.sale_order import (
        PROFILE_ORDER_INDEX,
    )

    dataset_summary(args.db, PROFILE_ORDER_INDEX)
    results = []
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        print(
            f"Batch size {args.batch_size}; memory: peak resident set size of this "
            f"process (ru_maxrss), Odoo registry included "
            f"({mb(peak_rss_kb())} before the first pass)"
        )
        log("Set-based SQL baseline (rolled back)")
        baseline = set_based_baseline(env)
        compact(args.db)
        log("First pass (full)")
        results.append(("first (full)", run_pass(env, args.batch_size)))
        log("Second pass (nothing changed)")
        engine = env["customer.profile.refresh"]
        engine.search([("date", "=", engine._today())]).unlink()
        cr.commit()
        results.append(("second (no change)", run_pass(env, args.batch_size)))
        print_report(results)
        print("\nProfiles after the passes ('-': none):")
        print("\n".join(profile_summary(cr)))
        size, plan = explain_batch_query(env, args.batch_size)
        full, second = results[0][1], results[1][1]
        print(
            f"\nFull pass {full['elapsed']:.1f} s ({full['written']:,} partners, "
            f"{full['history_rows']:,} lifecycle and {full['tier_history_rows']:,} "
            f"tier history rows written) vs one set-based statement computing the "
            f"same facts and writing the same tables, on the same empty profiles "
            f"{baseline['elapsed']:.1f} s ({baseline['rows']:,} partners, "
            f"{baseline['lifecycle_rows']:,} lifecycle and "
            f"{baseline['tier_rows']:,} tier history rows): "
            f"{full['elapsed'] / baseline['elapsed']:.2f} x (target <= 1.5)"
        )
        print(
            f"No-change pass {second['elapsed']:.1f} s = "
            f"{second['elapsed'] / full['elapsed']:.2f} x the full pass "
            f"(target <= 0.3), {second['written']} rows written"
        )
        log(f"Confirming {args.confirmations} orders, with and without the live hook")
        confirmations = bench_confirmations(env, args.confirmations)
        print(
            f"\nConfirming {confirmations['count']} orders one by one (a commit "
            f"each): without the live hook {confirmations['without_s']:.2f} s "
            f"({confirmations['without_queries']:.1f} queries each), with it "
            f"{confirmations['with_s']:.2f} s "
            f"({confirmations['with_queries']:.1f} queries each): "
            f"{confirmations['with_s'] / confirmations['without_s']:.2f} x "
            f"(target <= 1.2); the profile written in the confirmation itself "
            f"instead: {confirmations['inline_s']:.2f} s "
            f"({confirmations['inline_queries']:.1f} queries each, "
            f"{confirmations['inline_s'] / confirmations['without_s']:.2f} x); "
            f"folding the {confirmations['queued']} queued rows: "
            f"{confirmations['fold_s']:.2f} s"
        )
    log("Two workers confirming orders of one customer, a third folding")
    workers = bench_two_workers(registry)
    print(
        f"\nTwo workers, {workers['orders']} orders of one customer in "
        f"{workers['elapsed']:.1f} s: order count {workers['order_count']} "
        f"(expected {workers['orders']}), errors reaching a user: "
        f"{len(workers['user_errors'])}, fold calls retried: {workers['fold_errors']}"
    )
    print()
    print(
        f"EXPLAIN (ANALYZE, BUFFERS) of the batch aggregate query "
        f"({size} partners from the middle of the id range):"
    )
    print("\n".join("    " + line for line in plan))
    uses_index = any(PROFILE_ORDER_INDEX in line for line in plan)
    index_only = any(
        f"Index Only Scan using {PROFILE_ORDER_INDEX}" in line for line in plan
    )
    print(
        f"sale_order read through {PROFILE_ORDER_INDEX}: "
        + ("yes (index-only scan)" if index_only else "yes" if uses_index else "NO")
    )
    if args.json:
        with open(args.json, "w") as out:
            json.dump(
                {"args": vars(args), "passes": dict(results), "explain": plan},
                out,
                indent=2,
            )
    if workers["user_errors"] or workers["order_count"] != workers["orders"]:
        sys.exit(f"Two workers: {workers}")
    second = results[1][1]
    if second["written"]:
        sys.exit(f"The second pass wrote {second['written']} partners, expected 0")
    if not uses_index:
        sys.exit(f"The batch query does not use {PROFILE_ORDER_INDEX}")


if __name__ == "__main__":
    main()
