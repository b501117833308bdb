# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The relationship rules, as plain functions over plain values.

Nothing here touches the ORM or the database, so every rule can be read and
unit-tested on its own. The profile refresh gathers the facts of a batch of
customers with SQL, calls these functions, and writes what changed.

Reading of the seeds (客户关系管理) that these rules implement:

* Tier (客户等级): by thresholds (the first tier, in sequence order, whose
  minimum window revenue and minimum window orders the customer reaches), or
  by Pareto shares (the customers making the first 80 % of the window revenue
  get the first tier, the next 15 % the second, the rest the others). A
  customer who never ordered has no tier; a locked tier is kept.
* Lifecycle (客户分层): potential (no confirmed order), new (first orders),
  mature (at least N orders), loyal (mature, ordering steadily, loyalty score at
  least L), dormant temporary (last order older than the dormancy threshold:
  the larger of D days and twice the customer's own average days between
  orders), dormant permanent (after F times that threshold, or when a temporary
  dormancy that began after an unresolved complaint has lasted C days).
* Value segment (客户价值类型): golden (high value, steady), meteor (high
  value, not steady), small star (low value, steady), burden (low value and
  costly: complaints in the revenue window, a refund counting twice, reach the
  limit). High value: a
  customer of a high-value tier. Steady: orders in at least S of the last W
  months. A low-value customer who is neither steady nor costly has no segment.
* Loyalty score (忠诚度, 0-100): repeat purchases (up to 60 points: repeat
  orders and the months with orders) plus 10 points per recorded signal (gives
  suggestions, follows new products, refers others, rejects competitors), minus
  10 points per open complaint; what the customer said after its complaints
  counts too: 10 points per good satisfaction rating (4 or 5 stars) and minus
  10 per bad one (1 or 2 stars) of the complaints closed in the rating window.
* Luxury relationship (奢侈的关系): a partner or strategic alliance level on a
  customer of the lowest tier, or whose cost in the revenue window (posted
  credit notes, refunds granted through complaints without credit note, and
  a set cost per complaint handled) exceeds a set share of its window
  revenue; the flag says which rule (or both).
* Stage dates ("became X on"): the day it happened, not the day a pass
  noticed it: new on the first order, mature on the order that made it
  mature, dormant on the day the dormancy threshold was crossed (last order
  + threshold + 1 day), permanently dormant likewise (or when the year after
  a complaint ended), back from dormancy on the order that woke it up; loyal
  after mature, and mature after loyal, on the day the facts changed.
* Tier reason: the numbers and the rule that gave a customer its tier, as
  data (``tier_reason``); the model turns them into a sentence.
* Quadrant: core (loyal and strong), develop (loyal and weak), balance (not
  loyal and strong), phase out (not loyal and weak).
