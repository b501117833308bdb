"""Data the upgrade and uninstall checks create, as users would, in odoo-bin
shell (scripts/check_upgrade.py, scripts/check_uninstall.py)."""

import json
import os

MODULE = "customer_relationship"


def module_records(env, model):
    """The records of ``model`` the addon's data files created."""
    data = env["ir.model.data"].search([("module", "=", MODULE), ("model", "=", model)])
    records = env[model].with_context(active_test=False).browse(data.mapped("res_id"))
    return records.exists()


def run_profile_refresh(env):
    """Run today's profile refresh pass to its end, batch after batch."""
    Refresh = env["customer.profile.refresh"]
    for _batch in range(10000):
        Refresh._cron_refresh_profiles()
        if Refresh._current_pass().done:
            return
    raise RuntimeError("The profile refresh did not finish.")


def create_customer_data(env):
    """Customers with an edited profile, a confirmed order, a blacklisted
    customer, a complaint, activities of the addon's types, then the profile
    refresh (lifecycle history) and the reminders."""
    Partner = env["res.partner"]
    customer = Partner.create({"name": "Check Customer Co", "is_company": True})
    contact = Partner.create(
        {
            "name": "Check Contact",
            "parent_id": customer.id,
            "relationship_role": "decision_maker",
            "influence": "high",
            "birthday": "1980-05-04",
        }
    )
    product = env["product.product"].create({"name": "Check Product"})
    order = env["sale.order"].create(
        {
            "partner_id": customer.id,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 3})],
        }
    )
    order.order_line.price_unit = 120.0
    order.action_confirm()
    customer.write(
        {
            "relationship_level": "partner",
            "loyalty_strength": "strong",
            "signal_gives_suggestions": True,
            "signal_refers_others": True,
            "purchase_intent": "interested",
            "custom_followup_interval_days": 20,
            "last_followup_date": "2026-01-10",
            "preferred_channel": "visit",
            "min_contact_interval_days": 7,
            "best_contact_time": "Weekday mornings",
            "company_anniversary": "2001-03-08",
            "greetings_opt_in": True,
            "share_of_wallet": 55.5,
            "competitor_notes": "Two local suppliers",
            "economic_notes": "Growing",
            "customer_tier_id": env.ref(f"{MODULE}.customer_tier_a").id,
            "tier_locked": True,
            "tier_lock_reason": "Strategic account",
        }
    )
    Partner.create(
        {
            "name": "Check Blacklisted Co",
            "is_company": True,
            "is_customer_blacklisted": True,
            "blacklist_reason": "unpaid",
            "blacklist_note": "Three invoices unpaid",
        }
    )
    complaint = env["customer.complaint"].create(
        {
            "partner_id": customer.id,
            "contact_id": contact.id,
            "channel": "phone",
            "customer_words": "The delivery was late again.",
        }
    )
    # words of several lines, the first longer than a subject
    env["customer.complaint"].create(
        {
            "partner_id": customer.id,
            "channel": "email",
            "customer_words": "\n  \n"
            + "The pallets of the last three deliveries arrived broken, "
            + "the goods wet and the delivery notes missing every time.\n"
            + "Please call me.",
        }
    )
    customer.activity_schedule(
        f"{MODULE}.mail_activity_type_followup", summary="Check follow-up"
    )
    complaint.activity_schedule(f"{MODULE}.mail_activity_type_complaint_escalation")
    run_profile_refresh(env)
    env["customer.relationship.reminder"]._cron_relationship_reminders()
    return customer


def save_state(state):
    with open(os.environ["CHECK_STATE"], "w", encoding="utf-8") as f:
        json.dump(state, f, default=str, indent=1, sort_keys=True)


def load_state():
    with open(os.environ["CHECK_STATE"], encoding="utf-8") as f:
        return json.load(f)


def as_json(value):
    """``value`` as it reads back from JSON (dates as strings, tuples as lists)."""
    return json.loads(json.dumps(value, default=str, sort_keys=True))
