# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged, users

from .complaint_common import ComplaintCase

FOLLOWUP = "customer_relationship.mail_activity_type_followup"
GREETING = "customer_relationship.mail_activity_type_greeting"


class MyDayCase(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.cards = {
            card.kind: card for card in cls.env["customer.day.card"].search([])
        }
        cls.customer_own.write(
            {
                "lifecycle_stage": "dormant_temporary",
                "lifecycle_stage_date": cls.today - timedelta(days=2),
            }
        )
        cls.customer_other.write(
            {
                "lifecycle_stage": "dormant_temporary",
                "lifecycle_stage_date": cls.today - timedelta(days=1),
            }
        )
        cls.customer_free.write(
            {
                "user_id": cls.user_own.id,
                "lifecycle_stage": "dormant_temporary",
                "lifecycle_stage_date": cls.today - timedelta(days=30),
            }
        )
        for partner, user, xmlid, days in (
            (cls.customer_own, cls.user_own, FOLLOWUP, 0),
            (cls.customer_free, cls.user_own, FOLLOWUP, -3),
            (cls.customer_own, cls.user_own, FOLLOWUP, 2),
            (cls.customer_other, cls.user_other_own, FOLLOWUP, 0),
            (cls.contact_own, cls.user_own, GREETING, 3),
            (cls.customer_own, cls.user_own, GREETING, 12),
        ):
            partner.activity_schedule(
                xmlid, date_deadline=cls.today + timedelta(days=days), user_id=user.id
            )
        cls.complaint_soon = cls._create_complaint(name="Due soon")
        cls.complaint_later = cls._create_complaint(name="Due later")
        cls.complaint_other = cls._create_complaint(
            name="Other's", partner_id=cls.customer_other.id, user_id=False
        )
        now = fields.Datetime.now()
        cls.complaint_soon.sla_deadline = now + timedelta(hours=3)
        cls.complaint_later.sla_deadline = now + timedelta(days=3)
        cls.complaint_other.sla_deadline = now + timedelta(hours=3)


@tagged("post_install", "-at_install")
class TestMyDay(MyDayCase):
    def _cards(self):
        return {card.kind: card for card in self.env["customer.day.card"].search([])}

    @users("cr_own")
    def test_counts_are_the_users_own(self):
        cards = self._cards()
        self.assertEqual(
            list(cards), ["followups", "complaints", "dormant", "greetings"]
        )
        self.assertEqual(cards["followups"].item_count, 2)  # today and overdue
        self.assertEqual(cards["complaints"].item_count, 1)
        self.assertEqual(cards["dormant"].item_count, 1)
        self.assertEqual(cards["greetings"].item_count, 1)
        self.assertEqual(
            [item["name"] for item in cards["complaints"].preview],
            [self.complaint_soon.display_name],
        )
        self.assertIn("left", cards["complaints"].preview[0]["detail"])
        self.assertEqual(
            [item["name"] for item in cards["dormant"].preview],
            [self.customer_own.display_name],
        )
        self.assertEqual(
            [item["name"] for item in cards["greetings"].preview],
            [self.contact_own.display_name],
        )

    @users("cr_other_own")
    def test_other_salesperson_sees_theirs(self):
        cards = self._cards()
        self.assertEqual(cards["followups"].item_count, 1)
        self.assertEqual(cards["dormant"].item_count, 1)
        self.assertEqual(cards["greetings"].item_count, 0)
        # their customer's complaint, though nobody handles it
        self.assertEqual(cards["complaints"].item_count, 1)
        self.assertEqual(cards["complaints"].preview[0]["id"], self.complaint_other.id)

    @users("cr_own")
    def test_waiting_queue_noted(self):
        self.env["customer.followup.queue"].sudo().create(
            {
                "partner_id": self.customer_free.id,
                "customer_id": self.customer_free.id,
                "kind": "followup",
                "reason": "due",
                "user_id": self.user_own.id,
                "paced": True,
                "state": "waiting",
            }
        )
        card = self._cards()["followups"]
        self.assertEqual(card.waiting_count, 1)
        self.assertIn("1 more waiting", card.note)
        self.assertFalse(self._cards()["dormant"].note)

    @users("cr_own")
    def test_card_opens_its_items(self):
        for kind, card in self._cards().items():
            action = card.action_open_items()
            found = self.env[action["res_model"]].search(action["domain"])
            self.assertEqual(len(found), card.item_count, kind)
            self.assertEqual(found[:1].id, card.preview[0]["id"], kind)

    def test_home_per_level(self):
        Card = self.env["customer.day.card"]
        own = Card.with_user(self.user_own).action_open_home()
        self.assertEqual(own["res_model"], "customer.day.card")
        manager = Card.with_user(self.user_manager).action_open_home()
        self.assertEqual(manager["res_model"], "res.partner")
        root = self.env.ref("customer_relationship.menu_customer_relationship_root")
        self.assertEqual(
            root.action,
            self.env.ref("customer_relationship.action_customer_relationship_home"),
        )

    def test_counts_in_few_queries(self):
        """Counts per card, not per record: more items, no more queries."""

        def queries():
            Card = self.env["customer.day.card"].with_user(self.user_own)
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Card.search([]).mapped("item_count")
            return self.env.cr.sql_log_count - before

        queries()  # warm the caches (rules, references)
        first = queries()
        for index in range(12):
            customer = self.create_customer(
                f"Busy Customer {index}", user_id=self.user_own.id
            )
            customer.activity_schedule(FOLLOWUP, user_id=self.user_own.id)
        self.assertEqual(queries(), first)


@tagged("post_install", "-at_install")
class TestMyDayTour(HttpCase, MyDayCase):
    def test_my_day_tour(self):
        """A salesperson opens the app on My Day and goes from a card to the
        customer to follow up and to the complaint at risk."""
        self.start_tour("/odoo", "customer_relationship_my_day", login="cr_own")
