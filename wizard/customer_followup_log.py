# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..models.res_partner import CONTACT_CHANNELS

OUTCOMES = [
    ("reached", "Reached, all fine"),
    ("interested", "Interested in more"),
    ("issue", "Raised an issue"),
    ("not_reached", "Not reached"),
    ("other", "Other"),
]


class CustomerFollowupLog(models.TransientModel):
    """Log a follow-up (跟进) of a customer: post it, move the dates, and close
    the pending follow-up reminders."""

    _name = "customer.followup.log"
    _description = "Log a Customer Follow-up"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True
    )
    channel = fields.Selection(CONTACT_CHANNELS, required=True, default="phone")
    summary = fields.Text(required=True)
    outcome = fields.Selection(OUTCOMES, required=True, default="reached")
    followup_date = fields.Date(
        string="Follow-up Date", required=True, default=fields.Date.context_today
    )
    next_date = fields.Date(
        string="Next Follow-up",
        compute="_compute_next_date",
        store=True,
        readonly=False,
    )

    @api.depends("partner_id", "followup_date")
    def _compute_next_date(self):
        for wizard in self:
            base = wizard.followup_date or fields.Date.context_today(wizard)
            wizard.next_date = (
                wizard.partner_id._followup_next_date(base)
                if wizard.partner_id
                else False
            )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        partner_id = values.get("partner_id") or (
            self.env.context.get("active_model") == "res.partner"
            and self.env.context.get("active_id")
        )
        if partner_id:
            partner = self.env["res.partner"].browse(partner_id)
            values["partner_id"] = partner.commercial_partner_id.id
            preferred = partner.commercial_partner_id.preferred_channel
            if preferred and "default_channel" not in self.env.context:
                values["channel"] = preferred
        return values

    def action_log(self):
        """Post the follow-up to the chatter and record it (dates, reminders).

        An attempt that did not reach the customer is posted only: the
        customer stays due and the pending reminders stay open.
        """
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        today = fields.Date.context_today(self)
        if self.followup_date > today:
            raise UserError(self.env._("A follow-up cannot be logged in the future."))
        reached = self.outcome != "not_reached"
        if reached:
            if not self.next_date or self.next_date < self.followup_date:
                raise UserError(
                    self.env._("The next follow-up must come after this one.")
                )
        else:
            # Only who may follow the customer up logs an attempt.
            customer.check_access("write")
            if not self.env.su:
                customer._check_profile_access(
                    {"last_followup_date": self.followup_date}
                )
        channels = dict(self._fields["channel"]._description_selection(self.env))
        outcomes = dict(self._fields["outcome"]._description_selection(self.env))
        title = (
            self.env._("Customer Follow-up")
            if reached
            else self.env._("Follow-up Attempt")
        )
        closing = (
            self.env._(
                "Next follow-up: %(date)s",
                date=format_date(self.env, self.next_date),
            )
            if reached
            else self.env._("Not reached: the customer is still to follow up.")
        )
        body = Markup("<p><strong>%s</strong> (%s, %s)</p><p>%s</p><p>%s</p>") % (
            title,
            channels[self.channel],
            outcomes[self.outcome],
            escape(self.summary).replace("\n", Markup("<br/>")),
            closing,
        )
        if reached:
            # One chatter note: the dates move and the reminders close with it.
            # Checks the user's right to edit this customer's profile.
            customer._record_followup(
                self.followup_date,
                self.next_date,
                source="log",
                feedback=self.summary,
                note=body,
            )
        else:
            customer.message_post(
                body=body, message_type="comment", subtype_xmlid="mail.mt_note"
            )
        return {"type": "ir.actions.act_window_close"}
