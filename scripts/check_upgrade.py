"""Upgrade check, run in odoo-bin shell by scripts/check_upgrade.sh (``env`` is
given by the shell).

CHECK_PHASE=edit: on the version installed first (the previous release, see
scripts/previous_release.py), change the configuration as an administrator
would, create customer data, and save a snapshot of both in CHECK_STATE. This
phase runs against the previous release's code: use only what it has.
CHECK_PHASE=check: after `odoo-bin -u customer_relationship` with the
checkout, take the snapshot again and report every difference, and every
configuration record an earlier version's data files left behind.
"""

import os
import re
import sys
from collections import Counter
from datetime import datetime

from lxml import etree

sys.path.insert(0, os.path.join(os.environ["ADDON_DIR"], "scripts"))
from check_data import (  # noqa: E402
    MODULE,
    as_json,
    create_customer_data,
    load_state,
    module_records,
    save_state,
)

from odoo.modules.module import get_manifest, get_module_path  # noqa: E402

from odoo.addons.customer_relationship.models.res_partner import (  # noqa: E402
    COMPANY_PROFILE_FIELDS,
    CONTACT_FIELDS,
)

# What an update must keep: (label, records, fields).
TIER_FIELDS = [
    "name",
    "code",
    "sequence",
    "color",
    "description",
    "active",
    "company_id",
    "min_revenue",
    "min_order_count",
    "is_high_value",
    "followup_interval_days",
    "complaint_sla_factor",
]
STAGE_FIELDS = [
    "name",
    "sequence",
    "step",
    "description",
    "fold",
    "active",
    "company_id",
    "mail_template_id",
]
ACTIVITY_TYPE_FIELDS = [
    "name",
    "summary",
    "sequence",
    "active",
    "delay_count",
    "delay_unit",
    "icon",
    "decoration_type",
    "default_user_id",
    "keep_done",
]
CRON_FIELDS = [
    "name",
    "active",
    "interval_number",
    "interval_type",
    "nextcall",
    "priority",
    "user_id",
]
TEMPLATE_FIELDS = ["name", "subject", "body_html", "email_from", "auto_delete"]
COMPANY_FIELDS = [
    "complaint_refund_approval_limit",
    "complaint_sla_hours_low",
    "complaint_sla_hours_normal",
    "complaint_sla_hours_high",
    "complaint_sla_hours_urgent",
    "complaint_escalation_user_id",
    "complaint_repeat_min_count",
    "complaint_repeat_tier_ids",
]
# Snapshot sections of records the data files create, by model: a record new
# after the update is one this version's data files add.
SECTION_MODELS = {
    "tiers": "customer.tier",
    "stages": "customer.complaint.stage",
    "categories": "customer.complaint.category",
    "activity types": "mail.activity.type",
    "crons": "ir.cron",
    "mail templates": "mail.template",
    "sequences": "ir.sequence",
    "record rules": "ir.rule",
    "group members": "res.groups",
}
# Customer data the demo files may add in a new version (an update loads the
# demo records it does not have yet): (section, model).
DEMO_SECTIONS = {
    "complaints": "customer.complaint",
    "complaint numbers": "customer.complaint",
    "partners": "res.partner",
    "sale orders": "sale.order",
}
# Models whose records the data files create in noupdate files: an update
# keeps such a record when its external id is gone from the files (renamed
# without a migration), and creates the record of the new id beside it.
DATA_MODELS = sorted(SECTION_MODELS.values())
PARTNER_FIELDS = sorted(
    COMPANY_PROFILE_FIELDS
    | CONTACT_FIELDS
    | {"name", "loyalty_quadrant", "blacklist_date", "blacklist_user_id"}
)


def read_all(records, fields):
    return {str(r["id"]): r for r in records.read(fields)}


def settings_snapshot(env, params):
    """The relationship settings as the system parameters held them before
    18.0.1.4.0 ({key: text}), from the main company's fields since."""
    values = {p.key: p.value for p in params}
    company = env.ref("base.main_company")
    for fname in company._fields:
        if not fname.startswith("relationship_"):
            continue
        value = company[fname]
        if hasattr(value, "_name"):
            value = value.id
        if (
            value is False
            or value is None
            or (company._fields[fname].type == "many2one" and not value)
        ):
            continue
        values[f"{MODULE}.{fname[len('relationship_') :]}"] = str(value)
    return values


