# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reminders that people can trust (18.0.1.2.0).

* The reminder job now manages only the activities it created, marked with
  ``mail.activity.customer_reminder_kind``. Its earlier reminders are the open
  activities of the addon's reminder types on partners created by the job's
  user (the superuser, ``create_uid`` 1): they are marked here with their
  kind, so that the job keeps managing them; the activities people planned,
  even of those types, stay unmarked and untouched.
* The profile refresh passes finished before this version are done.
* Every real contact now counts as a follow-up: the last follow-up of each
  customer is taken from its history (done activities, messages sent by
  internal users) when later than the one recorded, and next follow-ups
  missing are planned from the cadence.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

# Activity type (xmlid name) -> reminder kind; greetings are told apart below.
KINDS = {
    "mail_activity_type_followup": "followup",
    "mail_activity_type_prospect": "prospect",
    "mail_activity_type_winback": "winback",
    "mail_activity_type_reorder": "reorder",
}


def migrate(cr, version):
    cr.execute(SQL("UPDATE customer_profile_refresh SET state = 'done' WHERE done"))
    env = api.Environment(cr, SUPERUSER_ID, {})
    types = {
        name: env.ref(f"customer_relationship.{name}").id
        for name in [*KINDS, "mail_activity_type_greeting"]
    }
    kind_of_type = SQL(
        "CASE a.activity_type_id %s END",
        SQL(" ").join(
            SQL("WHEN %s THEN %s", types[name], kind) for name, kind in KINDS.items()
        ),
    )
    # A greeting on a contact, or on the day of the partner's birthday, was a
    # birthday; on the day of its anniversary an anniversary; else a holiday.
    greeting_kind = SQL(
        """CASE WHEN p.id != p.commercial_partner_id
                  OR to_char(p.birthday, 'MMDD') = to_char(a.date_deadline, 'MMDD')
                THEN 'birthday'
                WHEN to_char(p.company_anniversary, 'MMDD')
                     = to_char(a.date_deadline, 'MMDD')
                THEN 'anniversary'
                ELSE 'holiday' END"""
    )
    cr.execute(
        SQL(
            """UPDATE mail_activity a
                  SET customer_reminder_kind = CASE
                          WHEN a.activity_type_id = %(greeting)s THEN %(greeting_kind)s
                          ELSE %(kind)s END
                 FROM res_partner p
                WHERE p.id = a.res_id AND a.res_model = 'res.partner' AND a.active
                  AND a.create_uid = %(job_user)s
                  AND a.customer_reminder_kind IS NULL
                  AND a.activity_type_id IN %(types)s""",
            greeting=types["mail_activity_type_greeting"],
            greeting_kind=greeting_kind,
            kind=kind_of_type,
            job_user=SUPERUSER_ID,
            types=tuple(types.values()),
        )
    )
    env["res.partner"]._init_followups_from_history()
