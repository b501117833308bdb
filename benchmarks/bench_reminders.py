#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""On-demand benchmark of the daily reminders (not a test).

Builds (or reuses) a database with N customers spread over S salespeople,
their profiles and follow-up dates generated in SQL, then runs the reminder
job through its cron entry point, as the cron runner does, three times: the
first run after the install (no reminder yet), a second run the same day
(nothing changed), and the next day's run after the salespeople handled half
of their reminders. It prints, per run: wall time (and its parts: the queue
computed, the job's reminders brought up to date, the reminders created),
calls, queries, reminders created (follow-ups, paced, and greetings, apart),
the most open follow-up reminders of one salesperson, the queue size and the
customers nobody can be reminded for.

Run it with ``scripts/bench.sh --reminders`` or
``make bench ARGS="--reminders --customers 100000 --salespeople 20"``.

The generated customers: 30 % companies with 0 to 3 contacts, the others
individuals; 80 % bought (tiers A 10 %, B 20 %, C 70 %, log-normal window
revenue), 15 % dormant, some with their reorder date past; 60 % followed up in
the last 200 days (next follow-up on the tier's cadence), the others never;
10 % of those who never bought are prospects; 5 % accept greetings (birthdays
on contacts, company anniversaries), 5 % have minimum days between contacts,
1 % are not to be contacted; 2 % have a call their salesperson planned; and
``--unassigned`` (default 5 %) have no salesperson and their sales team no
leader: nobody can be reminded for them.

A later run with the same options and on the same day reuses the database:
the addon is updated, the job's reminders and queue removed (the follow-ups
recorded by the reminders handled in the earlier run stay); ``--rebuild``
builds it again.
"""

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from datetime import date, timedelta
from unittest.mock import patch

ADDON = "customer_relationship"
HERE = os.path.dirname(os.path.abspath(__file__))
DATASET_PARAM = "customer_relationship_bench.reminders_dataset"


def load_bench_refresh():
    """The refresh benchmark's database helpers (install, connect, log)."""
    spec = importlib.util.spec_from_file_location(
        f"{ADDON}_bench_refresh", os.path.join(HERE, "bench_refresh.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


common = load_bench_refresh()
log = common.log


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------


def stored_dataset(db):
    cnx = common.connect(db)
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
    except common.psycopg2.Error:
        return None
    finally:
        cnx.close()


def update_addon(db, addons_path, odoo_src):
    """Update the addon of a reused database to the code being measured."""
    log(f"Updating {ADDON} in {db} (odoo-bin)")
    logfile = f"/tmp/{db}.update.log"
    cmd = [
        sys.executable,
        os.path.join(odoo_src, "odoo-bin"),
        f"--addons-path={addons_path}",
        f"--database={db}",
        f"--db-filter=^{db}$",
        f"--update={ADDON}",
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
        sys.exit(f"Updating {ADDON} failed (rc {rc}); see {logfile}")


def create_salespeople(env, count):
    """``count`` internal users, relationship users of their own customers."""
    groups = [
        env.ref("sales_team.group_sale_salesman").id,
        env.ref(f"{ADDON}.group_user_own").id,
    ]
    users = (
        env["res.users"]
        .with_context(no_reset_password=True, mail_create_nosubscribe=True)
        .create(
            [
                {
                    "name": f"Bench Salesperson {i:03d}",
                    "login": f"bench_sales_{i:03d}",
                    "groups_id": [(6, 0, groups)],
                }
                for i in range(count)
            ]
        )
    )
    return users.ids


def by_company(value):
    """SQL of the company-dependent column's value ``value`` (an SQL
    expression) for the company whose id as text is the ``%(key)s``
    parameter: ``{"<company id>": value}``, NULL when the value is NULL."""
    return (
        f"CASE WHEN {value} IS NULL THEN NULL "
        f"ELSE jsonb_build_object(%(key)s, {value}) END"
    )


def generate_data(env, customers, salespeople, unassigned, seed, today):
    """Customers, contacts, profiles, follow-up dates and planned calls, in
    SQL (the salespeople through the ORM)."""
    cr = env.cr
    user_ids = create_salespeople(env, salespeople)
    tiers = [env.ref(f"{ADDON}.customer_tier_{code}").id for code in "abc"]
    # A team without leader: the orders of the unassigned customers name it,
    # so that the job looks for a leader and finds none.
    team = env["crm.team"].create({"name": "Bench team without leader"})
    team.user_id = False
    company = env.company
    call_type = env.ref("mail.mail_activity_data_call").id
    model_id = env["ir.model"]._get_id("res.partner")
    env.flush_all()
    cr.execute("SET LOCAL synchronous_commit = off")
    cr.execute("SELECT setseed(%s)", [seed])
    cr.execute("SELECT nextval('res_partner_id_seq')")
    base_id = cr.fetchone()[0]
    started = time.perf_counter()
    cr.execute(
        """
        CREATE TEMP TABLE bench_customer AS
        WITH c AS (
            SELECT i, random() < 0.3 AS is_company, random() AS r_buy,
                   random() AS r_tier, random() AS r_user, random() AS r_follow,
                   random() AS r_misc, random() AS r_stage
              FROM generate_series(1, %(n)s) i
        )
        SELECT c.*,
               CASE WHEN is_company THEN floor(random() * 4)::int ELSE 0 END
                   AS contacts
          FROM c
        """,
        {"n": customers},
    )
    cr.execute(
        """
        ALTER TABLE bench_customer ADD COLUMN id int;
        UPDATE bench_customer b SET id = %(base)s + s.rank
          FROM (SELECT i, (i - 1) + COALESCE(SUM(contacts) OVER (
                       ORDER BY i ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
                       0) AS rank
                  FROM bench_customer) s
         WHERE s.i = b.i
        """,
        {"base": base_id},
    )
    # The company-dependent columns (customer_tier_id to last_followup_source,
    # is_customer_blacklisted, tier_locked) hold {"<company id>": value}: the
    # values are computed in ``v``, then put under the company's key. False
    # (next_followup_manual, is_customer_blacklisted, tier_locked) is no value.
    cr.execute(
        f"""
        INSERT INTO res_partner (
            id, name, complete_name, commercial_partner_id, is_company, type,
            active, lang, email, user_id, autopost_bills, invoice_warn, sale_warn,
            customer_rank, supplier_rank, partner_share, color, message_bounce,
            company_id, customer_tier_id, order_count, first_order_date,
            last_order_date, window_revenue, lifecycle_stage, lifecycle_stage_date,
            expected_reorder_date, last_followup_date, next_followup_date,
            next_followup_manual, last_followup_source, purchase_intent,
            greetings_opt_in, company_anniversary, min_contact_interval_days,
            do_not_contact, is_customer_blacklisted, tier_locked,
            create_uid, create_date, write_uid, write_date)
        SELECT id, name, name, id, is_company, 'contact', true, 'en_US', email,
               user_id, 'ask', 'no-message', 'no-message', customer_rank, 0, true,
               0, 0, %(company)s, {by_company("customer_tier_id")},
               {by_company("order_count")}, {by_company("first_order_date")},
               {by_company("last_order_date")}, {by_company("window_revenue")},
               {by_company("lifecycle_stage")},
               {by_company("lifecycle_stage_date")},
               {by_company("expected_reorder_date")},
               {by_company("last_followup_date")},
               {by_company("next_followup_date")}, NULL,
               {by_company("last_followup_source")}, purchase_intent,
               greetings_opt_in, company_anniversary, min_contact_interval_days,
               do_not_contact, NULL, NULL,
               1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
          FROM (
        SELECT id, name, is_company,
               'customer' || i || '@bench.example.com' AS email,
               CASE WHEN r_user >= %(unassigned)s
                    THEN (%(users)s::int[])[1 + (i %% %(salespeople)s)] END
                   AS user_id,
               CASE WHEN buyer THEN 1 ELSE 0 END AS customer_rank,
               CASE WHEN buyer THEN
                   CASE WHEN r_tier < 0.1 THEN %(tier_a)s
                        WHEN r_tier < 0.3 THEN %(tier_b)s ELSE %(tier_c)s END END
                   AS customer_tier_id,
               CASE WHEN buyer THEN 1 + floor(r_misc * 20)::int ELSE 0 END
                   AS order_count,
               CASE WHEN buyer THEN %(today)s::date - 400 END AS first_order_date,
               CASE WHEN buyer THEN %(today)s::date - floor(r_stage * 300)::int END
                   AS last_order_date,
               CASE WHEN buyer
                    THEN round(exp(ln(2000) + 4.8 * (0.5 - r_tier))::numeric, 2)
               END AS window_revenue,
               CASE WHEN NOT buyer THEN 'potential'
                    WHEN r_stage < 0.15 THEN 'dormant_temporary' ELSE 'new' END
                   AS lifecycle_stage,
               %(today)s::date - 30 AS lifecycle_stage_date,
               CASE WHEN buyer AND r_stage >= 0.15
                    THEN %(today)s::date - 60 + floor(r_misc * 120)::int END
                   AS expected_reorder_date,
               last_followup AS last_followup_date,
               last_followup + cadence AS next_followup_date,
               CASE WHEN last_followup IS NOT NULL THEN 'log' END
                   AS last_followup_source,
               CASE WHEN NOT buyer AND r_misc < 0.1 THEN 'interested' END
                   AS purchase_intent,
               r_follow < 0.05 AS greetings_opt_in,
               CASE WHEN is_company AND r_misc < 0.1
                    THEN %(today)s::date - 365 * 5 + floor(r_misc * 3650)::int END
                   AS company_anniversary,
               CASE WHEN r_stage BETWEEN 0.5 AND 0.55 THEN 30 ELSE 0 END
                   AS min_contact_interval_days,
               r_misc > 0.99 AS do_not_contact
          FROM (SELECT b.*,
                       r_buy < 0.8 AS buyer,
                       CASE WHEN is_company THEN 'Bench Company ' || i
                            ELSE 'Bench Customer ' || i END AS name,
                       CASE WHEN r_follow < 0.6
                            THEN %(today)s::date - 1 - floor(r_follow * 333)::int
                       END AS last_followup,
                       CASE WHEN r_buy >= 0.8 THEN 30
                            WHEN r_tier < 0.1 THEN 14
                            WHEN r_tier < 0.3 THEN 30 ELSE 90 END AS cadence
                  FROM bench_customer b) c
               ) v
        """,
        {
            "key": str(company.id),
            "unassigned": unassigned,
            "users": user_ids,
            "salespeople": salespeople,
            "company": company.id,
            "tier_a": tiers[0],
            "tier_b": tiers[1],
            "tier_c": tiers[2],
            "today": today,
        },
    )
    cr.execute(
        """
        INSERT INTO res_partner (
            id, name, complete_name, commercial_partner_id, parent_id, is_company,
            type, active, lang, email, autopost_bills, invoice_warn, sale_warn,
            customer_rank, supplier_rank, partner_share, color, message_bounce,
            company_id, birthday, create_uid, create_date, write_uid, write_date)
        SELECT c.id + k, 'Contact ' || k || ' of ' || c.i,
               'Bench Company ' || c.i || ', Contact ' || k, c.id, c.id, false,
               'contact', true, 'en_US',
               'contact' || k || '.' || c.i || '@bench.example.com',
               'ask', 'no-message', 'no-message', 0, 0, true, 0, 0, %(company)s,
               CASE WHEN random() < 0.2
                    THEN date '1970-01-01' + floor(random() * 12000)::int END,
               1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
          FROM bench_customer c, generate_series(1, c.contacts) k
         WHERE c.contacts > 0
        """,
        {"company": company.id},
    )
    cr.execute("SELECT setval('res_partner_id_seq', (SELECT max(id) FROM res_partner))")
    # Orders of the unassigned customers, sold by the team without leader.
    cr.execute(
        """
        INSERT INTO sale_order (
            name, state, company_id, partner_id, partner_invoice_id,
            partner_shipping_id, currency_id, currency_rate, date_order,
            amount_untaxed, amount_tax, amount_total, team_id, invoice_status,
            locked, require_signature, require_payment, prepayment_percent,
            create_uid, create_date, write_uid, write_date)
        SELECT 'SB' || p.id, 'sale', %(company)s, p.id, p.id, p.id, %(currency)s, 1,
               now() AT TIME ZONE 'UTC' - interval '100 days', 100, 0, 100,
               %(team)s, 'no', false, false, false, 1.0,
               1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
          FROM res_partner p
         WHERE p.id > %(base)s AND p.parent_id IS NULL AND p.user_id IS NULL
           AND (p.order_count->>%(key)s)::int > 0
        """,
        {
            "key": str(company.id),
            "company": company.id,
            "currency": company.currency_id.id,
            "team": team.id,
            "base": base_id - 1,
        },
    )
    # Calls the salespeople planned themselves.
    cr.execute(
        """
        INSERT INTO mail_activity (
            res_model_id, res_model, res_id, res_name, activity_type_id, summary,
            date_deadline, user_id, active, create_uid, create_date, write_uid,
            write_date)
        SELECT %(model)s, 'res.partner', p.id, p.name, %(call)s, 'Call planned',
               %(today)s::date + 5, p.user_id, true, p.user_id,
               now() AT TIME ZONE 'UTC', p.user_id, now() AT TIME ZONE 'UTC'
          FROM res_partner p
         WHERE p.id > %(base)s AND p.parent_id IS NULL AND p.user_id IS NOT NULL
           AND random() < 0.02
        """,
        {
            "model": model_id,
            "call": call_type,
            "today": today,
            "base": base_id - 1,
        },
    )
    cr.execute(
        """INSERT INTO ir_config_parameter
                  (key, value, create_uid, create_date, write_uid, write_date)
           VALUES (%s, %s, 1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC')
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value""",
        [
            DATASET_PARAM,
            json.dumps(
                {
                    "customers": customers,
                    "salespeople": salespeople,
                    "unassigned": unassigned,
                    "seed": seed,
                    "today": today.isoformat(),
                }
            ),
        ],
    )
    env.invalidate_all()
    cr.commit()
    log(f"  data generated in {time.perf_counter() - started:.1f} s")


def reset_reminders(env):
    """Remove the job's reminders, the queue and the run in progress: the next
    run is a first run."""
    cr = env.cr
    cr.execute("DELETE FROM mail_activity WHERE customer_reminder_kind IS NOT NULL")
    removed = cr.rowcount
    cr.execute("DELETE FROM customer_followup_queue")
    cr.execute(
        "DELETE FROM ir_config_parameter WHERE key = %s",
        [f"{ADDON}.reminder_run_date"],
    )
    cr.execute(
        """DELETE FROM ir_cron_trigger WHERE cron_id IN (
               SELECT res_id FROM ir_model_data
                WHERE module = %s AND name = 'ir_cron_relationship_reminders')""",
        [ADDON],
    )
    env.invalidate_all()
    env.registry.clear_cache()
    cr.commit()
    return removed


# ----------------------------------------------------------------------
# Runs
# ----------------------------------------------------------------------


class Timer:
    """Wall time spent in some methods of the reminder job."""

    def __init__(self, model_class, names):
        self.totals = dict.fromkeys(names, 0.0)
        self.patches = []
        for name in names:
            original = getattr(model_class, name)

            def timed(*args, _original=original, _name=name, **kwargs):
                started = time.perf_counter()
                try:
                    return _original(*args, **kwargs)
                finally:
                    self.totals[_name] += time.perf_counter() - started

            self.patches.append(patch.object(model_class, name, timed))

    def __enter__(self):
        for p in self.patches:
            p.start()
        return self

    def __exit__(self, *exc):
        for p in self.patches:
            p.stop()


def counts(cr, capacity):
    cr.execute(
        """SELECT count(*) FILTER (WHERE customer_reminder_kind
                                   IN ('followup', 'prospect', 'winback', 'reorder')),
                  count(*) FILTER (WHERE customer_reminder_kind
                                   IN ('birthday', 'anniversary', 'holiday'))
             FROM mail_activity WHERE customer_reminder_kind IS NOT NULL AND active"""
    )
    paced, greetings = cr.fetchone()
    cr.execute(
        """SELECT COALESCE(max(n), 0) FROM (
               SELECT count(*) AS n FROM mail_activity
                WHERE active AND customer_reminder_kind
                      IN ('followup', 'prospect', 'winback', 'reorder')
             GROUP BY user_id) s"""
    )
    most = cr.fetchone()[0]
    cr.execute(
        """SELECT count(*), count(*) FILTER (WHERE state = 'waiting' AND paced),
                  count(DISTINCT customer_id) FILTER (WHERE user_id IS NULL),
                  count(*) FILTER (WHERE state = 'planned')
             FROM customer_followup_queue"""
    )
    queue, waiting, nobody, planned = cr.fetchone()
    return {
        "open_paced": paced,
        "open_greetings": greetings,
        "most_open_per_salesperson": most,
        "queue_rows": queue,
        "queue_waiting": waiting,
        "customers_of_nobody": nobody,
        "planned_by_people": planned,
        "capacity": capacity,
    }


def run_job(env, today, batch_size):
    """Call the cron entry point as the cron runner does until nothing
    remains; return the measures."""
    cr = env.cr
    job = env["customer.relationship.reminder"]
    cron = env.ref(f"{ADDON}.ir_cron_relationship_reminders")
    capacity = env.company._relationship_setting("followup_daily_capacity")
    before = counts(cr, capacity)
    calls = []
    names = ("_refresh_queue", "_sync_activities", "_create_batch")
    started = time.perf_counter()
    with (
        Timer(type(job), names) as timer,
        patch.object(type(job), "_today", lambda self: today),
    ):
        for _i in range(1000):
            cron_with_progress, progress = cron._add_progress()
            cr.commit()
            queries = cr.sql_log_count
            call_started = time.perf_counter()
            job.with_context(
                **cron_with_progress.env.context
            )._cron_relationship_reminders(batch_size=batch_size)
            env.flush_all()
            cr.commit()
            calls.append(
                {
                    "wall": time.perf_counter() - call_started,
                    "queries": cr.sql_log_count - queries,
                    "created": progress.done,
                    "remaining": progress.remaining,
                }
            )
            if not progress.remaining:
                break
    elapsed = time.perf_counter() - started
    after = counts(cr, capacity)
    return {
        "elapsed": elapsed,
        "calls": len(calls),
        "queries": sum(c["queries"] for c in calls),
        "created": sum(c["created"] for c in calls),
        "parts": dict(timer.totals),
        "before": before,
        "after": after,
        "per_call": calls,
        "load": os.getloadavg()[0],
    }


def handle_half(env):
    """The salespeople mark half of their open follow-up reminders done
    (through the ORM: the follow-up writer records each)."""
    cr = env.cr
    cr.execute(
        """SELECT id FROM mail_activity
            WHERE active AND customer_reminder_kind
                  IN ('followup', 'prospect', 'winback', 'reorder')
              AND id % 2 = 0"""
    )
    ids = [row[0] for row in cr.fetchall()]
    started = time.perf_counter()
    activities = env["mail.activity"].browse(ids)
    for user, group in activities.grouped("user_id").items():
        group.with_user(user).action_feedback(feedback="Called")
    env.flush_all()
    cr.commit()
    log(
        f"  {len(ids):,} reminders marked done in {time.perf_counter() - started:.1f} s"
    )
    return len(ids)


def print_report(runs, args):
    rows = [
        ("wall time", lambda r: f"{r['elapsed']:.2f} s"),
        ("  queue computed", lambda r: f"{r['parts']['_refresh_queue']:.2f} s"),
        ("  reminders synced", lambda r: f"{r['parts']['_sync_activities']:.2f} s"),
        ("  reminders created", lambda r: f"{r['parts']['_create_batch']:.2f} s"),
        ("calls (batches)", lambda r: f"{r['calls']}"),
        ("queries", lambda r: f"{r['queries']:,}"),
        ("reminders created", lambda r: f"{r['created']:,}"),
        (
            "open follow-ups / greetings",
            lambda r: (
                f"{r['after']['open_paced']:,} / {r['after']['open_greetings']:,}"
            ),
        ),
        (
            "most open per salesperson",
            lambda r: f"{r['after']['most_open_per_salesperson']}",
        ),
        ("queue rows", lambda r: f"{r['after']['queue_rows']:,}"),
        ("  waiting follow-ups", lambda r: f"{r['after']['queue_waiting']:,}"),
        ("  planned by people", lambda r: f"{r['after']['planned_by_people']:,}"),
        (
            "customers of nobody",
            lambda r: f"{r['after']['customers_of_nobody']:,}",
        ),
        ("load average", lambda r: f"{r['load']:.1f}"),
    ]
    width = max(len(label) for label, _fmt in rows) + 2
    print()
    print(
        f"{args.customers:,} customers, {args.salespeople} salespeople, capacity "
        f"{args.capacity} new follow-up reminders a day and open ones each "
        f"(at most {args.capacity * args.salespeople:,} in all)"
    )
    print(" " * width + "".join(f"{name:>24}" for name, _run in runs))
    for label, fmt in rows:
        print(f"{label:<{width}}" + "".join(f"{fmt(run):>24}" for _name, run in runs))


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        default="cr_bench_reminders",
        help="bench database; its name must start with cr_bench",
    )
    parser.add_argument("--customers", type=int, default=100000, metavar="N")
    parser.add_argument("--salespeople", type=int, default=20, metavar="S")
    parser.add_argument(
        "--unassigned",
        type=float,
        default=0.05,
        help="share of customers nobody can be reminded for (default 0.05)",
    )
    parser.add_argument(
        "--capacity",
        type=int,
        default=20,
        help="follow-up reminders per salesperson (default 20, the setting's)",
    )
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--seed", type=float, default=0.42)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--addons-path", default=os.environ.get("ADDONS_PATH"))
    parser.add_argument("--json", metavar="FILE", help="also write the measures")
    args = parser.parse_args()
    if not re.fullmatch(r"cr_bench[a-z0-9_]*", args.db):
        parser.error("--db must start with cr_bench (lower case, digits, _)")
    if not args.addons_path:
        parser.error("--addons-path (or $ADDONS_PATH) is required")
    if args.customers < 1 or args.salespeople < 1 or not 0 <= args.unassigned <= 1:
        parser.error("--customers and --salespeople must be positive")
    return args


def main():
    args = parse_args()
    odoo_src = os.environ.get("ODOO_SRC")
    if not odoo_src or not os.path.isfile(os.path.join(odoo_src, "odoo-bin")):
        sys.exit("Set ODOO_SRC to the Odoo 18.0 source tree (or use scripts/bench.sh)")
    today = date.today()
    wanted = {
        "customers": args.customers,
        "salespeople": args.salespeople,
        "unassigned": args.unassigned,
        "seed": args.seed,
        "today": today.isoformat(),
    }
    exists = common.database_exists(args.db)
    reuse = exists and not args.rebuild and stored_dataset(args.db) == wanted
    if reuse:
        update_addon(args.db, args.addons_path, odoo_src)
    else:
        if exists:
            log(f"Dropping {args.db}")
            common.drop_database(args.db)
        started = time.perf_counter()
        common.install_addon(args.db, args.addons_path, odoo_src)
        log(f"  installed in {time.perf_counter() - started:.1f} s")

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
    runs = []
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if reuse:
            log(f"Reusing {args.db}: removed {reset_reminders(env):,} reminders")
        else:
            log(
                f"Generating {args.customers:,} customers over "
                f"{args.salespeople} salespeople (SQL)"
            )
            generate_data(
                env,
                args.customers,
                args.salespeople,
                args.unassigned,
                args.seed,
                today,
            )
            common.vacuum_analyze(args.db)
        env["ir.config_parameter"].set_param(
            f"{ADDON}.followup_daily_capacity", str(args.capacity)
        )
        cr.commit()
        log("First run after the install")
        runs.append(("first run", run_job(env, today, args.batch_size)))
        log("Second run, the same day")
        runs.append(("same day again", run_job(env, today, args.batch_size)))
        log("The salespeople handle half of their reminders")
        handle_half(env)
        log("Next day's run")
        runs.append(
            ("next day", run_job(env, today + timedelta(days=1), args.batch_size))
        )
    print_report(runs, args)
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"args": vars(args), "runs": dict(runs)}, out, indent=2)
    limit = args.capacity * args.salespeople
    for name, run in runs:
        if run["after"]["most_open_per_salesperson"] > args.capacity:
            sys.exit(f"{name}: a salesperson has more than {args.capacity} reminders")
        if run["after"]["open_paced"] > limit:
            sys.exit(f"{name}: more than {limit} follow-up reminders")
    if runs[1][1]["created"]:
        sys.exit("The second run the same day created reminders")


if __name__ == "__main__":
    main()