def snapshot(env):
    """Everything the update must keep, as JSON values."""
    everything = {"active_test": False}
    Tier = env["customer.tier"].with_context(**everything)
    Stage = env["customer.complaint.stage"].with_context(**everything)
    Category = env["customer.complaint.category"].with_context(**everything)
    Holiday = env["customer.holiday"].with_context(**everything)
    Partner = env["res.partner"].with_context(**everything)
    Activity = env["mail.activity"].with_context(**everything)
    params = env["ir.config_parameter"].search([("key", "=like", MODULE + ".%")])
    complaints = env["customer.complaint"].with_context(**everything).search([])
    has_number = "number" in complaints._fields
    return as_json(
        {
            "settings": settings_snapshot(env, params),
            "companies": read_all(env["res.company"].search([]), COMPANY_FIELDS),
            "tiers": read_all(Tier.search([]), TIER_FIELDS),
            "stages": read_all(Stage.search([]), STAGE_FIELDS),
            "categories": read_all(Category.search([]), ["name", "sequence", "active"]),
            "holidays": read_all(Holiday.search([]), ["name", "date", "active"]),
            "activity types": read_all(
                module_records(env, "mail.activity.type"), ACTIVITY_TYPE_FIELDS
            ),
            "crons": read_all(module_records(env, "ir.cron"), CRON_FIELDS),
            "mail templates": read_all(
                module_records(env, "mail.template"), TEMPLATE_FIELDS
            ),
            "sequences": read_all(
                module_records(env, "ir.sequence"),
                ["prefix", "padding", "number_next_actual"],
            ),
            "record rules": read_all(
                module_records(env, "ir.rule"), ["name", "domain_force", "active"]
            ),
            "group members": read_all(module_records(env, "res.groups"), ["users"]),
            "partners": read_all(Partner.search([]), PARTNER_FIELDS),
            "complaints": read_all(
                complaints,
                [
                    "partner_id",
                    "stage_id",
                    "priority",
                    "sla_deadline",
                    "customer_words",
                ],
            ),
            # before 18.0.1.2.0, the number was the complaint's name
            "complaint numbers": {
                str(c.id): c.number if has_number else c.name for c in complaints
            },
            "complaint subjects": {
                str(c.id): c.name if has_number else None for c in complaints
            },
            "lifecycle history": read_all(
                env["customer.lifecycle.history"].search([]),
                ["partner_id", "stage", "date_start", "date_end"],
            ),
            "activities": read_all(
                Activity.search(
                    [
                        (
                            "activity_type_id",
                            "in",
                            module_records(env, "mail.activity.type").ids,
                        )
                    ]
                ),
                ["res_model", "res_id", "activity_type_id", "date_deadline", "user_id"],
            ),
            "sale orders": read_all(
                env["sale.order"].search([]), ["name", "state", "amount_untaxed"]
            ),
        }
    )


def edit_configuration(env):
    """Change what administrators change, away from the data files."""
    ref = env.ref
    Settings = env["res.config.settings"]
    relationship = {
        "dormant_days": 200,
        "mature_order_count": 8,
        "tier_mode": "threshold",
        "blacklist_mode": "warn",
        "followup_due_days": 5,
        "greeting_lead_days": 4,
    }
    # 18.0.1.0.0 named the settings-page fields cr_<key>
    Settings.create(
        {
            **{
                key if key in Settings._fields else f"cr_{key}": value
                for key, value in relationship.items()
            },
            "complaint_refund_approval_limit": 750.0,
            "complaint_sla_hours_high": 30,
            "complaint_repeat_min_count": 4,
        }
    ).execute()
    ref(f"{MODULE}.customer_tier_a").write(
        {
            "name": "A - Strategic accounts",
            "color": 3,
            "followup_interval_days": 9,
            "complaint_sla_factor": 0.4,
        }
    )
    ref(f"{MODULE}.customer_tier_c").write(
        {"description": "Everyone else", "min_revenue": 10.0}
    )
    env["customer.tier"].create({"name": "D - Prospects", "code": "D", "sequence": 40})
    ref(f"{MODULE}.customer_complaint_stage_listen").write(
        {"name": "Hear the customer out", "sequence": 11}
    )
    ref(f"{MODULE}.customer_complaint_stage_done").mail_template_id = False
    ref(f"{MODULE}.customer_complaint_stage_cancelled").fold = False
    ref(f"{MODULE}.customer_complaint_category_other").name = "Miscellaneous"
    ref(f"{MODULE}.customer_complaint_category_billing").active = False
    env["customer.complaint.category"].create({"name": "Packaging"})
    ref(f"{MODULE}.mail_activity_type_followup").write(
        {"name": "Call the customer", "delay_count": 2, "summary": "Call them"}
    )
    ref(f"{MODULE}.mail_activity_type_greeting").active = False
    ref(f"{MODULE}.mail_activity_type_winback").default_user_id = ref("base.user_admin")
    ref(f"{MODULE}.ir_cron_refresh_profiles").write(
        {
            "interval_number": 6,
            "interval_type": "hours",
            "nextcall": datetime(2030, 1, 2, 5, 0),
        }
    )
    ref(f"{MODULE}.ir_cron_relationship_reminders").active = False
    ref(f"{MODULE}.ir_cron_complaint_sla").interval_number = 2
    ref(
        f"{MODULE}.mail_template_complaint_apology"
    ).subject = "Sorry: {{ object.name }}"
    ref(f"{MODULE}.seq_customer_complaint").write({"prefix": "CPL/", "padding": 6})
    ref(f"{MODULE}.group_manager").users -= ref("base.user_admin")
    env["customer.holiday"].create(
        {"name": "Mid-Autumn Festival", "date": "2026-09-25"}
    )