"""

from collections import namedtuple
from datetime import timedelta

Settings = namedtuple(
    "Settings",
    [
        "mature_order_count",
        "loyal_score",
        "dormant_days",
        "dormant_permanent_factor",
        "dormant_after_complaint_days",
        "steady_months",
        "steady_window_months",
        "burden_complaint_count",
    ],
)
Tier = namedtuple("Tier", ["id", "min_revenue", "min_order_count", "is_high_value"])
# What the refresh knows of one customer, gathered by SQL for a batch.
Facts = namedtuple(
    "Facts",
    [
        "order_count",  # confirmed orders, ever
        "first_order_date",
        "last_order_date",
        "window_revenue",  # in the revenue window, main company currency
        "window_order_count",
        "months_with_orders",  # in the steadiness window
        "signals",  # the four recorded loyalty signals, as booleans
        "open_complaints",
        "costly_count",  # complaints and credit notes in the revenue window
        "dormant_after_complaint",  # an unresolved complaint preceded dormancy
        "mature_order_date",  # date of the order that made it mature (Nth order)
        "created_date",  # when the partner was created
        "good_ratings",  # complaints closed in the rating window, rated 4-5
        "bad_ratings",  # likewise, rated 1-2
        "window_cost",  # what the customer cost in the revenue window
    ],
    defaults=(None, None, 0, 0, 0.0),
)

# The profile values the engine decides, with their column types: what the
# refresh reads as "current", what ``decide_profile`` returns, what it writes.
ENGINE_COLUMNS = {
    "customer_tier_id": "int4",
    "lifecycle_stage": "varchar",
    "lifecycle_stage_date": "date",
    "value_segment": "varchar",
    "loyalty_score": "int4",
    "loyalty_quadrant": "varchar",
    "first_order_date": "date",
    "last_order_date": "date",
    "order_count": "int4",
    "window_revenue": "numeric",
    "window_cost": "numeric",
    "average_order_interval": "float8",
    "expected_reorder_date": "date",
}

# Points of the loyalty score.
REPEAT_ORDER_POINTS = 30  # reached at 10 repeat orders
REPEAT_ORDER_CAP = 10
STEADY_MONTH_POINTS = 30  # reached when ordering every month of the window
SIGNAL_POINTS = 10
OPEN_COMPLAINT_PENALTY = 10
GOOD_RATING_POINTS = 10
BAD_RATING_PENALTY = 10
# Satisfaction ratings (rating.rating, 1 to 5 stars): at least GOOD is good,
# below OK is bad, OK itself says nothing (Odoo's own limits).
RATING_GOOD = 4
RATING_OK = 3

# Why a relationship is a luxury.
LUXURY_TIER = "lowest_tier"
LUXURY_COST = "cost"
LUXURY_BOTH = "lowest_tier_and_cost"


def loyalty_quadrant(is_loyal, is_strong):
    """Loyalty x strength quadrant.

    core 重点 (loyal and strong), develop 扶持 (loyal and weak),
    balance 平衡 (not loyal and strong), phase_out 逐步淘汰 (not loyal and weak).
    """
    if is_loyal:
        return "core" if is_strong else "develop"
    return "balance" if is_strong else "phase_out"


def is_strong(strength, tier_is_high_value):
    """Strong or weak as people set it (``strength``), else from the tier:
    ``tier_is_high_value`` is None for a customer without tier, and so is the
    result (not a classified customer)."""
    if strength:
        return strength == "strong"
    return tier_is_high_value


def customer_quadrant(score, loyal_score, strength, tier_is_high_value):
    """The quadrant of a customer, None when it has neither strength nor tier.

    The one rule behind both the refresh and ``res.partner``'s computed field.
    """
    strong = is_strong(strength, tier_is_high_value)
    if strong is None:
        return None
    return loyalty_quadrant(score >= loyal_score, strong)


def followup_state(last_date, next_date, today, due_days):
    """Follow-up state of a customer on ``today``.

    never: never followed up; overdue: the planned next follow-up has passed;
    due: it falls within ``due_days`` from today; on_track otherwise.
    """
    if not last_date:
        return "never"
    if not next_date:
        return "on_track"
    if next_date < today:
        return "overdue"
    if next_date <= today + timedelta(days=due_days):
        return "due"
    return "on_track"


def average_order_interval(first_date, last_date, order_count):
    """Average days between two orders, or 0.0 with fewer than two orders."""
    if order_count < 2 or not first_date or not last_date:
        return 0.0
    return round((last_date - first_date).days / (order_count - 1), 1)


def expected_reorder_date(last_date, average_interval):
    """When the customer should order again ("product used up" 产品已经用完)."""
    if not last_date or not average_interval:
        return None
    return last_date + timedelta(days=round(average_interval))


def dormancy_threshold(average_interval, dormant_days):
    """Days without order after which a customer is dormant: the larger of the
    setting and twice the customer's own rhythm, so a customer who orders once a
    year is not called dormant after six months."""
    return max(dormant_days, round(2 * (average_interval or 0)))


def is_steady(months_with_orders, steady_months):
    return months_with_orders >= steady_months


def loyalty_score(
    order_count,
    months_with_orders,
    window_months,
    signals,
    open_complaints,
    good_ratings=0,
    bad_ratings=0,
):
    """Loyalty score from 0 to 100 (see the module docstring)."""
    if not order_count and not any(signals):
        return 0
    repeat = min(max(order_count - 1, 0), REPEAT_ORDER_CAP)
    score = REPEAT_ORDER_POINTS * repeat / REPEAT_ORDER_CAP
    if window_months:
        score += (
            STEADY_MONTH_POINTS
            * min(months_with_orders, window_months)
            / (window_months)
        )
    score += SIGNAL_POINTS * sum(1 for signal in signals if signal)
    score -= OPEN_COMPLAINT_PENALTY * open_complaints
    score += GOOD_RATING_POINTS * good_ratings - BAD_RATING_PENALTY * bad_ratings
    return int(round(min(max(score, 0), 100)))


def luxury_reason(key_level, lowest_tier, cost, revenue, cost_share):
    """Why a relationship is a luxury (see the module docstring), or None.

    ``key_level``: the level is partner or strategic alliance; ``lowest_tier``:
    the customer is of the lowest tier; ``cost`` and ``revenue``: in the
    revenue window; ``cost_share``: the share of the revenue (percent) the
    cost may reach, 0 for no cost rule.
    """
    if not key_level:
        return None
    costly = bool(cost_share) and cost > 0 and cost > revenue * cost_share / 100.0
    if lowest_tier and costly:
        return LUXURY_BOTH
    if lowest_tier:
        return LUXURY_TIER
    return LUXURY_COST if costly else None


def lifecycle_stage(
    order_count,
    last_order_date,
    average_interval,
    score,
    steady,
    today,
    settings,
    previous_stage=None,
    previous_stage_date=None,
    dormant_after_complaint=False,
):
    """The customer's lifecycle stage on ``today`` (see the module docstring).

    ``dormant_after_complaint`` tells that an unresolved complaint preceded the
    current temporary dormancy.
    """
    if not order_count:
        return "potential"
    threshold = dormancy_threshold(average_interval, settings.dormant_days)
    idle_days = (today - last_order_date).days
    if idle_days > settings.dormant_permanent_factor * threshold:
        return "dormant_permanent"
    if idle_days > threshold:
        long_after_complaint = (
            previous_stage == "dormant_temporary"
            and dormant_after_complaint
            and previous_stage_date
            and (today - previous_stage_date).days
            >= settings.dormant_after_complaint_days
        )
        if previous_stage == "dormant_permanent" or long_after_complaint:
            return "dormant_permanent"
        return "dormant_temporary"
    if order_count >= settings.mature_order_count:
        if steady and score >= settings.loyal_score:
            return "loyal"
        return "mature"
    return "new"


DORMANT_STAGES = ("dormant_temporary", "dormant_permanent")


def stage_start_date(
    stage,
    facts,
    threshold,
    settings,
    today,
    previous_stage=None,
    previous_stage_date=None,
):
    """The day the customer entered ``stage`` (see the module docstring).

    ``threshold``: its dormancy threshold in days (``dormancy_threshold``). A
    stage kept keeps its date; a new stage never starts before the previous
    one did, nor after ``today``.
    """
    if stage == previous_stage and previous_stage_date:
        return previous_stage_date
    last = facts.last_order_date
    if stage == "potential":
        start = (
            facts.created_date if not previous_stage and facts.created_date else today
        )
    elif stage == "dormant_temporary":
        start = last + timedelta(days=threshold + 1)
    elif stage == "dormant_permanent":
        start = last + timedelta(days=settings.dormant_permanent_factor * threshold + 1)
        if start > today and previous_stage_date:
            # not by time yet: a year after a complaint left unresolved
            start = previous_stage_date + timedelta(
                days=settings.dormant_after_complaint_days
            )
    elif previous_stage in DORMANT_STAGES:
        start = last  # the order that woke the customer up
    elif stage == "new":
        start = facts.first_order_date
    elif previous_stage in ("mature", "loyal"):
        start = today  # loyal <-> mature: the score or the steadiness moved
    else:
        start = facts.mature_order_date or last
    if previous_stage_date and start < previous_stage_date:
        start = previous_stage_date
    return min(start, today)


def stage_history(stage, start, facts, threshold, settings):
    """The stages of a customer seen for the first time, rebuilt from its
    orders: [(stage, date_start, date_end)], oldest first, the last one open
    (date_end None) and starting on ``start``.

    Between the orders the facts tell nothing: a customer who slept and came
    back shows its first order, its maturity and its current stage only.
    """
    rows = []
    if stage != "potential":
        rows.append(("new", facts.first_order_date))
        if (
            stage != "new"
            and facts.mature_order_date
            and (facts.order_count >= settings.mature_order_count)
        ):
            rows.append(("mature", facts.mature_order_date))
        if stage == "dormant_permanent":
            rows.append(
                (
                    "dormant_temporary",
                    facts.last_order_date + timedelta(days=threshold + 1),
                )
            )
    rows = [(s, d) for s, d in rows if d and d < start]
    rows.append((stage, start))
    # one row per day: the later stage of a day wins
    kept = []
    for row_stage, row_start in rows:
        if kept and kept[-1][1] >= row_start:
            kept.pop()
        if not kept or kept[-1][0] != row_stage:
            kept.append((row_stage, row_start))
    return [
        (row_stage, row_start, kept[i + 1][1] if i + 1 < len(kept) else None)
        for i, (row_stage, row_start) in enumerate(kept)
    ]


def value_segment(has_orders, high_value, steady, costly_count, settings):
    """Value segment (see the module docstring); None when it does not apply."""
    if not has_orders:
        return None
    if high_value:
        return "golden" if steady else "meteor"
    if (
        settings.burden_complaint_count
        and costly_count >= settings.burden_complaint_count
    ):
        return "burden"
    if steady:
        return "small_star"
    return None


def threshold_tier(revenue, order_count, tiers):
    """The first tier (in sequence order) whose minimums the customer reaches,
    else the last one."""
    for tier in tiers:
        if revenue >= tier.min_revenue and order_count >= tier.min_order_count:
            return tier
    return tiers[-1] if tiers else None


def pareto_cutoffs(revenues, shares):
    """Revenue cut-offs of the Pareto tiers.

    ``revenues``: the window revenue of every customer; ``shares``: the share
    in percent of each tier but the last (e.g. ``(80, 15)``). Returns one
    cut-off per share: a customer whose revenue reaches the first cut-off gets
    the first tier, and so on (None: nobody reaches it). A customer belongs to
    a share when the revenue of the customers before it (largest first) is
    below that share of the total, so the customer crossing the line is
    included; customers with equal revenue get the same tier.
    """
    ordered = sorted((r for r in revenues if r > 0), reverse=True)
    total = sum(ordered)
    cutoffs = []
    limit = 0.0
    for share in shares:
        limit += total * share / 100.0
        before = 0.0
        cutoff = None
        for revenue in ordered:
            if before < limit:
                cutoff = revenue
            before += revenue
        cutoffs.append(cutoff)
    return cutoffs


def pareto_tier(revenue, cutoffs, tiers):
    """The tier of a customer's window revenue given the Pareto cut-offs (a
    cut-off of None: nobody reaches that tier)."""
    if not tiers:
        return None
    for tier, cutoff in zip(tiers, cutoffs, strict=False):
        if cutoff is not None and revenue > 0 and revenue >= cutoff:
            return tier
    return tiers[min(len(cutoffs), len(tiers) - 1)]


def decide_tier(
    current_tier_id, tier_locked, order_count, revenue, window_orders, tiers, cutoffs
):
    """The tier id of a customer: a locked tier is kept, a customer who never
    ordered has none; ``cutoffs`` None means the threshold mode, else the
    day's Pareto cut-offs apply."""
    if tier_locked:
        return current_tier_id
    if not order_count or not tiers:
        return None
    if cutoffs is not None:
        tier = pareto_tier(revenue, cutoffs, tiers)
    else:
        tier = threshold_tier(revenue, window_orders, tiers)
    return tier.id if tier else None


