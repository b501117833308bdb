# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.tests import Form, HttpCase, tagged
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from .common import CustomerRelationshipCase


@tagged("post_install", "-at_install")
class TestCustomerScope(CustomerRelationshipCase):
    """Staff and our own companies are not customers, unless they buy."""

    def in_scope(self, partners):
        Partner = self.env["res.partner"]
        by_domain = Partner.search(
            [("id", "in", partners.ids), *Partner._customer_scope_domain()]
        )
        by_filter = partners.filtered_domain(Partner._customer_scope_domain())
        Partner.flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT p.id FROM res_partner p WHERE p.id IN %s AND %s",
                tuple(partners.ids),
                Partner._customer_scope_sql(SQL("p")),
            )
        )
        by_sql = Partner.browse(sorted(row[0] for row in self.env.cr.fetchall()))
        self.assertEqual(by_domain, by_filter, "domain and filtered_domain agree")
        self.assertEqual(by_domain.sorted("id"), by_sql, "domain and SQL agree")
        return by_domain

    def test_staff_and_own_company_are_not_customers(self):
        staff = self.user_own.partner_id
        company = self.env.company.partner_id
        scope = self.in_scope(staff | company | self.customer_own)
        self.assertEqual(scope, self.customer_own)
        self.assertTrue(staff.is_staff_partner)
        self.assertTrue(company.is_staff_partner)
        self.assertFalse(self.customer_own.is_staff_partner)
        self.assertFalse(staff.followup_state, "no follow-up state for staff")
        never = self.env["res.partner"].search([("followup_state", "=", "never")])
        self.assertNotIn(staff, never)
        self.assertIn(self.customer_own, never)

    def test_staff_who_buy_are_customers(self):
        staff = self.user_all.partner_id
        self.create_order(staff).action_confirm()
        self.assertEqual(self.in_scope(staff), staff)
        self.assertFalse(staff.is_staff_partner)
        self.assertEqual(staff.followup_state, "never")

    def test_portal_users_stay_customers(self):
        portal_partner = self.user_other_portal.partner_id
        self.assertFalse(portal_partner.is_staff_partner)
        self.assertEqual(self.in_scope(self.customer_other), self.customer_other)

    def test_customers_action_leaves_staff_out(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relationship.res_partner_action_customer_profiles"
        )
        customers = self.env["res.partner"].search(safe_eval(action["domain"]))
        self.assertIn(self.customer_own, customers)
        self.assertNotIn(self.user_own.partner_id, customers)
        self.assertNotIn(self.env.company.partner_id, customers)


