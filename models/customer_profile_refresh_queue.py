# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
CRON_XMLID = "customer_relationship.ir_cron_refresh_profiles_live"
TRIGGERED_FLAG = "customer_relationship.live_refresh_triggered"


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
        """Queue the commercial partners of ``partners`` and wake the job
        after the commit: one INSERT, no read.

        The first call of a transaction also plans the wake-up in the same
        statement (an ``ir.cron.trigger`` row, unless one is already pending
        or the job is inactive, as ``ir.cron._trigger`` does), and the cron
        workers are notified after the commit only when that row was added.
        """
        partner_ids = sorted(set(partners.commercial_partner_id.ids))
        if not partner_ids:
            return
        queue = SQL(
            """INSERT INTO customer_profile_refresh_queue (partner_id)
               SELECT unnest(%s::int4[])""",
            partner_ids,
        )
        # the flag goes with the transaction: cleared at commit and rollback
        data = self.env.cr.postcommit.data
        cron_id = not data.get(TRIGGERED_FLAG) and self.env[
            "ir.model.data"
        ]._xmlid_to_res_id(CRON_XMLID, raise_if_not_found=False)
        if not cron_id:
            self.env.cr.execute(queue)
            return
        data[TRIGGERED_FLAG] = True
        self.env.cr.execute(
            SQL(
                """WITH queued AS (%(queue)s)
                   INSERT INTO ir_cron_trigger
                          (cron_id, call_at, create_uid, create_date,
                           write_uid, write_date)
                   SELECT c.id, now() AT TIME ZONE 'UTC', %(uid)s,
                          now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                     FROM ir_cron c
                    WHERE c.id = %(cron)s AND c.active
                      AND NOT EXISTS (
                          SELECT 1 FROM ir_cron_trigger t
                           WHERE t.cron_id = c.id
                             AND t.call_at <= now() AT TIME ZONE 'UTC')
                RETURNING id""",
                queue=queue,
                uid=self.env.uid,
                cron=cron_id,
            )
        )
        if self.env.cr.fetchone():
            self.env["ir.cron.trigger"].invalidate_model()
            cron = self.env["ir.cron"].browse(cron_id)
            self.env.cr.postcommit.add(cron._notifydb)

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