def tier_reason(tier_id, facts, tiers, cutoffs):
    """Why a customer has the tier ``tier_id``, as data: the rule, the
    customer's numbers, the minimums or cut-off of the tier it reached and of
    the tier just above that it missed (None when it reached the first tier).

    ``{"rule": "threshold" | "pareto" | "no_orders", "revenue", "orders",
    "tier_id", "min_revenue", "min_orders" | "cutoff", "missed": {...}}``
    """
    if not facts.order_count or tier_id is None:
        return {"rule": "no_orders"}
    index = next((i for i, t in enumerate(tiers) if t.id == tier_id), None)
    if index is None:
        return {"rule": "no_orders"}
    revenue = round(float(facts.window_revenue), 2)
    if cutoffs is not None:

        def describe(i):
            cutoff = cutoffs[i] if i < len(cutoffs) else None
            return {"tier_id": tiers[i].id, "cutoff": cutoff}

        reason = {"rule": "pareto", "revenue": revenue, **describe(index)}
    else:

        def describe(i):
            tier = tiers[i]
            short = []
            if revenue < tier.min_revenue:
                short.append("revenue")
            if facts.window_order_count < tier.min_order_count:
                short.append("orders")
            return {
                "tier_id": tier.id,
                "min_revenue": float(tier.min_revenue),
                "min_orders": tier.min_order_count,
                "short": short,
            }

        reason = {
            "rule": "threshold",
            "revenue": revenue,
            "orders": facts.window_order_count,
            **describe(index),
        }
    reason["missed"] = describe(index - 1) if index else None
    return reason


