# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 12: no way around the access rules of SPEC §4, whatever the way in.

Each test logs in as the user concerned (``@users``, ``with_user``, the portal
through HTTP) and tries what that user should not be able to do.
"""

from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.models import MAGIC_COLUMNS
from odoo.tests import Form, HttpCase, new_test_user, tagged, users
from odoo.tests.common import JsonRpcException
from odoo.tools import file_open
from odoo.tools.convert import convert_file

from .. import hooks
from ..hooks import uninstall_hook
from ..models.res_config_settings import RELATIONSHIP_SETTINGS
from .common import CustomerRelationshipCase

MODULE = "customer_relationship"


@tagged("post_install", "-at_install")
class TestCustomerOwnership(CustomerRelationshipCase):
    """Own-customers users keep to their customers: no taking over, no giving
    away, no deleting another salesperson's customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.contact_other = Partner.create(
            {"name": "Li Wei", "parent_id": cls.customer_other.id}
        )
        # A contact with a salesperson of its own, in an unassigned company:
        # the customer (the company) is unassigned.
        cls.contact_free = Partner.create(
            {
                "name": "Zhao Min",
                "parent_id": cls.customer_free.id,
                "user_id": cls.user_other_own.id,
            }
        )

    def partner(self, record):
        return record.with_env(self.env)

    @users("cr_own")
    def test_own_user_cannot_take_or_release_another_salespersons_customer(self):
        other = self.partner(self.customer_other)
        for salesperson in (self.user_own.id, False):
            with self.assertRaises(AccessError) as caught:
                other.write({"user_id": salesperson})
            self.assertIn("Other Customer Co", str(caught.exception))
        self.assertEqual(self.customer_other.user_id, self.user_other_own)
        # Adding a contact to that customer (the company form passes its
        # salesperson as default) takes nothing over.
        contact = (
            self.env["res.partner"]
            .with_context(
                default_parent_id=self.customer_other.id,
                default_user_id=self.user_other_own.id,
            )
            .create({"name": "Hu Jun"})
        )
        self.assertEqual(contact.commercial_partner_id, self.customer_other)

    @users("cr_own")
    def test_own_user_takes_unassigned_customers_only(self):
        free = self.partner(self.customer_free)
        with self.assertRaises(AccessError):
            free.user_id = self.user_other_own
        free.user_id = self.env.user
        self.assertEqual(self.customer_free.user_id, self.user_own)
        # Releasing one's customer, or handing it over, is the manager's.
        own = self.partner(self.customer_own)
        for salesperson in (False, self.user_other_own.id):
            with self.assertRaises(AccessError):
                own.write({"user_id": salesperson})
        own.write({"user_id": self.user_own.id, "name": "Own Customer Ltd"})
        self.assertEqual(self.customer_own.user_id, self.user_own)
        # A new customer is theirs or unassigned, not a colleague's.
        Partner = self.env["res.partner"]
        with self.assertRaises(AccessError):
            Partner.create({"name": "Gift Co", "user_id": self.user_other_own.id})
        with self.assertRaises(AccessError):
            Partner.with_context(default_user_id=self.user_other_own.id).create(
                {"name": "Gift Co"}
            )
        mine = Partner.create({"name": "Mine Co", "user_id": self.user_own.id})
        self.assertEqual(mine.user_id, self.user_own)

    @users("cr_own")
    def test_own_user_cannot_move_contacts_between_salespeople(self):
        with self.assertRaises(AccessError):
            self.partner(self.contact_own).parent_id = self.customer_other
        with self.assertRaises(AccessError):
            self.partner(self.contact_other).parent_id = self.customer_own
        with self.assertRaises(AccessError):
            self.partner(self.contact_other).parent_id = False
        # Another salesperson's company under one's own: a takeover too.
        with self.assertRaises(AccessError):
            self.partner(self.customer_other).parent_id = self.customer_own
        self.assertEqual(self.contact_other.parent_id, self.customer_other)
        # Between their own and unassigned customers, contacts move freely.
        self.partner(self.contact_own).parent_id = self.customer_free
        self.assertEqual(self.contact_own.commercial_partner_id, self.customer_free)

    @users("cr_all", "cr_manager")
    def test_all_customers_users_and_managers_reassign(self):
        self.partner(self.customer_other).user_id = self.user_own
        self.assertEqual(self.customer_other.user_id, self.user_own)

    @users("cr_own", "cr_all")
    def test_users_cannot_delete_another_salespersons_customer(self):
        for partner in (self.customer_other, self.contact_other):
            with self.assertRaises(AccessError) as caught:
                self.partner(partner).unlink()
            self.assertIn("Only customer relationship managers", str(caught.exception))
            self.assertTrue(partner.exists())
        # Their own and unassigned customers' partners, they may delete.
        mine = self.env["res.partner"].create({"name": "Typo Co"})
        mine.unlink()
        self.assertFalse(mine.exists())

    @users("cr_manager")
    def test_manager_deletes_any_customer(self):
        self.partner(self.customer_other).unlink()
        self.assertFalse(self.customer_other.exists())

    @users("cr_plain", "cr_own", "cr_all", "cr_manager")
    def test_form_and_server_agree_on_who_edits_a_profile(self):
        """For each partner, the form's editable flag is what the server does
        with a change of the profile."""
        cases = {
            self.customer_own: "purchase_intent",
            self.customer_free: "purchase_intent",
            self.customer_other: "purchase_intent",
            self.contact_own: "relationship_role",
            self.contact_other: "relationship_role",
            self.contact_free: "relationship_role",
        }
        values = {"purchase_intent": "interested", "relationship_role": "finance"}
        for record, fname in cases.items():
            partner = self.partner(record)
            editable = partner.can_edit_profile
            try:
                with self.env.cr.savepoint():
                    partner.write({fname: values[fname]})
                written = True
            except AccessError:
                written = False
            self.assertEqual(
                editable,
                written,
                f"{self.env.user.login} on {record.name}: the form says "
                f"{'editable' if editable else 'read-only'}",
            )