@tagged("post_install", "-at_install")
class TestCustomerScreens(CustomerRelationshipCase):
    def test_customers_menu_opens_on_my_customers(self):
        Partner = self.env["res.partner"]
        own = Partner.with_user(self.user_own).action_open_customers()
        self.assertEqual(own["context"].get("search_default_my_customers"), 1)
        self.assertEqual(own["context"].get("search_default_customer_profiles"), 1)
        every = Partner.with_user(self.user_all).action_open_customers()
        self.assertNotIn("search_default_my_customers", str(every["context"]))

    def test_lifecycle_stages_in_lifecycle_order(self):
        stages = ["dormant_permanent", "loyal", "potential", "new", "mature"]
        partners = self.env["res.partner"].create(
            [{"name": f"Stage {s}", "is_company": True} for s in stages]
        )
        for partner, stage in zip(partners, stages, strict=True):
            self.env.cr.execute(
                SQL(
                    "UPDATE res_partner SET lifecycle_stage = "
                    "jsonb_build_object(%s::text, %s) WHERE id = %s",
                    self.env.company.id,
                    stage,
                    partner.id,
                )
            )
        partners.invalidate_recordset(["lifecycle_stage"])
        domain = [("id", "in", partners.ids)]
        # pivot and graph: eager read_group
        groups = self.env["res.partner"].read_group(
            domain, ["lifecycle_stage"], ["lifecycle_stage"], lazy=False
        )
        self.assertEqual(
            [group["lifecycle_stage"] for group in groups],
            ["potential", "new", "mature", "loyal", "dormant_permanent"],
        )
        # kanban: every stage as a column, in order
        groups = self.env["res.partner"].read_group(
            domain, ["lifecycle_stage"], ["lifecycle_stage"]
        )
        self.assertEqual(
            [group["lifecycle_stage"] for group in groups],
            [
                "potential",
                "new",
                "mature",
                "loyal",
                "dormant_temporary",
                "dormant_permanent",
            ],
        )

    def test_strength_in_force_and_key_people(self):
        self.customer_own.customer_tier_id = self.tier_a
        self.assertFalse(self.customer_own.loyalty_strength)
        self.assertEqual(self.customer_own.loyalty_strength_in_force, "strong")
        self.customer_own.loyalty_strength = "weak"
        self.assertEqual(self.customer_own.loyalty_strength_in_force, "weak")
        self.contact_own.write({"relationship_role": "finance", "influence": "high"})
        self.assertEqual(self.customer_own.key_people_ids, self.contact_own)
        self.assertTrue(self.customer_own.has_working_tie)
        self.assertFalse(self.customer_own.has_executive_tie)

    def test_form_of_another_salespersons_customer(self):
        """An own-customers user reads another's customer: not editable (the
        notice shows), and the manager levels are not theirs to set."""
        partner = self.customer_other.with_user(self.user_own)
        self.assertFalse(partner.can_edit_profile)
        self.assertFalse(partner.can_manage_profile)
        self.assertTrue(self.customer_own.with_user(self.user_own).can_edit_profile)
        view = self.env.ref("customer_relationship.view_partner_form")
        self.assertIn("ask a customer relationship manager", view.arch)

    @freeze_time("2026-06-15")
    def test_follow_up_log_posts_one_note(self):
        customer = self.customer_own.with_context(tracking_disable=False)
        followup = self.env.ref("customer_relationship.mail_activity_type_followup")
        customer.activity_schedule(
            activity_type_id=followup.id, user_id=self.user_own.id
        )
        customer.activity_schedule(
            activity_type_id=followup.id, user_id=self.user_own.id
        )
        before = customer.message_ids
        wizard = (
            self.env["customer.followup.log"]
            .with_user(self.user_own)
            .with_context(tracking_disable=False)
            .create({"partner_id": customer.id, "summary": "Called the buyer"})
        )
        wizard.action_log()
        self.env.cr.precommit.run()  # the tracking messages, if any
        new = customer.message_ids - before
        self.assertEqual(len(new), 1, new.mapped("body"))
        self.assertIn("Called the buyer", new.body)
        self.assertFalse(customer.activity_ids, "both follow-ups are done")
        self.assertEqual(customer.last_followup_date, date(2026, 6, 15))


