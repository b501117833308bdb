# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged, users

from ..engine import rules
from .complaint_common import ComplaintCase, facts_before, stages_by_step, step_facts
from .test_live_profile import LiveCase


class PlaybookCase(LiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.welcome = cls.env.ref(
            "customer_relationship.mail_activity_type_welcome_call"
        )
        cls.satisfaction = cls.env.ref(
            "customer_relationship.mail_activity_type_satisfaction_check"
        )
        cls.winback = cls.env.ref("customer_relationship.mail_activity_type_winback")

    def activities(self, partner, *types):
        domain = [
            ("res_model", "=", "res.partner"),
            ("res_id", "=", partner.id),
            ("activity_type_id", "in", [t.id for t in types]),
        ]
        return (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(domain, order="date_deadline, id")
        )


@tagged("post_install", "-at_install")
@freeze_time("2026-06-15 10:00:00")
class TestLifecyclePlaybook(PlaybookCase):
    def test_new_customer_gets_the_playbook_once(self):
        customer = self.create_customer("First Order Co", user_id=self.user_own.id)
        self.run_pass()
        self.quotation(customer, 1500.0).with_user(self.user_own).action_confirm()
        self.fold()
        self.assertEqual(customer.lifecycle_stage, "new")
        planned = self.activities(customer, self.welcome, self.satisfaction)
        self.assertEqual(planned.activity_type_id, self.welcome | self.satisfaction)
        self.assertEqual(planned.user_id, self.user_own, "for the salesperson")
        self.assertEqual(
            planned.mapped("date_deadline"), [date(2026, 6, 17), date(2026, 7, 15)]
        )
        self.assertEqual(planned[0].summary, "Welcome the new customer")
        entry = customer.lifecycle_history_ids.filtered(lambda h: not h.date_end)
        self.assertTrue(entry.playbook_scheduled)
        # a second order, the nightly pass again, the entry again: nothing more
        self.quotation(customer, 200.0).action_confirm()
        self.fold()
        self.reset_state()
        self.run_pass()
        Playbook = self.env["customer.lifecycle.playbook"]
        again = Playbook._schedule_entries({customer.id: "new"}, date(2026, 6, 15))
        self.assertFalse(again)
        self.assertEqual(len(self.activities(customer, self.welcome)), 1)

    def test_salesperson_fallback(self):
        self.set_param("reminder_user_id", self.user_manager.id)
        customer = self.create_customer("Nobody's Co")
        self.run_pass()
        self.quotation(customer, 900.0).action_confirm()
        self.fold()
        self.assertEqual(
            self.activities(customer, self.welcome).user_id,
            self.user_manager,
            "no salesperson: the reminders' fallback user",
        )

    def test_dormant_customer_gets_the_winback_once_and_it_closes(self):
        customer = self.create_customer("Sleeping Co", user_id=self.user_own.id)
        self.order(customer, datetime(2025, 11, 20, 9), 800.0)
        with freeze_time("2026-01-10 10:00:00"):
            self.run_pass()
        self.assertEqual(customer.lifecycle_stage, "new")
        welcome = self.activities(customer, self.welcome, self.satisfaction)
        self.assertEqual(len(welcome), 2, "the nightly pass noticed the entry")
        welcome.action_feedback(feedback="Called")
        back = self.env["mail.activity.plan"].create(
            {
                "name": "Welcome back",
                "res_model": "res.partner",
                "template_ids": [
                    Command.create(
                        {
                            "activity_type_id": self.env.ref(
                                "mail.mail_activity_data_todo"
                            ).id,
                            "summary": "Thank them for coming back",
                        }
                    )
                ],
            }
        )
        self.env["customer.lifecycle.playbook"].create(
            {"name": "Back", "stage": "back_from_dormant", "plan_id": back.id}
        )
        self.run_pass()
        self.assertEqual(customer.lifecycle_stage, "dormant_temporary")
        winback = self.activities(customer, self.winback)
        self.assertEqual(len(winback), 1)
        self.assertFalse(winback.customer_reminder_kind, "the playbook's")
        self.env["customer.relationship.reminder"]._cron_relationship_reminders()
        self.assertEqual(
            self.activities(customer, self.winback), winback, "no reminder beside it"
        )
        self.quotation(customer, 300.0).action_confirm()
        self.fold()
        self.assertEqual(customer.lifecycle_stage, "new")
        self.assertFalse(winback.active, "the win-back closes on the new order")
        welcome_back = self.activities(
            customer, self.env.ref("mail.mail_activity_data_todo")
        )
        self.assertEqual(welcome_back.summary, "Thank them for coming back")
        self.assertEqual(
            len(self.activities(customer, self.welcome)),
            1,
            "back, not new: no second welcome call",
        )

    def test_winback_reminder_without_playbook(self):
        self.env.ref(
            "customer_relationship.customer_lifecycle_playbook_dormant"
        ).active = False
        customer = self.create_customer("Old Sleeper Co", user_id=self.user_own.id)
        self.order(customer, datetime(2025, 11, 20, 9), 800.0)
        with freeze_time("2026-01-10 10:00:00"):
            self.run_pass()
        # the welcome plan's open activities are a contact planned by a person
        self.activities(customer, self.welcome, self.satisfaction).unlink()
        self.run_pass()
        self.assertEqual(customer.lifecycle_stage, "dormant_temporary")
        self.env["customer.relationship.reminder"]._cron_relationship_reminders()
        reminder = self.activities(customer, self.winback)
        self.assertEqual(reminder.customer_reminder_kind, "winback")

    def test_queries_do_not_grow_with_the_entries(self):
        """The activities of 100 or 1,000 entries cost the same statements."""
        partners = self.Partner.create(
            [
                {"name": f"Bulk {i}", "is_company": True, "user_id": self.user_own.id}
                for i in range(1110)
            ]
        )
        self.env.flush_all()
        self.env.cr.execute(
            """INSERT INTO customer_lifecycle_history
                      (partner_id, stage, date_start, company_id)
               SELECT unnest(%s), 'new', '2026-06-15', %s""",
            [partners.ids, self.env.company.id],
        )
        Playbook = self.env["customer.lifecycle.playbook"]
        today = date(2026, 6, 15)
        # warm the caches (types, users, plans) as a running pass has them
        Playbook._schedule_entries(dict.fromkeys(partners[:10].ids, "new"), today)
        counts = {}
        for batch in (partners[10:110], partners[110:]):
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            created = Playbook._schedule_entries(dict.fromkeys(batch.ids, "new"), today)
            self.env.flush_all()
            counts[len(batch)] = self.env.cr.sql_log_count - before
            self.assertEqual(len(created), 2 * len(batch))
        # a fixed cost, and what Odoo's create() writes per chunk of 100
        # records (activities: insert and computed values; followers)
        self.assertLessEqual(counts[100], 20, counts)
        self.assertLessEqual(
            counts[1000], counts[100] + 3 * (2000 - 200) // 100, counts
        )

    @users("cr_manager")
    def test_managers_edit_playbooks(self):
        Playbook = self.env["customer.lifecycle.playbook"]
        plan = self.env["mail.activity.plan"].create(
            {"name": "Mature check", "res_model": "res.partner"}
        )
        playbook = Playbook.create(
            {"name": "Mature", "stage": "mature", "plan_id": plan.id}
        )
        playbook.write({"stage": "loyal"})
        other = self.env["mail.activity.plan"].create(
            {"name": "Complaint plan", "res_model": "customer.complaint"}
        )
        with self.assertRefused(ValidationError, "Complaint plan"):
            playbook.write({"plan_id": other.id})

    @users("cr_all")
    def test_users_read_playbooks_only(self):
        playbook = self.env.ref("customer_relationship.customer_lifecycle_playbook_new")
        self.assertEqual(playbook.with_user(self.env.user).stage, "new")
        with self.assertRefused(AccessError):
            playbook.with_user(self.env.user).write({"stage": "loyal"})


@tagged("post_install", "-at_install")
@freeze_time("2026-06-15 10:00:00")
class TestTierPolicies(LiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Pricelist = cls.env["product.pricelist"]
        cls.key_prices = Pricelist.create({"name": "Key Customers"})
        cls.new_key_prices = Pricelist.create({"name": "Key Customers 2027"})
        cls.hand_prices = Pricelist.create({"name": "Negotiated"})
        cls.tier_a.pricelist_id = cls.key_prices

    def pricelist(self, partner):
        partner.invalidate_recordset()
        return partner.specific_property_product_pricelist

    def test_tier_pricelist_reaches_customers_and_hand_set_stays(self):
        plain = self.create_customer("Plain Big Co")
        contact = self.Partner.create({"name": "Zhao Lei", "parent_id": plain.id})
        haggler = self.create_customer("Haggler Big Co")
        haggler.property_product_pricelist = self.hand_prices
        small = self.create_customer("Small Co")
        for customer in (plain, haggler):
            self.order(customer, datetime(2026, 5, 2, 9), 2000.0)
            self.order(customer, datetime(2026, 6, 2, 9), 2000.0)
        self.order(small, datetime(2026, 6, 2, 9), 100.0)
        self.run_pass()
        self.assertEqual((plain | haggler).customer_tier_id, self.tier_a)
        self.assertEqual(self.pricelist(plain), self.key_prices)
        self.assertEqual(self.pricelist(contact), self.key_prices, "its contacts too")
        self.assertEqual(self.pricelist(haggler), self.hand_prices, "set by hand")
        self.assertFalse(self.pricelist(small), "tier C has no pricelist")
        # a quotation of the customer is priced with it
        self.assertEqual(self.create_order(plain).pricelist_id, self.key_prices)
        # a manager gives the tier another pricelist: its customers follow
        self.tier_a.with_user(self.user_manager).pricelist_id = self.new_key_prices
        self.assertEqual(self.pricelist(plain), self.new_key_prices)
        self.assertEqual(self.pricelist(haggler), self.hand_prices)
        # the customer leaves the tier: the tier's pricelist leaves with it
        plain.sale_order_ids.filtered(lambda o: o.state == "sale")[0]._action_cancel()
        self.fold()
        self.assertEqual(plain.customer_tier_id, self.tier_b)
        self.assertFalse(self.pricelist(plain))
        self.assertEqual(self.pricelist(haggler), self.hand_prices)

    @users("cr_manager")
    def test_tier_set_by_a_manager_brings_its_pricelist(self):
        customer = self.create_customer("Contract Co")
        customer.invalidate_recordset()
        customer.with_user(self.env.user).write(
            {
                "customer_tier_id": self.tier_a.id,
                "tier_locked": True,
                "tier_lock_reason": "Group contract",
            }
        )
        self.assertEqual(self.pricelist(customer), self.key_prices)

    def test_delivery_priority(self):
        self.tier_a.delivery_priority = "1"
        big = self.create_customer("Big Co", customer_tier_id=self.tier_a.id)
        ally = self.create_customer(
            "Ally Co", customer_tier_id=self.tier_c.id, relationship_level="alliance"
        )
        plain = self.create_customer("Plain Co", customer_tier_id=self.tier_c.id)
        orders = [
            self.create_order(partner, user=self.user_own)
            for partner in (big, ally, plain)
        ]
        self.assertEqual([o.delivery_priority for o in orders], ["1", "1", "0"])
        self.env.company.key_relationship_delivery_priority = "0"
        self.assertEqual(self.create_order(ally).delivery_priority, "0")


@tagged("post_install", "-at_install")
class TestComplaintPolicies(ComplaintCase):
    def test_tier_priority_floor(self):
        self.tier_a.complaint_priority_floor = "2"
        complaint = self._create_complaint(priority="1")
        self.assertEqual(complaint.priority, "2", "tier A's complaints: at least high")
        urgent = self._create_complaint(priority="3")
        self.assertEqual(urgent.priority, "3", "a higher priority stays")
        other = self._create_complaint(partner_id=self.customer_other.id)
        self.assertEqual(other.priority, "1", "tier C has no floor")

    def test_key_relationships_go_to_the_escalation_team_first(self):
        team = self.env["customer.complaint.team"].create(
            {
                "name": "Key Accounts Desk",
                "member_ids": [Command.link(self.user_all.id)],
            }
        )
        self.company.write(
            {
                "key_relationship_complaint_team_id": team.id,
                "key_relationship_complaint_priority": "2",
            }
        )
        self.customer_other.relationship_level = "alliance"
        # filed by the customer's portal user: no staff handler
        complaint = (
            self.env["customer.complaint"]
            .with_user(self.user_other_portal)
            .sudo()
            .create(
                {
                    "partner_id": self.user_other_portal.partner_id.id,
                    "customer_words": "The last delivery was wrong.",
                }
            )
        )
        self.assertEqual(complaint.team_id, team)
        self.assertEqual(complaint.user_id, self.user_all, "a member of that team")
        self.assertEqual(complaint.priority, "2")
        plain = self._create_complaint(partner_id=self.customer_free.id)
        self.assertNotEqual(plain.team_id, team)
        self.assertEqual(plain.priority, "1")


@tagged("post_install", "-at_install")
@freeze_time("2026-06-15 10:00:00")
class TestLoyaltyAndLuxuryFacts(LiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stages = stages_by_step(cls.env)

    def complaint(self, partner, when, step="done", **vals):
        values = {
            "partner_id": partner.id,
            "complaint_date": when,
            **step_facts("listen"),
            **facts_before(step),
        }
        if step != "listen":
            values["stage_id"] = self.stages[step].id
        return self.env["customer.complaint"].create({**values, **vals})

    def rate(self, complaint, stars):
        # sudo: as the /rate/<token>/<rate> controller does
        complaint = complaint.sudo()
        token = complaint._rating_get_access_token()
        complaint.rating_apply(stars, token=token, feedback="As I said")

    def test_ratings_move_the_loyalty_score(self):
        pleased = self.create_customer("Pleased Co", user_id=self.user_own.id)
        upset = self.create_customer("Upset Co", user_id=self.user_own.id)
        silent = self.create_customer("Silent Co", user_id=self.user_own.id)
        for customer in (pleased, upset, silent):
            for month in (3, 4, 5, 6):
                self.order(customer, datetime(2026, month, 2, 9), 500.0)
            self.complaint(customer, datetime(2026, 5, 10, 9))
        self.run_pass()
        self.assertEqual(pleased.loyalty_score, upset.loyalty_score)
        base = silent.loyalty_score
        self.rate(
            self.env["customer.complaint"].search([("partner_id", "=", pleased.id)]), 5
        )
        self.rate(
            self.env["customer.complaint"].search([("partner_id", "=", upset.id)]), 1
        )
        self.fold()  # the rating is a live update
        self.assertEqual(pleased.loyalty_score, base + rules.GOOD_RATING_POINTS)
        self.assertEqual(upset.loyalty_score, base - rules.BAD_RATING_PENALTY)
        self.assertEqual(silent.loyalty_score, base)
        # out of the window the ratings no longer count
        self.set_param("rating_window_months", 0)
        self.reset_state()
        self.run_pass()
        self.assertEqual(pleased.loyalty_score, base)
        self.assertEqual(upset.loyalty_score, base)

    def test_costly_alliance_is_flagged_with_its_reason(self):
        self.set_param("luxury_cost_share", 50)
        self.set_param("luxury_complaint_cost", 200)
        costly = self.create_customer("Costly Ally", relationship_level="alliance")
        cheap = self.create_customer("Cheap Ally", relationship_level="alliance")
        small = self.create_customer("Small Ally", relationship_level="partner")
        buyer = self.create_customer("Costly Buyer", relationship_level="buyer")
        for customer in (costly, cheap, buyer):
            self.order(customer, datetime(2026, 5, 2, 9), 1000.0)
        self.order(small, datetime(2026, 5, 2, 9), 100.0)
        for customer in (costly, buyer):
            self.complaint(customer, datetime(2026, 5, 10, 9))
            self.complaint(customer, datetime(2026, 6, 1, 9), step="listen")
            refund = self.env["account.move"].create(
                {
                    "move_type": "out_refund",
                    "partner_id": customer.id,
                    "invoice_date": date(2026, 6, 3),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Damaged goods",
                                "quantity": 1,
                                "price_unit": 150.0,
                            }
                        )
                    ],
                }
            )
            refund.action_post()
        # an accepted refund without credit note yet costs too
        self.complaint(
            costly,
            datetime(2026, 6, 5, 9),
            step="follow_up",
            solution_type="refund",
            refund_amount=10.0,
        )
        self.run_pass()
        self.assertEqual(costly.customer_tier_id, self.tier_b)
        self.assertEqual(costly.window_cost, 3 * 200 + 150 + 10)
        self.assertEqual(cheap.window_cost, 0)
        self.assertEqual(costly.luxury_reason, "cost")
        self.assertTrue(costly.is_luxury_relationship)
        self.assertFalse(cheap.luxury_reason)
        self.assertEqual(small.customer_tier_id, self.tier_c)
        self.assertEqual(small.luxury_reason, "lowest_tier")
        self.assertFalse(buyer.is_luxury_relationship, "a buyer is no luxury")
        customers = costly | cheap | small | buyer
        Partner = self.Partner.with_user(self.user_all)
        self.assertEqual(
            Partner.search(
                [("id", "in", customers.ids), ("is_luxury_relationship", "=", True)]
            ),
            costly | small,
        )
        self.assertEqual(
            Partner.search(
                [("id", "in", customers.ids), ("luxury_reason", "=", "cost")]
            ),
            costly,
        )
        self.assertEqual(
            Partner.search(
                [("id", "in", customers.ids), ("is_luxury_relationship", "=", False)]
            ),
            cheap | buyer,
        )
        # the cost rule is a setting
        self.set_param("luxury_cost_share", 0)
        costly.invalidate_recordset()
        self.assertFalse(costly.is_luxury_relationship)


