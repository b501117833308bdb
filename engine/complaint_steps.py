# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The six steps of the complaint method (客户投诉处理六步法), as plain code.

The one list of steps: the stage model's ``step`` selection, the complaint
model and the tests import it. Nothing here touches the ORM.

A complaint moves forward one gate at a time: it may leave a step only once
that step's facts (GATES) are recorded, and it may skip steps only if every
skipped step's facts are there too. Going back needs nothing. Done is reached
from the follow-up only; a cancelled complaint reopens as if from the first
step. A customer's rejection sends the complaint back to a new proposal, an
acceptance on to the follow-up. A proposal changed once it was sent (at the
verdict or the follow-up) sends the complaint back to the proposal, so it
passes the approval gate again and waits for a new verdict; the proposal of a
Done complaint no longer changes.
"""

# Every step, in workflow order; "cancelled" stands aside.
STEPS = [
    ("listen", "Listen"),
    ("apologize", "Apologise and Thank"),
    ("understand", "Understand the Problem"),
    ("propose", "Take Responsibility and Propose"),
    ("verdict", "Customer's Verdict"),
    ("follow_up", "Follow-up"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
STEP_ORDER = [step for step, _label in STEPS if step != "cancelled"]
CLOSED_STEPS = ("done", "cancelled")

# Facts (complaint field names) a complaint must hold before it may leave a
# step. The propose step also checks the refund (amount, approval) and the
# verdict step a rejection: see ``customer.complaint._get_step_problems``.
GATES = {
    "listen": ["customer_words", "channel", "complaint_date"],
    "apologize": ["apology_sent"],
    "understand": [
        "issue_description",
        "dissatisfaction_reason",
        "customer_reasonable",
        "desired_resolution",
        "root_cause",
    ],
    "propose": ["solution_type", "solution_details"],
    "verdict": ["verdict"],
    "follow_up": ["followup_channel", "followup_date", "followup_feedback"],
}


def step_index(step):
    """Position of a step in the workflow; a cancelled (or new) complaint
    counts as at the first step."""
    return STEP_ORDER.index(step) if step in STEP_ORDER else 0


def gated_steps(old_step, new_step):
    """The steps whose gates a complaint passes going from ``old_step`` (None
    for a new complaint) to ``new_step``: none going back or cancelling."""
    if new_step == "cancelled":
        return []
    return STEP_ORDER[step_index(old_step) : step_index(new_step)]


def closes_out_of_order(old_step, new_step):
    """Done is reached from the follow-up only (or at creation)."""
    return new_step == "done" and old_step not in ("follow_up", "done", None)


def verdict_step(verdict, step):
    """Where the customer's ``verdict`` sends a complaint standing at
    ``step``: back to a new proposal, on to the follow-up, or None (stays)."""
    if verdict == "rejected" and step in ("verdict", "follow_up"):
        return "propose"
    if verdict == "accepted" and step == "verdict":
        return "follow_up"
    return None


def solution_change_step(old_step, new_step):
    """Where a change of the proposed solution sends a complaint going from
    ``old_step`` to ``new_step``: back to "propose" once the proposal was sent,
    "closed" (refused) for a Done complaint, None where it changes nothing."""
    if new_step == "cancelled" or step_index(new_step) <= step_index("propose"):
        return None
    if old_step == "done":
        return "closed"
    if old_step in ("verdict", "follow_up"):
        return "propose"
    return None


def step_bookkeeping(old_step, new_step, now, verdict_given):
    """Values a move from ``old_step`` to ``new_step`` sets: the closing date
    (set on closing, cleared on reopening) and, on a new proposal, a blank
    verdict (unless a verdict comes with the move)."""
    values = {}
    if new_step == old_step:
        return values
    if new_step in CLOSED_STEPS and old_step not in CLOSED_STEPS:
        values["closed_date"] = now
    elif new_step not in CLOSED_STEPS and old_step in CLOSED_STEPS:
        values["closed_date"] = False
    if (
        new_step == "verdict"
        and step_index(old_step) < step_index("verdict")
        and not verdict_given
    ):
        values.update(verdict=False, verdict_note=False, verdict_date=False)
    return values