@tagged("post_install", "-at_install")
class TestComplaintCounters(CustomerRelationshipCase):
    """Counters do not mislead: relationship users see how many complaints a
    customer has, even those they may not open."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Complaint = cls.env["customer.complaint"]
        cls.complaints = Complaint.create(
            [
                {
                    "partner_id": cls.customer_other.id,
                    "user_id": cls.user_other_own.id,
                    "customer_words": words,
                }
                for words in ("Late again.", "Wrong colour.")
            ]
        )
        # Another company's complaint about the same customer is not counted.
        cls.company_2 = cls.env["res.company"].create({"name": "Second Company"})
        Complaint.with_company(cls.company_2).create(
            {
                "partner_id": cls.customer_other.id,
                "customer_words": "Elsewhere.",
                "company_id": cls.company_2.id,
            }
        )

    @users("cr_own")
    def test_own_user_sees_the_number_of_complaints_they_may_not_open(self):
        Complaint = self.env["customer.complaint"]
        self.assertFalse(
            Complaint.search([("partner_id", "=", self.customer_other.id)])
        )
        contact = (
            self.env["res.partner"]
            .sudo()
            .create({"name": "Li Wei", "parent_id": self.customer_other.id})
        )
        for partner in (self.customer_other, contact):
            partner = partner.with_env(self.env)
            self.assertEqual(partner.complaint_count, 2)
            self.assertEqual(partner.open_complaint_count, 2)
            self.assertEqual(partner.complaint_count_12m, 2)

    @users("cr_plain")
    def test_non_relationship_users_read_no_complaint_figures(self):
        for fname in ("complaint_count", "open_complaint_count", "complaint_count_12m"):
            with self.assertRaises(AccessError):
                self.customer_other.with_env(self.env).read([fname])


@tagged("post_install", "-at_install")
class TestProfileDefaults(CustomerRelationshipCase):
    """Context ``default_*`` keys and personal defaults pass the same gates as
    explicit values."""

    def create_partner(self, **context):
        return (
            self.env["res.partner"]
            .with_context(**context)
            .create({"name": "Defaulted Co", "is_company": True})
        )

    @users("cr_plain", "cr_own", "cr_all")
    def test_manager_fields_from_context_defaults(self):
        for context in (
            {"default_customer_tier_id": self.tier_a.id},
            {"default_tier_locked": True, "default_tier_lock_reason": "Friend"},
            {
                "default_is_customer_blacklisted": True,
                "default_blacklist_reason": "fraud",
            },
        ):
            with self.assertRaises(AccessError, msg=str(context)):
                self.create_partner(**context)
        self.assertFalse(
            self.env["res.partner"].sudo().search([("name", "=", "Defaulted Co")])
        )

    @users("cr_own", "cr_manager")
    def test_engine_and_system_fields_from_context_defaults(self):
        for context in (
            {"default_lifecycle_stage": "loyal"},
            {"default_order_count": 42},
            {"default_blacklist_user_id": self.user_plain.id},
        ):
            with self.assertRaises(AccessError, msg=str(context)):
                self.create_partner(**context)

    @users("cr_own")
    def test_manager_levels_from_context_defaults(self):
        with self.assertRaises(AccessError):
            self.create_partner(default_relationship_level="alliance")

    @users("cr_plain", "cr_own")
    def test_personal_defaults(self):
        IrDefault = self.env["ir.default"]
        for fname, value in (
            ("is_customer_blacklisted", True),
            ("customer_tier_id", self.tier_a.id),
        ):
            IrDefault.set("res.partner", fname, value, user_id=True)
            with self.assertRaises(AccessError, msg=fname):
                self.create_partner()
            IrDefault.set("res.partner", fname, False, user_id=True)

    @users("cr_own")
    def test_form_with_context_default(self):
        form = Form(
            self.env["res.partner"].with_context(
                default_customer_tier_id=self.tier_a.id, default_is_company=True
            ),
            view="base.view_partner_form",
        )
        form.name = "Form Co"
        with self.assertRaises(AccessError):
            form.save()

    @users("cr_manager")
    def test_manager_defaults_apply_and_stamp(self):
        partner = self.create_partner(
            default_customer_tier_id=self.tier_a.id,
            default_is_customer_blacklisted=True,
            default_blacklist_reason="fraud",
        )
        self.assertEqual(partner.customer_tier_id, self.tier_a)
        self.assertTrue(partner.is_customer_blacklisted)
        self.assertEqual(partner.blacklist_user_id, self.env.user)
        self.assertEqual(partner.blacklist_date, fields.Date.context_today(partner))

    @users("cr_own")
    def test_company_profile_from_defaults_on_a_contact(self):
        with self.assertRaises(ValidationError):
            self.env["res.partner"].with_context(
                default_purchase_intent="interested"
            ).create({"name": "New Contact", "parent_id": self.customer_own.id})


# Internal profile fields SPEC §4 keeps from portal users, named; the test
# checks every field the addon adds to partners.
PORTAL_HIDDEN_FIELDS = (
    "economic_notes",
    "competitor_notes",
    "competitor_satisfaction",
    "value_segment",
    "loyalty_quadrant",
    "loyalty_score",
    "loyalty_strength",
    "signal_gives_suggestions",
    "signal_follows_new_products",
    "signal_refers_others",
    "signal_rejects_competitors",
    "tier_locked",
    "tier_lock_reason",
    "relationship_role",
    "influence",
    "customer_tier_id",
    "is_customer_blacklisted",
    "blacklist_reason",
    "window_revenue",
    "complaint_count",
)


@tagged("post_install", "-at_install")
class TestPortalReadsNoProfile(HttpCase, CustomerRelationshipCase):
    """Portal users read through RPC only what the portal shows: none of the
    customer profile."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_contact = cls.env["res.partner"].create(
            {
                "name": "Pan Yu",
                "parent_id": cls.customer_own.id,
                "email": "pan.yu@own-customer.example.com",
                "relationship_role": "decision_maker",
                "influence": "high",
            }
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="cr_hardening_portal",
            password="cr_hardening_portal",
            groups="base.group_portal",
            partner_id=cls.portal_contact.id,
            email=cls.portal_contact.email,
        )
        cls.customer_own.write(
            {
                "economic_notes": "Cash flow problems this year.",
                "competitor_notes": "Buys from Rival Ltd too.",
                "competitor_satisfaction": "high",
                "tier_locked": True,
                "customer_tier_id": cls.tier_a.id,
                "tier_lock_reason": "Group contract",
            }
        )
        cls.env["customer.complaint"].create(
            {"partner_id": cls.customer_own.id, "customer_words": "Late again."}
        )

    def test_every_profile_field_is_refused_through_read_and_search_read(self):
        Partner = self.env["res.partner"]
        added = sorted(
            name for name, field in Partner._fields.items() if MODULE in field._modules
        )
        self.assertTrue(set(PORTAL_HIDDEN_FIELDS) <= set(added))
        as_portal = Partner.with_user(self.portal_user)
        for partner in (self.customer_own, self.portal_contact):
            for fname in added:
                with self.assertRaises(AccessError, msg=fname):
                    partner.with_user(self.portal_user).read([fname])
                with self.assertRaises(AccessError, msg=fname):
                    as_portal.search_read([("id", "=", partner.id)], [fname])
        # What the portal shows stays readable.
        self.assertEqual(
            self.portal_contact.with_user(self.portal_user).read(["email"])[0]["email"],
            "pan.yu@own-customer.example.com",
        )

    def test_rpc_refused_and_portal_pages_render(self):
        self.authenticate("cr_hardening_portal", "cr_hardening_portal")
        for fname in PORTAL_HIDDEN_FIELDS:
            with self.assertRaises(JsonRpcException, msg=fname) as caught:
                self.make_jsonrpc_request(
                    "/web/dataset/call_kw/res.partner/read",
                    {
                        "model": "res.partner",
                        "method": "read",
                        "args": [[self.customer_own.id], [fname]],
                        "kwargs": {},
                    },
                )
            self.assertIn("AccessError", str(caught.exception))
        for url in ("/my", "/my/account", "/my/complaints"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertNotIn("Cash flow problems", response.text)


@tagged("post_install", "-at_install")
class TestBlacklistDetails(CustomerRelationshipCase):
    """Blacklist details reach relationship users only; who and when are the
    system's; moving contacts opens no way around the block."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "Oolong Tea", "list_price": 100.0}
        )
        cls.customer_own.write(
            {
                "is_customer_blacklisted": True,
                "blacklist_reason": "unpaid",
                "blacklist_note": "Invoice 2025/042 never paid",
            }
        )

    def make_order(self, partner, user):
        return (
            self.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": partner.id,
                    "user_id": user.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 1}
                        )
                    ],
                }
            )
        )

    def confirm_refused(self, partner, user):
        order = self.make_order(partner, user)
        with self.assertRaises(UserError) as caught:
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        return str(caught.exception)

    def test_plain_salesperson_gets_no_details(self):
        self.set_param("blacklist_mode", "block")
        message = self.confirm_refused(self.customer_own, self.user_plain)
        self.assertIn("Own Customer Co is blacklisted", message)
        self.assertNotIn("Unpaid", message)
        self.assertNotIn("Invoice 2025/042", message)
        # A relationship user gets the reason.
        message = self.confirm_refused(self.customer_own, self.user_all)
        self.assertIn("Invoice 2025/042 never paid", message)

    def test_warn_note_says_no_more(self):
        self.set_param("blacklist_mode", "warn")
        for user in (self.user_plain, self.user_own):
            order = self.make_order(self.contact_own, user)
            order.action_confirm()
            self.assertEqual(order.state, "sale")
            note = order.message_ids.filtered(lambda m: "blacklisted" in (m.body or ""))
            self.assertEqual(len(note), 1)
            self.assertIn("Own Customer Co", note.body)
            self.assertNotIn("Unpaid", note.body)
            self.assertNotIn("Invoice 2025/042", note.body)

    @users("cr_manager")
    def test_who_and_when_are_the_systems(self):
        partner = self.customer_free.with_env(self.env)
        for vals in (
            {"blacklist_user_id": self.user_plain.id},
            {"blacklist_date": "2020-01-01"},
            {
                "is_customer_blacklisted": True,
                "blacklist_reason": "fraud",
                "blacklist_user_id": self.user_plain.id,
            },
            {
                "is_customer_blacklisted": True,
                "blacklist_reason": "fraud",
                "blacklist_date": "2020-01-01",
            },
        ):
            with self.assertRaises(AccessError, msg=str(vals)):
                partner.write(vals)
        with self.assertRaises(AccessError):
            self.env["res.partner"].create(
                {
                    "name": "Backdated Co",
                    "is_customer_blacklisted": True,
                    "blacklist_reason": "fraud",
                    "blacklist_date": "2020-01-01",
                }
            )
        partner.write({"is_customer_blacklisted": True, "blacklist_reason": "fraud"})
        self.assertEqual(partner.blacklist_user_id, self.env.user)
        self.assertEqual(partner.blacklist_date, fields.Date.context_today(partner))

    def test_contacts_moving_to_and_from_a_blacklisted_company(self):
        self.set_param("blacklist_mode", "block")
        manager = self.user_manager
        # A contact of a blacklisted company: blocked.
        self.confirm_refused(self.contact_own, self.user_own)
        # Moved out of it: its orders are its own, not blocked.
        self.contact_own.with_user(manager).parent_id = False
        order = self.make_order(self.contact_own, self.user_own)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        # Moved into a blacklisted company: blocked.
        newcomer = self.env["res.partner"].create(
            {"name": "Sun Li", "parent_id": self.customer_free.id}
        )
        newcomer.with_user(manager).parent_id = self.customer_own
        self.confirm_refused(newcomer, self.user_own)

    def test_blacklisted_individual_joining_a_company_stays_blocked(self):
        """A person blacklisted as an individual customer keeps the block when
        made a contact of a company; the company's other contacts do not get
        it."""
        self.set_param("blacklist_mode", "block")
        manager = self.user_manager
        person = self.env["res.partner"].create({"name": "Qian Fei"})
        person.with_user(manager).write(
            {"is_customer_blacklisted": True, "blacklist_reason": "fraud"}
        )
        company = self.env["res.partner"].create(
            {"name": "Qian Trading", "is_company": True}
        )
        colleague = self.env["res.partner"].create(
            {"name": "Ma Lin", "parent_id": company.id}
        )
        person.with_user(manager).parent_id = company
        self.assertEqual(person.commercial_partner_id, company)
        message = self.confirm_refused(person, self.user_all)
        self.assertIn("Qian Fei", message)
        order = self.make_order(colleague, self.user_all)
        order.action_confirm()
        self.assertEqual(order.state, "sale")


@tagged("post_install", "-at_install")
class TestActivityDoneFollowup(CustomerRelationshipCase):
    """Follow-up dates move only for customers the user may edit, an activity
    marked done included."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.followup_type = cls.env.ref(f"{MODULE}.mail_activity_type_followup")

    def schedule(self, partner, user):
        return partner.activity_schedule(
            activity_type_id=self.followup_type.id, user_id=user.id
        )

    def test_done_on_another_salespersons_customer_moves_no_date(self):
        activity = self.schedule(self.customer_other, self.user_own)
        activity.with_user(self.user_own).action_done()
        self.assertFalse(activity.exists() and activity.active)
        self.assertFalse(self.customer_other.last_followup_date)
        self.assertFalse(self.customer_other.next_followup_date)

    def test_done_on_own_customer_records_the_followup(self):
        activity = self.schedule(self.customer_own, self.user_own)
        activity.with_user(self.user_own).action_done()
        today = fields.Date.context_today(self.customer_own)
        self.assertEqual(self.customer_own.last_followup_date, today)
        self.assertEqual(self.customer_own.last_followup_source, "activity")

    def test_done_by_a_user_without_relationship_access_moves_no_date(self):
        activity = self.schedule(self.customer_free, self.user_plain)
        activity.with_user(self.user_plain).action_done()
        self.assertFalse(self.customer_free.last_followup_date)


@tagged("post_install", "-at_install")
class TestRelationshipSettingsForManagers(CustomerRelationshipCase):
    """Relationship managers configure the relationship settings (SPEC §4),
    and nothing else of Odoo's settings."""

    def setting(self, key):
        return self.env.company._relationship_setting(key)

    @users("cr_manager")
    def test_manager_saves_the_relationship_settings(self):
        menu = self.env.ref(f"{MODULE}.menu_customer_relationship_settings")
        self.assertIn(menu.id, self.env["ir.ui.menu"]._visible_menu_ids())
        form = Form(self.env["customer.relationship.settings"])
        form.dormant_days = 200
        form.pareto_share_a = 80
        form.pareto_share_b = 20
        form.pareto_share_c = 0
        form.complaint_sla_hours_urgent = 6
        form.save().execute()
        self.assertEqual(self.setting("dormant_days"), 200)
        self.assertEqual(self.setting("pareto_share_b"), 20)
        self.assertEqual(self.setting("pareto_share_c"), 0, "0 is a value")
        self.assertEqual(self.env.company.complaint_sla_hours_urgent, 6)
        # The page reads what was saved.
        form = Form(self.env["customer.relationship.settings"])
        self.assertEqual(form.dormant_days, 200)
        self.assertEqual(form.pareto_share_c, 0)

    @users("cr_manager")
    def test_manager_changes_no_other_setting(self):
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].create({})
        with self.assertRaises(ValueError):
            self.env["customer.relationship.settings"].create(
                {"group_multi_currency": True}
            )
        Page = self.env["customer.relationship.settings"]
        section = self.env["customer.relationship.settings.mixin"]._fields
        self.assertFalse(
            set(Page._fields) - set(section) - {*MAGIC_COLUMNS, "display_name"},
            "the page has the relationship section's fields only",
        )
        self.assertTrue(set(RELATIONSHIP_SETTINGS) <= set(Page._fields))
        # It shows the same section as Odoo's Settings page.
        arch = Page.get_view(view_type="form")["arch"]
        self.assertIn('name="customer_relationship"', arch)
        self.assertIn('name="dormant_days"', arch)

    def test_update_opens_the_settings_to_managers_of_existing_databases(self):
        """A database installed before (menu for system administrators, action
        on Odoo's settings) gets the managers' page on update."""
        menu = self.env.ref(f"{MODULE}.menu_customer_relationship_settings")
        action = self.env.ref(f"{MODULE}.action_customer_relationship_settings")
        menu.groups_id = self.env.ref("base.group_system")
        action.res_model = "res.config.settings"
        for filename in (
            "views/res_config_settings_views.xml",
            "views/customer_relationship_menus.xml",
        ):
            convert_file(self.env, MODULE, filename, {}, mode="update", noupdate=False)
        self.env.invalidate_all()
        self.assertEqual(action.res_model, "customer.relationship.settings")
        visible = (
            self.env["ir.ui.menu"].with_user(self.user_manager)._visible_menu_ids()
        )
        self.assertIn(menu.id, visible)

    @users("cr_own", "cr_all")
    def test_users_cannot_change_the_settings(self):
        Page = self.env["customer.relationship.settings"]
        with self.assertRaises(AccessError):
            Page.create({"dormant_days": 1})
        page = Page.sudo().create({}).sudo(False)
        with self.assertRaises(AccessError):
            page.execute()
        self.assertEqual(self.setting("dormant_days"), 180)