@tagged("post_install", "-at_install")
class TestBlacklistWarning(CustomerRelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_own.write(
            {
                "is_customer_blacklisted": True,
                "blacklist_reason": "unpaid",
                "blacklist_note": "Invoice 2025/042 never paid",
            }
        )

    def test_choosing_a_blacklisted_customer_warns(self):
        self.set_param("blacklist_mode", "warn")
        order = self.env["sale.order"].with_user(self.user_own).new({})
        order.partner_id = self.contact_own
        warning = order._onchange_partner_id_customer_blacklist()["warning"]
        self.assertIn("Own Customer Co", warning["title"])
        self.assertIn("Invoice 2025/042 never paid", warning["message"])
        order.partner_id = self.customer_free
        self.assertFalse(order._onchange_partner_id_customer_blacklist())
        # a salesperson without relationship rights: no blacklist details
        plain = self.env["sale.order"].with_user(self.user_plain).new({})
        plain.partner_id = self.customer_own
        warning = plain._onchange_partner_id_customer_blacklist()["warning"]
        self.assertIn("blacklisted", warning["message"])
        self.assertNotIn("2025/042", warning["message"])

    def test_warn_mode_asks_who_confirms_from_the_form(self):
        self.set_param("blacklist_mode", "warn")
        order = self.create_order(self.contact_own, user=self.user_own)
        action = order.with_context(customer_blacklist_warning=True).action_confirm()
        self.assertEqual(action["res_model"], "customer.blacklist.confirm")
        self.assertEqual(order.state, "draft", "nothing confirmed before the answer")
        wizard = self.env["customer.blacklist.confirm"].browse(action["res_id"])
        self.assertIn("Own Customer Co", wizard.warning)
        wizard.with_user(self.user_own).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(
            len(order.message_ids.filtered(lambda m: "blacklisted" in (m.body or ""))),
            1,
        )

    def test_other_ways_in_confirm_as_before(self):
        self.set_param("blacklist_mode", "warn")
        order = self.create_order(self.customer_own, user=self.user_own)
        self.assertTrue(order.action_confirm())
        self.assertEqual(order.state, "sale")
        free = self.create_order(self.customer_free, user=self.user_own)
        free.with_context(customer_blacklist_warning=True).action_confirm()
        self.assertEqual(free.state, "sale", "no dialog for other customers")


@tagged("post_install", "-at_install")
class TestHandoverPreview(CustomerRelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quotation = cls.create_order(
            cls.customer_own, order_values={"user_id": cls.user_own.id}
        )
        cls.others_quotation = cls.create_order(
            cls.customer_own, order_values={"user_id": cls.user_all.id}
        )
        cls.complaint = cls.env["customer.complaint"].create(
            {
                "name": "Late delivery",
                "partner_id": cls.customer_own.id,
                "user_id": cls.user_own.id,
                "customer_words": "Late again",
            }
        )
        cls.customer_own.message_subscribe(partner_ids=cls.user_own.partner_id.ids)
        cls.customer_own.activity_schedule(
            activity_type_id=cls.env.ref("mail.mail_activity_data_call").id,
            user_id=cls.user_own.id,
        )
        cls.customer_own.last_followup_date = date(2026, 3, 1)

    def test_preview_and_move(self):
        form = Form(self.env["customer.handover"].with_user(self.user_manager))
        form.from_user_id = self.user_own
        form.to_user_id = self.user_all
        self.assertEqual(form.partner_count, 1)
        self.assertEqual(form.order_count, 1)
        self.assertEqual(form.complaint_count, 1)
        self.assertEqual(form.activity_count, 1)
        self.assertEqual(form.follower_count, 1)
        form.save().action_handover()
        self.assertEqual(self.quotation.user_id, self.user_all)
        self.assertEqual(self.complaint.user_id, self.user_all)
        self.assertEqual(self.others_quotation.user_id, self.user_all, "unchanged")

    def test_note_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.user_manager.lang = "zh_CN"
        wizard = (
            self.env["customer.handover"]
            .with_user(self.user_manager)
            .with_context(lang="zh_CN")  # the web client's context for this user
            .create({"from_user_id": self.user_own.id, "to_user_id": self.user_all.id})
        )
        wizard.action_handover()
        note = self.customer_own.message_ids[:1]
        self.assertIn("2026年03月01日", note.body)
        self.assertNotIn("2026-03-01", note.body)


@tagged("post_install", "-at_install")
class TestCustomerScreensTour(HttpCase, CustomerRelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.blacklisted = cls.create_customer(
            "Tour Blacklisted Ltd",
            user_id=cls.user_own.id,
            is_customer_blacklisted=True,
            blacklist_reason="fraud",
        )

    def test_blacklist_warning_on_quotation(self):
        self.set_param("blacklist_mode", "warn")
        self.start_tour(
            "/odoo/action-sale.action_quotations_with_onboarding/new",
            "customer_relationship_blacklist_quotation",
            login="cr_own",
        )
        order = self.create_order(self.blacklisted, user=self.user_own)
        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{order.id}",
            "customer_relationship_blacklist_confirm",
            login="cr_own",
        )
        self.assertEqual(order.state, "sale")

    def test_handover_preview(self):
        order = self.create_order(
            self.blacklisted, order_values={"user_id": self.user_own.id}
        )
        complaint = self.env["customer.complaint"].create(
            {
                "name": "Tour complaint",
                "partner_id": self.blacklisted.id,
                "user_id": self.user_own.id,
                "customer_words": "Broken",
            }
        )
        self.start_tour("/odoo", "customer_relationship_handover", login="cr_manager")
        self.assertEqual(self.blacklisted.user_id, self.user_all)
        self.assertEqual(order.user_id, self.user_all)
        self.assertEqual(complaint.user_id, self.user_all)
