# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The relationship rules, as plain functions over plain values.

Nothing here touches the ORM or the database, so every rule can be read and
unit-tested on its own. The models gather the facts, call these functions and
write what changed.
"""

from datetime import timedelta


def loyalty_quadrant(is_loyal, is_strong):
    """Loyalty x strength quadrant.

    core 重点 (loyal and strong), develop 扶持 (loyal and weak),
    balance 平衡 (not loyal and strong), phase_out 逐步淘汰 (not loyal and weak).
    """
    if is_loyal:
        return "core" if is_strong else "develop"
    return "balance" if is_strong else "phase_out"


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
