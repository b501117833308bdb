# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import CustomerRelationshipCase


@tagged("post_install", "-at_install")
class TestHandover(CustomerRelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.second_own = cls.env["res.partner"].create(
            {"name": "Second Own Co", "is_company": True, "user_id": cls.user_own.id}
        )
        cls.contact_own.user_id = cls.user_own
        cls.customer_own.message_subscribe(partner_ids=cls.user_own.partner_id.ids)
        followup = cls.env.ref("customer_relationship.mail_activity_type_followup")
        cls.activity = cls.customer_own.activity_schedule(
            activity_type_id=followup.id, user_id=cls.user_own.id
        )
        cls.other_activity = cls.customer_other.activity_schedule(
            activity_type_id=followup.id, user_id=cls.user_other_own.id
        )
        cls.customer_own.last_followup_date = "2026-03-01"

    def test_handover_in_one_step(self):
        form = Form(self.env["customer.handover"].with_user(self.user_manager))
        form.from_user_id = self.user_own
        self.assertEqual(form.partner_count, 2)
        form.to_user_id = self.user_all
        form.note = "Owen moves to the Shanghai office"
        form.save().action_handover()
        self.assertEqual((self.customer_own | self.second_own).user_id, self.user_all)
        self.assertEqual(self.contact_own.user_id, self.user_all)
        self.assertEqual(self.customer_other.user_id, self.user_other_own, "untouched")
        self.assertEqual(self.activity.user_id, self.user_all)
        self.assertEqual(self.other_activity.user_id, self.user_other_own)
        followers = self.customer_own.message_partner_ids
        self.assertIn(self.user_all.partner_id, followers)
        self.assertNotIn(self.user_own.partner_id, followers)
        note = self.customer_own.message_ids[:1]
        self.assertIn("handed over", note.body)
        self.assertIn("03/01/2026", note.body)  # in the user's date format
        self.assertIn("Shanghai", note.body)

    def test_handover_refused(self):
        with self.assertRaises(AccessError):
            self.env["customer.handover"].with_user(self.user_all).create(
                {"from_user_id": self.user_own.id, "to_user_id": self.user_all.id}
            )
        wizard = self.env["customer.handover"].create(
            {"from_user_id": self.user_own.id, "to_user_id": self.user_own.id}
        )
        with self.assertRaises(UserError):
            wizard.action_handover()
        self.assertEqual(self.customer_own.user_id, self.user_own)
