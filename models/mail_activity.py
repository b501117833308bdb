# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import clean_context


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """Marking a customer follow-up done counts as a follow-up of that
        customer (recorded by ``res.partner._record_followup``) when the user
        may edit the customer's profile."""
        followup_type = self.env.ref(
            "customer_relationship.mail_activity_type_followup",
            raise_if_not_found=False,
        )
        partner_ids = [
            activity.res_id
            for activity in self
            if activity.res_model == "res.partner"
            and activity.activity_type_id == followup_type
        ]
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if partner_ids:
            partners = self.env["res.partner"].browse(partner_ids).exists()
            # Done by a user who may not edit the customer: closed, no date moves.
            partners.commercial_partner_id._filter_profile_editable()._record_followup(
                fields.Date.context_today(self), source="activity", feedback=feedback
            )
        return result

    def _action_done_recorded(self, feedback=False):
        """Mark done follow-up activities whose follow-up is already recorded
        (by ``res.partner._record_followup``, which calls this)."""
        activities = self.with_context(clean_context(self.env.context))
        return super(MailActivity, activities)._action_done(feedback=feedback)
