# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from .complaint_common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintAccess(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # own customer of cr_own, a customer of cr_other_own, an unassigned
        # customer, and a customer of cr_other_own whose complaint cr_own handles
        cls.own_complaint = cls._create_complaint(user_id=cls.user_other_own.id)
        cls.other_complaint = cls._create_complaint(
            partner_id=cls.customer_other.id, user_id=cls.user_other_own.id
        )
        cls.unassigned_complaint = cls._create_complaint(
            partner_id=cls.customer_free.id, user_id=cls.user_other_own.id
        )
        cls.handled_complaint = cls._create_complaint(
            partner_id=cls.customer_other.id, user_id=cls.user_own.id
        )
        cls.all_complaints = (
            cls.own_complaint
            | cls.other_complaint
            | cls.unassigned_complaint
            | cls.handled_complaint
        )

    @users("cr_plain", "cr_own", "cr_all", "cr_manager")
    def test_read_matrix(self):
        Complaint = self.env["customer.complaint"]
        login = self.env.user.login
        if login == "cr_plain":
            with self.assertRaises(AccessError):
                Complaint.search([])
            with self.assertRaises(AccessError):
                self.own_complaint.with_env(self.env).read(["name"])
            return
        visible = Complaint.search([("id", "in", self.all_complaints.ids)])
        expected = {
            "cr_own": self.own_complaint
            | self.unassigned_complaint
            | self.handled_complaint,
            "cr_all": self.all_complaints,
            "cr_manager": self.all_complaints,
        }[login]
        self.assertEqual(visible, expected.with_env(self.env))
        if login == "cr_own":
            with self.assertRaises(AccessError):
                self.other_complaint.with_env(self.env).read(["name"])

    @users("cr_plain", "cr_own", "cr_all", "cr_manager")
    def test_create_write_matrix(self):
        Complaint = self.env["customer.complaint"]
        login = self.env.user.login
        vals = {"partner_id": self.customer_own.id, "customer_words": "Too slow."}
        if login == "cr_plain":
            with self.assertRaises(AccessError):
                Complaint.create(vals)
            return
        complaint = Complaint.create(vals)
        self.assertEqual(complaint.user_id, self.env.user)
        complaint.write({"channel": "email"})
        other = self.other_complaint.with_env(self.env)
        if login == "cr_own":
            with self.assertRaises(AccessError):
                other.write({"channel": "email"})
        else:
            other.write({"channel": "email"})
            self.assertEqual(other.channel, "email")

    @users("cr_own", "cr_all", "cr_manager")
    def test_unlink_managers_only(self):
        complaint = self.own_complaint.with_env(self.env)
        if self.env.user.login == "cr_manager":
            complaint.unlink()
            self.assertFalse(complaint.exists())
        else:
            with self.assertRaises(AccessError):
                complaint.unlink()

    @users("cr_own", "cr_all", "cr_manager")
    def test_configuration_managers_only(self):
        Stage = self.env["customer.complaint.stage"]
        Category = self.env["customer.complaint.category"]
        self.assertTrue(Stage.search([]))
        stage = self.stages["listen"].with_env(self.env)
        if self.env.user.login == "cr_manager":
            stage.name = "Listen carefully"
            Category.create({"name": "Packaging"})
        else:
            with self.assertRaises(AccessError):
                stage.name = "Listen carefully"
            with self.assertRaises(AccessError):
                Category.create({"name": "Packaging"})

    @users("cr_plain", "cr_own", "cr_manager")
    def test_partner_counters_follow_access(self):
        """Users see the counts of the complaints they may see, and no error."""
        customer = self.customer_other.with_env(self.env)
        expected = {"cr_plain": 0, "cr_own": 1, "cr_manager": 2}
        self.assertEqual(customer.complaint_count, expected[self.env.user.login])

    def test_multi_company(self):
        company_b = self.env["res.company"].create({"name": "Branch Company"})
        self.user_all.write({"company_ids": [(4, company_b.id)]})
        complaint_b = (
            self.env["customer.complaint"]
            .with_company(company_b)
            .create({"partner_id": self.customer_free.id})
        )
        self.assertEqual(complaint_b.company_id, company_b)
        Complaint = self.env["customer.complaint"].with_user(self.user_all)
        self.assertNotIn(
            complaint_b,
            Complaint.with_context(allowed_company_ids=[self.company.id]).search([]),
        )
        self.assertIn(
            complaint_b,
            Complaint.with_context(
                allowed_company_ids=[self.company.id, company_b.id]
            ).search([]),
        )
        # user_own has no access to company B at all
        with self.assertRaises(AccessError):
            complaint_b.with_user(self.user_own).read(["name"])
        # company rules exist on every new model
        for model in (
            "customer.complaint",
            "customer.complaint.stage",
            "customer.complaint.category",
        ):
            rules = self.env["ir.rule"].search(
                [("model_id.model", "=", model), ("global", "=", True)]
            )
            self.assertTrue(
                any("company_ids" in rule.domain_force for rule in rules), model
            )
