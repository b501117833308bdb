# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
CRON_XMLID = "customer_relationship.ir_cron_refresh_profiles_live"


class CustomerProfileRefreshQueue(models.Model):
    """Customers whose profile must follow what happened today.

    Confirming or cancelling an order, posting a credit note, opening or
    closing a complaint adds the customer here, in the same transaction; a
    frequent job folds the queue into the profiles with the nightly pass's own
    ``_refresh_partners``, woken right after the commit. The user's
    transaction writes one small row and never the customer's row, so
    salespeople confirming orders of one customer at once do not wait on each
    other (Odoo's predictive lead scoring moved to the same design).

    No unique key on the customer: under Odoo's REPEATABLE READ, an INSERT ...
    ON CONFLICT DO NOTHING against a row another transaction committed
    meanwhile is a serialization failure, and the second insert waits for the
    first transaction. Duplicates cost nothing: the job folds each customer
    once per batch.
    """

    _name = "customer.profile.refresh.queue"
    _description = "Customer Profile to Refresh"
    _log_access = False

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade"
    )

    @api.model
    def _enqueue(self, partners):
        """Queue the commercial partners of ``partners`` (once per call) and
        wake the job after the commit (once per transaction)."""
        partner_ids = sorted(set(partners.commercial_partner_id.ids))
        if not partner_ids:
            return
        self.env.cr.execute(
            SQL(
                """INSERT INTO customer_profile_refresh_queue (partner_id)
                   SELECT unnest(%s::int4[])""",
                partner_ids,
            )
        )
        # the flag goes with the transaction: cleared at commit and rollback
        data = self.env.cr.postcommit.data
        if data.get("customer_relationship.live_refresh_triggered"):
            return
        data["customer_relationship.live_refresh_triggered"] = True
        cron = self.env.ref(CRON_XMLID, raise_if_not_found=False)
        if not cron:
            return
        # A wake-up already pending serves this row too: each new trigger costs
        # a connection to notify the cron workers after the commit.
        self.env.cr.execute(
            SQL(
                """SELECT 1 FROM ir_cron_trigger
                    WHERE cron_id = %s AND call_at <= now() AT TIME ZONE 'UTC'
                    LIMIT 1""",
                cron.id,
            )
        )
        if not self.env.cr.fetchone():
            cron.sudo()._trigger()

    @api.model
    def _cron_refresh_live(self, batch_size=BATCH_SIZE):
        """Fold a batch of the queue into the profiles and report progress.

        The rows are taken FOR UPDATE SKIP LOCKED: two workers never fold the
        same rows, and rows queued by a transaction still running wait for
        the next call.
        """
        self.env.cr.execute(
            SQL(
                """SELECT id, partner_id FROM customer_profile_refresh_queue
                    ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED""",
                batch_size,
            )
        )
        rows = self.env.cr.fetchall()
        if not rows:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return
        Refresh = self.env["customer.profile.refresh"]
        partner_ids = self._in_scope(sorted({row[1] for row in rows}))
        if partner_ids:
            today = Refresh._today()
            self.env.flush_all()
            Refresh._refresh_partners(partner_ids, today, Refresh._day_cutoffs(today))
        self.env.cr.execute(
            SQL(
                "DELETE FROM customer_profile_refresh_queue WHERE id = ANY(%s)",
                [row[0] for row in rows],
            )
        )
        self.env.cr.execute(SQL("SELECT count(*) FROM customer_profile_refresh_queue"))
        remaining = self.env.cr.fetchone()[0]
        self.env["ir.cron"]._notify_progress(done=len(rows), remaining=remaining)
        if remaining:
            self.env.ref(CRON_XMLID)._trigger()

    @api.model
    def _in_scope(self, partner_ids):
        """The partners of ``partner_ids`` that carry a profile."""
        self.env.cr.execute(
            SQL(
                """SELECT p.id FROM res_partner p
                    WHERE p.id = ANY(%s) AND %s ORDER BY p.id""",
                partner_ids,
                self.env["res.partner"]._customer_scope_sql(SQL("p")),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]