def later_or_filled(old, new):
    return bool(new) and (not old or new >= old)


def earlier(old, new):
    return bool(old and new) and new < old


# What a migration changes on purpose, for an update from before its version:
# version -> {(section, field): whether the change (old, new) is its own}.
MIGRATED = {
    # Every contact counts as a follow-up: each customer's last follow-up is
    # taken from its history when later, the missing next ones are planned.
    (18, 0, 1, 2, 0): {
        ("partners", "last_followup_date"): later_or_filled,
        ("partners", "last_followup_source"): lambda old, new: bool(new),
        ("partners", "next_followup_date"): later_or_filled,
    },
    # Stages that versions before 18.0.1.2.0 dated the day their first pass
    # noticed them are dated again from the orders (earlier), the stages
    # before them added (see noticed_history_rows).
    (18, 0, 1, 3, 0): {
        ("lifecycle history", "date_start"): earlier,
        ("partners", "lifecycle_stage_date"): earlier,
    },
}


def noticed_history_rows(before, after, origin):
    """(section, id) of the lifecycle history rows the 18.0.1.3.0 migration
    adds before a customer's first stage dated again: new rows that end by
    the time the customer's earlier first row now starts."""
    if not origin or tuple(int(p) for p in origin.split(".")) >= (18, 0, 1, 2, 0):
        return set()
    old, new = before.get("lifecycle history", {}), after.get("lifecycle history", {})
    first_start = {}
    for key in old:
        row = new.get(key)
        if row:
            partner = str(row["partner_id"])
            first_start[partner] = min(
                first_start.get(partner, row["date_start"]), row["date_start"]
            )
    return {
        ("lifecycle history", key)
        for key, row in new.items()
        if key not in old
        and row["date_end"]
        and str(row["partner_id"]) in first_start
        and row["date_end"] <= first_start[str(row["partner_id"])]
    }


def migrated_changes(origin):
    """The changes MIGRATED allows for an update from version ``origin`` (a
    version string; empty: the checkout updated onto itself)."""
    if not origin:
        return {}
    start = tuple(int(part) for part in origin.split("."))
    allowed = {}
    for version, changes in MIGRATED.items():
        if start < version:
            allowed.update(changes)
    return allowed


def compare(before, after, added=(), migrated=None):
    """Differences between two snapshots, one line each. Records in ``added``
    ((section, id) of records this version's data files add) may be new;
    fields the new version adds are not compared, nor the changes a migration
    makes on purpose (``migrated``, see ``migrated_changes``)."""
    migrated = migrated or {}
    problems = []
    for section in sorted(before.keys() | after.keys()):
        old, new = before.get(section, {}), after.get(section, {})
        if section in ("settings",):
            old, new = {"": old}, {"": new}
        for key in sorted(old.keys() | new.keys()):
            if key not in new:
                problems.append(f"{section} {key}: gone (was {old[key]})")
            elif key not in old:
                if (section, key) not in added:
                    problems.append(f"{section} {key}: new {new[key]}")
            elif old[key] != new[key]:
                changed = {
                    f: (old[key].get(f), new[key].get(f))
                    for f in old[key].keys()
                    if old[key].get(f) != new[key].get(f)
                    and not migrated.get((section, f), lambda o, n: False)(
                        old[key].get(f), new[key].get(f)
                    )
                }
                if changed:
                    problems.append(f"{section} {key}: changed {changed}")
    return problems


def declared_records(env):
    """{(model, external id name): the record's XML element} for the records
    the checkout's data and demo files declare for the addon."""
    path = get_module_path(MODULE)
    manifest = get_manifest(MODULE)
    declared = {}
    for filename in manifest["data"] + manifest.get("demo", []):
        if not filename.endswith(".xml"):
            continue
        for record in etree.parse(os.path.join(path, filename)).iter("record"):
            module, _dot, name = record.get("id").rpartition(".")
            if module in ("", MODULE):
                declared[(record.get("model"), name)] = record
    return declared


