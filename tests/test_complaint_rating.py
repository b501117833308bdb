# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .complaint_common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintRatingAndPartner(ComplaintCase):
    def _close(self, complaint):
        # tracking (and so the Done stage's survey) skips the creating transaction
        self._flush_tracking()
        self.advance(complaint, "done")
        self._flush_tracking()
        return complaint

    def test_done_sends_rating_request(self):
        complaint = self._close(self._create_complaint(partner_id=self.contact_own.id))
        template = self.env.ref("customer_relationship.mail_template_complaint_rating")
        request = complaint.message_ids.filtered(
            lambda m: m.subject and "how satisfied are you" in m.subject
        )
        self.assertEqual(len(request), 1, "one satisfaction survey on Done")
        self.assertEqual(request.partner_ids, self.contact_own)
        self.assertIn("/rate/", request.body)
        # sudo: the ratings are read as the survey's public page does
        rating = complaint.sudo().rating_ids
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.partner_id, self.contact_own)
        self.assertFalse(rating.consumed)
        self.assertIn(rating.access_token, request.body)
        self.assertTrue(template.body_html)

    def test_rating_feeds_partner_satisfaction(self):
        first = self._close(self._create_complaint())
        second = self._close(self._create_complaint())
        open_complaint = self._create_complaint()
        self.assertEqual(self.customer_own.complaint_satisfaction_avg, 0)
        for complaint, rate in ((first, 5), (second, 1)):
            # sudo: the token is in the mail, which the customer reads
            token = complaint.sudo().rating_ids.access_token
            # sudo: as the /rate/<token>/<rate> controller does
            complaint.sudo().rating_apply(rate, token=token, feedback="Thanks")
        self.customer_own.invalidate_recordset()
        self.contact_own.invalidate_recordset()
        self.assertEqual(first.rating_last_value, 5)
        self.assertEqual(self.customer_own.complaint_satisfaction_avg, 3)
        # the contacts show their company's figures
        self.assertEqual(self.contact_own.complaint_satisfaction_avg, 3)
        self.assertEqual(self.contact_own.complaint_count, 3)
        self.assertEqual(self.customer_own.open_complaint_count, 1)
        self.assertTrue(open_complaint)

    def test_partner_counters(self):
        old = self._create_complaint(
            complaint_date=fields.Datetime.now() - timedelta(days=400)
        )
        self._create_complaint()
        cancelled = self._create_complaint()
        self.advance(cancelled, "cancelled")
        self._create_complaint(partner_id=self.customer_other.id)
        partners = self.customer_own | self.contact_own | self.customer_other
        partners.invalidate_recordset()
        self.assertEqual(partners.mapped("complaint_count"), [3, 3, 1])
        self.assertEqual(partners.mapped("open_complaint_count"), [2, 2, 1])
        # neither the old complaint nor the cancelled one count over 12 months
        self.assertEqual(partners.mapped("complaint_count_12m"), [1, 1, 1])
        self.assertTrue(old)
        action = self.contact_own.action_view_complaints()
        self.assertEqual(action["domain"], [("partner_id", "=", self.customer_own.id)])
        self.assertEqual(action["context"]["default_contact_id"], self.contact_own.id)

    def test_partner_counters_one_query_per_figure(self):
        """The counters cost the same for one partner as for many."""
        many = self.env["res.partner"].create(
            [{"name": f"Customer {i}", "is_company": True} for i in range(20)]
        )
        for partner in many[:5]:
            self._create_complaint(partner_id=partner.id)
        self.env.flush_all()

        def queries(partners):
            partners.invalidate_recordset()
            partners.commercial_partner_id.mapped("name")
            before = self.env.cr.sql_log_count
            partners.mapped("complaint_count")
            partners.mapped("open_complaint_count")
            return self.env.cr.sql_log_count - before

        self.assertEqual(queries(many[:1]), queries(many))

    def test_repeat_complainers(self):
        self.company.complaint_repeat_tier_ids = self.tier_a | self.tier_b
        self._create_complaint()
        Partner = self.env["res.partner"]
        self.assertNotIn(
            self.customer_own, Partner.search([("is_repeat_complainer", "=", True)])
        )
        cancelled = self._create_complaint()
        self.advance(cancelled, "cancelled")
        self.assertNotIn(
            self.customer_own, Partner.search([("is_repeat_complainer", "=", True)])
        )
        self._create_complaint()
        # a low tier customer with as many complaints is not a large customer
        self._create_complaint(partner_id=self.customer_other.id)
        self._create_complaint(partner_id=self.customer_other.id)
        repeat = Partner.search([("is_repeat_complainer", "=", True)])
        self.assertIn(self.customer_own, repeat)
        self.assertNotIn(self.customer_other, repeat)
        self.assertNotIn(
            self.customer_own, Partner.search([("is_repeat_complainer", "=", False)])
        )
        self.customer_own.invalidate_recordset()
        self.assertTrue(self.customer_own.is_repeat_complainer)
        self.assertTrue(self.contact_own.is_repeat_complainer)
        # every tier when none is set
        self.company.complaint_repeat_tier_ids = False
        self.assertIn(
            self.customer_other, Partner.search([("is_repeat_complainer", "=", True)])
        )
        action = self.env.ref(
            "customer_relationship.res_partner_action_repeat_complainers"
        )
        self.assertIn("is_repeat_complainer", action.domain)
