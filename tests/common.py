# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, new_test_user


class CustomerRelationshipCase(TransactionCase):
    """Users of every access level and customers owned by them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        salesman = "sales_team.group_sale_salesman"
        cls.user_plain = new_test_user(
            cls.env,
            login="cr_plain",
            # A default internal user: may create and edit contacts.
            groups=f"base.group_user,base.group_partner_manager,{salesman}",
        )
        cls.user_own = new_test_user(
            cls.env,
            login="cr_own",
            groups=f"customer_relationship.group_user_own,{salesman}",
        )
        cls.user_other_own = new_test_user(
            cls.env,
            login="cr_other_own",
            groups=f"customer_relationship.group_user_own,{salesman}",
        )
        cls.user_all = new_test_user(
            cls.env,
            login="cr_all",
            groups=f"customer_relationship.group_user_all,{salesman}",
        )
        cls.user_manager = new_test_user(
            cls.env,
            login="cr_manager",
            groups=f"customer_relationship.group_manager,{salesman}",
        )
        Partner = cls.env["res.partner"]
        cls.customer_own = Partner.create(
            {"name": "Own Customer Co", "is_company": True, "user_id": cls.user_own.id}
        )
        cls.customer_other = Partner.create(
            {
                "name": "Other Customer Co",
                "is_company": True,
                "user_id": cls.user_other_own.id,
            }
        )
        cls.customer_free = Partner.create(
            {"name": "Unassigned Customer Co", "is_company": True}
        )
        cls.contact_own = Partner.create(
            {"name": "Wang Fang", "parent_id": cls.customer_own.id}
        )
        cls.tier_a = cls.env.ref("customer_relationship.customer_tier_a")
        cls.tier_b = cls.env.ref("customer_relationship.customer_tier_b")
        cls.tier_c = cls.env.ref("customer_relationship.customer_tier_c")

    def set_param(self, key, value):
        # sudo: tests may run as a user without settings rights
        self.env["ir.config_parameter"].sudo().set_param(
            "customer_relationship." + key, value
        )