@tagged("post_install", "-at_install")
@freeze_time("2026-06-15 10:00:00")
class TestProspectQuotations(LiveCase):
    def test_sent_confirmed_cancelled_move_the_intent(self):
        prospect = self.create_customer(
            "Curious Co", user_id=self.user_own.id, purchase_intent="hesitating"
        )
        self.run_pass()
        quotation = self.quotation(prospect, 800.0)
        quotation.with_user(self.user_own).action_quotation_sent()
        self.assertEqual(prospect.purchase_intent, "quoted_no_reply")
        self.assertEqual(prospect.quote_date, date(2026, 6, 15))
        # a second quotation, then both cancelled: back to hesitating
        second = self.quotation(prospect, 900.0)
        with freeze_time("2026-06-17 10:00:00"):
            second.with_user(self.user_own).action_quotation_sent()
        self.assertEqual(prospect.quote_date, date(2026, 6, 17))
        quotation.with_user(self.user_own)._action_cancel()
        self.assertEqual(prospect.purchase_intent, "quoted_no_reply", "one still open")
        second.with_user(self.user_own)._action_cancel()
        self.assertEqual(prospect.purchase_intent, "hesitating")
        self.assertFalse(prospect.quote_date)
        # sent by email, then confirmed: a customer now
        third = self.quotation(prospect, 700.0)
        third.with_user(self.user_own).with_context(mark_so_as_sent=True).message_post(
            body="Our offer", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertEqual(third.state, "sent")
        self.assertEqual(prospect.purchase_intent, "quoted_no_reply")
        third.with_user(self.user_own).action_confirm()
        self.assertFalse(prospect.purchase_intent)
        self.fold()
        self.assertEqual(prospect.lifecycle_stage, "new")
        # a customer who already buys is no prospect: its quotations move nothing
        fourth = self.quotation(prospect, 100.0)
        fourth.with_user(self.user_own).action_quotation_sent()
        self.assertFalse(prospect.purchase_intent)
