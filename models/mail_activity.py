# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import clean_context

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

    def _action_done(self, feedback=False, attachment_ids=None):
        """An activity of any type done on a customer or one of its contacts
        is a contact: a follow-up of that customer (recorded by
        ``res.partner._record_followup``). A follow-up activity done also
        closes the other follow-up activities planned on the customer."""
        followup_type = self.env.ref(
            "customer_relationship.mail_activity_type_followup",
            raise_if_not_found=False,
        )
        on_partners = self.filtered(lambda a: a.res_model == "res.partner")
        followups = on_partners.filtered(lambda a: a.activity_type_id == followup_type)
        others = on_partners - followups
        partner_ids = {
            "followups": followups.mapped("res_id"),
            "others": others.mapped("res_id"),
        }
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        today = self.env.company._relationship_today()
        # sudo: the user may close their activity; the dates follow from it
        Partner = self.env["res.partner"].sudo()
        followed_up = Partner.browse(partner_ids["followups"]).exists()
        if followed_up:
            followed_up._record_followup(today, source="activity", feedback=feedback)
        contacted = Partner.browse(partner_ids["others"]).exists()
        contacted -= followed_up
        if contacted:
            contacted._record_followup(
                today, source="activity", feedback=feedback, close_planned=False
            )
        return result

    def _action_done_recorded(self, feedback=False):
        """Mark done follow-up activities whose follow-up is already recorded
        (by ``res.partner._record_followup``, which calls this)."""
        activities = self.with_context(clean_context(self.env.context))
        return super(MailActivity, activities)._action_done(feedback=feedback)
