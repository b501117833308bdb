# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import fields, models
from odoo.tools import SQL, clean_context

# The reminders the daily job makes (customer.relationship.reminder): the job
# creates, updates and removes only the activities carrying one of these.
REMINDER_KINDS = [
    ("followup", "Follow-up"),
    ("prospect", "Prospect Follow-up"),
    ("winback", "Win-back"),
    ("reorder", "Reorder Check"),
    ("birthday", "Birthday"),
    ("anniversary", "Company Anniversary"),
    ("holiday", "Holiday"),
]


class MailActivity(models.Model):
    _inherit = "mail.activity"

    customer_reminder_kind = fields.Selection(
        REMINDER_KINDS,
        string="Customer Reminder",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="Set on the reminders the daily reminder job created: the job updates "
        "and removes those only. Empty on the activities people plan.",
    )

    customer_reminder_company_id = fields.Many2one(
        "res.company",
        string="Reminder Company",
        readonly=True,
        copy=False,
        help="The company whose follow-up the job's reminder is: marking it done "
        "records the follow-up in that company.",
    )

    def init(self):
        res = super().init()
        # The reminders the job created on a day, done since: a salesperson's
        # capacity counts them (customer.relationship.reminder._candidates_sql).
        self.env.cr.execute(
            SQL(
                """CREATE INDEX IF NOT EXISTS %s ON mail_activity (create_date)
                    WHERE customer_reminder_kind IS NOT NULL""",
                SQL.identifier("mail_activity_customer_reminder_created_index"),
            )
        )
        return res

    def _action_done(self, feedback=False, attachment_ids=None):
        """An activity of any type done on a customer or one of its contacts
        is a contact: a follow-up of that customer (recorded by
        ``res.partner._record_followup``) when the user may edit the customer's
        profile. A follow-up activity done also closes the other follow-up
        activities planned on the customer."""
        followup_type = self.env.ref(
            "customer_relationship.mail_activity_type_followup",
            raise_if_not_found=False,
        )
        on_partners = self.filtered(lambda a: a.res_model == "res.partner")
        # A reminder of the job is its company's follow-up; any other activity
        # is one of the company the user works in.
        by_company = defaultdict(lambda: {"followups": [], "others": []})
        for activity in on_partners:
            company = activity.customer_reminder_company_id or self.env.company
            followup = activity.activity_type_id == followup_type
            by_company[company]["followups" if followup else "others"].append(
                activity.res_id
            )
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        Partner = self.env["res.partner"]
        for company, partner_ids in by_company.items():
            today = company._relationship_today()
            # Done by a user who may not edit the customer: closed, no date moves.
            followed_up = Partner.browse(partner_ids["followups"]).exists()
            followed_up = followed_up._filter_profile_editable()
            contacted = Partner.browse(partner_ids["others"]).exists()
            contacted = contacted._filter_profile_editable() - followed_up
            if followed_up:
                # sudo: the user may edit these customers; the dates follow (in
                # the reminder's company, even one the user is not working in)
                followed_up.sudo().with_company(company)._record_followup(
                    today, source="activity", feedback=feedback
                )
            if contacted:
                # sudo: the user may edit these customers; the dates follow
                contacted.sudo().with_company(company)._record_followup(
                    today, source="activity", feedback=feedback, close_planned=False
                )
        return result

    def _action_done_recorded(self, feedback=False, post=True):
        """Mark done follow-up activities whose follow-up is already recorded
        (by ``res.partner._record_followup``, which calls this); without
        ``post``, the note of the recorded follow-up reports them: no message
        per activity."""
        activities = self.with_context(clean_context(self.env.context))
        if not post:
            return activities._close_reported()
        return super(MailActivity, activities)._action_done(feedback=feedback)

    def _close_reported(self):
        """What ``_action_done`` does (the chained next activities, done
        activities kept or removed as their type says), without its message:
        a note already reports them."""
        next_values = [
            activity.with_context(
                activity_previous_deadline=activity.date_deadline
            )._prepare_next_activity_values()
            for activity in self
            if activity.chaining_type == "trigger"
        ]
        if next_values:
            self.create(next_values)
        kept = self.filtered("activity_type_id.keep_done")
        kept.action_archive()
        (self - kept).unlink()