@tagged("post_install", "-at_install")
class TestUninstallInBatches(CustomerRelationshipCase):
    """The uninstall hook deletes by SQL in batches, and the documentation
    says what goes."""

    def test_hook_deletes_in_batches_without_orm_unlink(self):
        complaints = self.env["customer.complaint"].create(
            [
                {"partner_id": self.customer_own.id, "customer_words": f"Issue {i}"}
                for i in range(5)
            ]
        )
        for complaint in complaints:
            complaint.message_post(body="Noted.")
            complaint.message_subscribe(partner_ids=self.user_all.partner_id.ids)
        followup = self.env.ref(f"{MODULE}.mail_activity_type_followup")
        partners = self.env["res.partner"].create(
            [{"name": f"Reminded {i}"} for i in range(3)]
        )
        for partner in partners:
            partner.activity_schedule(activity_type_id=followup.id)
        complaint_count = self.env["customer.complaint"].search_count([])
        statements = []
        execute = type(self.env.cr).execute

        def spy(cr, query, *args, **kwargs):
            statements.append(str(getattr(query, "code", query)))
            return execute(cr, query, *args, **kwargs)

        Complaint = self.registry["customer.complaint"]
        with (
            patch.object(hooks, "UNINSTALL_BATCH_SIZE", 2),
            patch.object(Complaint, "unlink", side_effect=AssertionError("ORM")),
            patch.object(type(self.env.cr), "execute", spy),
        ):
            uninstall_hook(self.env)
        self.assertFalse(self.env["customer.complaint"].search([]))
        self.assertFalse(
            self.env["mail.message"].search([("model", "=", "customer.complaint")])
        )
        self.assertFalse(
            self.env["mail.followers"].search(
                [("res_model", "=", "customer.complaint")]
            )
        )
        self.assertFalse(
            self.env["mail.activity"].search(
                [("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)]
            )
        )
        complaint_deletes = [
            s for s in statements if s.startswith('DELETE FROM "customer_complaint"')
        ]
        # 2 rows per statement, until one deletes fewer (the demo's too)
        self.assertEqual(len(complaint_deletes), complaint_count // 2 + 1)

    def test_documentation_warns_what_uninstalling_deletes(self):
        with file_open(f"{MODULE}/readme/CONFIGURE.md") as doc:
            text = doc.read()
        self.assertIn("Uninstalling the addon deletes its data", text)
        for deleted in ("every complaint", "the reminders and their history"):
            self.assertIn(deleted, text)
