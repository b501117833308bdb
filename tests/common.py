# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

SALESMAN = "sales_team.group_sale_salesman"

# The internal users, one per access level, that CustomerRelationshipCase
# creates: attribute -> (login, groups, name). The portal users come with the
# customers they belong to. Each password is the login, for tours and
# HttpCase.authenticate.
USERS = {
    # A default internal user: may create and edit contacts, no relationship group.
    "user_plain": (
        "cr_plain",
        f"base.group_user,base.group_partner_manager,{SALESMAN}",
        "Ivy Plain",
    ),
    "user_own": (
        "cr_own",
        f"customer_relationship.group_user_own,{SALESMAN}",
        "Owen Own",
    ),
    "user_other_own": (
        "cr_other_own",
        f"customer_relationship.group_user_own,{SALESMAN}",
        "Olga Other",
    ),
    "user_all": (
        "cr_all",
        f"customer_relationship.group_user_all,{SALESMAN}",
        "Alice All",
    ),
    "user_manager": (
        "cr_manager",
        f"customer_relationship.group_manager,{SALESMAN}",
        "Mary Manager",
    ),
}


class CustomerRelationshipCase(TransactionCase):
    """Users of every access level, customers owned by them, and the helpers
    every test module shares."""

    # Most tests need no chatter tracking; the complaint tests do.
    disable_tracking = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.disable_tracking:
            cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.tier_a = cls.env.ref("customer_relationship.customer_tier_a")
        cls.tier_b = cls.env.ref("customer_relationship.customer_tier_b")
        cls.tier_c = cls.env.ref("customer_relationship.customer_tier_c")
        # the tests start from tiers without policies (the demo gives tier A some)
        (cls.tier_a | cls.tier_b | cls.tier_c).write(
            {
                "pricelist_id": False,
                "complaint_priority_floor": False,
                "delivery_priority": "0",
            }
        )
        for attribute, (login, groups, name) in USERS.items():
            setattr(cls, attribute, cls._create_user(login, groups, name))
        cls.customer_own = cls.create_customer(
            "Own Customer Co",
            user_id=cls.user_own.id,
            email="info@own-customer.example.com",
        )
        cls.contact_own = cls.env["res.partner"].create(
            {
                "name": "Wang Fang",
                "parent_id": cls.customer_own.id,
                "email": "wang.fang@own-customer.example.com",
            }
        )
        cls.customer_other = cls.create_customer(
            "Other Customer Co",
            user_id=cls.user_other_own.id,
            email="contact@other-customer.example.com",
        )
        cls.customer_free = cls.create_customer(
            "Unassigned Customer Co", email="info@unassigned-customer.example.com"
        )
        # Portal users: the contact of the own customer, and one of the other.
        portal = "base.group_portal"
        cls.user_portal = cls._create_user(
            "cr_portal_wang",
            portal,
            cls.contact_own.name,
            partner_id=cls.contact_own.id,
        )
        cls.user_other_portal = cls._create_user(
            "cr_portal_pearl", portal, "Chen Jie", parent_id=cls.customer_other.id
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Packing Machine PM-300", "list_price": 5000.0}
        )

    @classmethod
    def _create_user(cls, login, groups, name, **values):
        """A user whose password is its login. On an existing partner it keeps
        the partner's email; else it gets one of its own, after its first name."""
        partner = cls.env["res.partner"].browse(values.get("partner_id"))
        email = partner.email or f"{name.split()[0].lower()}@example.com"
        return new_test_user(
            cls.env,
            login=login,
            password=login,
            groups=groups,
            name=name,
            email=email,
            **values,
        )

    @classmethod
    def create_customer(cls, name, **values):
        """A company: the commercial partner that carries a profile."""
        return cls.env["res.partner"].create(
            {"name": name, "is_company": True, **values}
        )

    @classmethod
    def create_order(cls, partner, user=None, order_values=None, **line_values):
        """A draft sale order of one test product for ``partner``, created by
        ``user`` (default: the test's environment)."""
        orders = cls.env["sale.order"]
        if user:
            orders = orders.with_user(user)
        line = {"product_id": cls.product.id, "product_uom_qty": 1, **line_values}
        return orders.create(
            {
                "partner_id": partner.id,
                "order_line": [Command.create(line)],
                **(order_values or {}),
            }
        )

    @classmethod
    def set_param(cls, key, value, company=None):
        """Set the relationship setting ``key`` of ``company`` (default: the
        current one)."""
        cls.set_settings(company, **{key: value})

    @classmethod
    def set_settings(cls, company=None, **values):
        """Set relationship settings of ``company`` (default: the current
        one) in one write: the checks across settings see them together."""
        # sudo: tests may run as a user without settings rights
        company = (company or cls.env.company).sudo()
        vals = {}
        for key, value in values.items():
            if company._fields["relationship_" + key].type == "many2one":
                value = int(value or 0) or False
            vals["relationship_" + key] = value
        company.write(vals)

    @contextmanager
    def assertRefused(self, exception, *parts, absent=()):
        """Odoo's assertRaises (in a savepoint, so a refused operation leaves
        nothing behind for the next assertions), and the message names each
        of ``parts`` and none of ``absent``."""
        with self.assertRaises(exception) as context:
            yield context
        message = str(context.exception)
        for part in parts:
            self.assertIn(part, message)
        for part in absent:
            self.assertNotIn(part, message)