def added_records(env, before, after):
    """(section, id) of the records new after the update that this version's
    data files declare."""
    declared = declared_records(env)
    added = set()
    for section, model in {**SECTION_MODELS, **DEMO_SECTIONS}.items():
        new_ids = after.get(section, {}).keys() - before.get(section, {}).keys()
        if not new_ids:
            continue
        data = env["ir.model.data"].search(
            [
                ("module", "=", MODULE),
                ("model", "=", model),
                ("res_id", "in", [int(i) for i in new_ids]),
            ]
        )
        added |= {(section, str(d.res_id)) for d in data if (model, d.name) in declared}
    return added


def leftovers(env):
    """Configuration records an earlier version left: external ids its data
    files do not declare any more, record rules without external id, or more
    record rules on a model than the data files declare."""
    declared = declared_records(env)
    problems = []
    data = env["ir.model.data"].search(
        [("module", "=", MODULE), ("model", "in", DATA_MODELS)]
    )
    for d in data.sorted(lambda d: (d.model, d.name)):
        if (d.model, d.name) not in declared:
            problems.append(
                f"{d.model} {d.complete_name} (id {d.res_id}): no data file "
                "declares it any more (renamed without a migration?)"
            )
    expected = Counter()
    for (model, _name), record in declared.items():
        if model == "ir.rule":
            ref = record.find("field[@name='model_id']").get("ref")
            ref = ref if "." in ref else f"{MODULE}.{ref}"
            expected[env.ref(ref).model] += 1
    Rule = env["ir.rule"].with_context(active_test=False)
    rule_ids = set(data.filtered(lambda d: d.model == "ir.rule").mapped("res_id"))
    for model, count in sorted(expected.items()):
        rules = Rule.search([("model_id.model", "=", model)])
        if len(rules) != count:
            problems.append(
                f"ir.rule on {model}: {len(rules)} rules, the data files declare "
                f"{count}"
            )
        for rule in rules.filtered(lambda r: r.id not in rule_ids):
            problems.append(f"ir.rule {rule.id} {rule.name!r}: no external id")
    return problems


def migrated_subjects(before, after):
    """From a version where the complaint's name was its number (before
    18.0.1.2.0), the number moves to ``number`` (compared as "complaint
    numbers"), the subject comes from the customer's words, and templates
    showing ``object.name`` show ``object.number``. Adjusts ``before`` to what
    the update must make of it; returns the wrong subjects."""
    from odoo.addons.customer_relationship.models.customer_complaint import (
        subject_from_words,
    )

    subjects = before.pop("complaint subjects")
    after_subjects = after.pop("complaint subjects")
    if any(subjects.values()):
        return []
    for template in before.get("mail templates", {}).values():
        for fname in ("subject", "body_html"):
            if template.get(fname):
                template[fname] = re.sub(
                    r"\bobject\.name\b", "object.number", template[fname]
                )
    problems = []
    for key, complaint in before["complaints"].items():
        wanted = subject_from_words(complaint["customer_words"]) or "Complaint"
        if after_subjects.get(key) != wanted:
            problems.append(
                f"complaint {key}: subject {after_subjects.get(key)!r}, "
                f"not {wanted!r} from its words"
            )
    if not before["complaints"]:
        problems.append("no complaint to check the migrated subjects on")
    return problems


def main(env):
    phase = os.environ["CHECK_PHASE"]
    if phase == "edit":
        edit_configuration(env)
        create_customer_data(env)
        env.cr.commit()
        state = snapshot(env)
        save_state(state)
        print("Snapshot: " + ", ".join(f"{len(v)} {k}" for k, v in state.items()))
    elif phase == "check":
        module = env["ir.module.module"].search([("name", "=", MODULE)])
        wanted = get_manifest(MODULE)["version"]
        if module.latest_version != wanted:
            print(f"{MODULE} is at {module.latest_version}, not {wanted}")
            sys.exit(1)
        before, after = load_state(), snapshot(env)
        problems = migrated_subjects(before, after)
        added = added_records(env, before, after)
        # the complaints the demo files add took their numbers
        new_demo_complaints = {key for section, key in added if section == "complaints"}
        sequence = env.ref(f"{MODULE}.seq_customer_complaint")
        if str(sequence.id) in before.get("sequences", {}):
            before["sequences"][str(sequence.id)]["number_next_actual"] += len(
                new_demo_complaints
            )
        origin = os.environ.get("CHECK_UPGRADE_FROM_VERSION") or ""
        added |= noticed_history_rows(before, after, origin)
        problems += compare(before, after, added, migrated_changes(origin))
        problems += leftovers(env)
        if problems:
            print("The update changed, lost or duplicated:\n  " + "\n  ".join(problems))
            sys.exit(1)
        origin = origin or "itself"
        print(
            f"The update from {origin} to {wanted} kept everything, "
            f"added {len(added)} data records and left no duplicate."
        )
    else:
        raise ValueError(f"Unknown CHECK_PHASE {phase}")


main(globals()["env"])  # given by odoo-bin shell