def decide_profile(current, facts, settings, tiers, cutoffs, today):
    """New engine values of one customer (a dict of ENGINE_COLUMNS).

    ``current``: a mapping of the customer's current ENGINE_COLUMNS plus
    ``tier_locked`` and ``loyalty_strength``; ``facts``: its Facts; ``tiers``:
    the Tier tuples in sequence order; ``cutoffs``: the Pareto cut-offs, None
    in threshold mode.
    """
    order_count = facts.order_count
    interval = average_order_interval(
        facts.first_order_date, facts.last_order_date, order_count
    )
    steady = is_steady(facts.months_with_orders, settings.steady_months)
    score = loyalty_score(
        order_count,
        facts.months_with_orders,
        settings.steady_window_months,
        facts.signals,
        facts.open_complaints,
        facts.good_ratings,
        facts.bad_ratings,
    )
    tier_id = decide_tier(
        current["customer_tier_id"],
        current["tier_locked"],
        order_count,
        facts.window_revenue,
        facts.window_order_count,
        tiers,
        cutoffs,
    )
    high_value = any(t.id == tier_id and t.is_high_value for t in tiers)
    stage = lifecycle_stage(
        order_count,
        facts.last_order_date,
        interval,
        score,
        steady,
        today,
        settings,
        previous_stage=current["lifecycle_stage"],
        previous_stage_date=current["lifecycle_stage_date"],
        dormant_after_complaint=facts.dormant_after_complaint,
    )
    stage_date = stage_start_date(
        stage,
        facts,
        dormancy_threshold(interval, settings.dormant_days),
        settings,
        today,
        previous_stage=current["lifecycle_stage"],
        previous_stage_date=current["lifecycle_stage_date"],
    )
    return {
        "customer_tier_id": tier_id,
        "lifecycle_stage": stage,
        "lifecycle_stage_date": stage_date,
        "value_segment": value_segment(
            order_count, high_value, steady, facts.costly_count, settings
        ),
        "loyalty_score": score,
        "loyalty_quadrant": customer_quadrant(
            score,
            settings.loyal_score,
            current["loyalty_strength"],
            high_value if tier_id else None,
        ),
        "first_order_date": facts.first_order_date,
        "last_order_date": facts.last_order_date,
        "order_count": order_count,
        "window_revenue": round(facts.window_revenue, 2),
        "window_cost": round(facts.window_cost, 2),
        "average_order_interval": interval,
        "expected_reorder_date": expected_reorder_date(facts.last_order_date, interval),
    }


def profile_changed(current, new):
    """Whether ``new`` (from ``decide_profile``) differs from ``current``, at
    the precision each value is stored with (empty and 0 alike)."""
    for column, value in new.items():
        old = current[column]
        if column in ("window_revenue", "window_cost"):
            if round(float(old or 0), 2) != value:
                return True
        elif column in ("order_count", "loyalty_score"):
            if (old or 0) != value:
                return True
        elif column == "average_order_interval":
            if round(old or 0.0, 1) != value:
                return True
        elif (old or None) != (value or None):
            return True
    return False
