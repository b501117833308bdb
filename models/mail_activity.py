# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """Marking a customer follow-up done counts as a follow-up: it moves the
        customer's last and next follow-up dates (unless the follow-up wizard,
        which sets them itself, is closing it)."""
        followups = self.env["mail.activity"]
        if not self.env.context.get("customer_followup_logged"):
            followup_type = self.env.ref(
                "customer_relationship.mail_activity_type_followup",
                raise_if_not_found=False,
            )
            followups = self.filtered(
                lambda a: (
                    a.res_model == "res.partner" and a.activity_type_id == followup_type
                )
            )
        partner_ids = followups.mapped("res_id")
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if partner_ids:
            today = fields.Date.context_today(self)
            # sudo: closing one's activity moves the customer's follow-up dates
            partners = self.env["res.partner"].sudo().browse(partner_ids).exists()
            for partner in partners.commercial_partner_id:
                partner.write(
                    {
                        "last_followup_date": today,
                        "next_followup_date": today
                        + timedelta(days=partner.followup_interval_days or 30),
                    }
                )
        return result
