# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import importlib.util

from odoo.modules.module import get_module_path
from odoo.tests import Form, users
from odoo.tools import SQL

from .complaint_common import ComplaintCase


def load_migration(version, name):
    path = f"{get_module_path('customer_relationship')}/migrations/{version}/{name}.py"
    spec = importlib.util.spec_from_file_location(f"cr_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestComplaintSubject(ComplaintCase):
    """``name`` is the subject, ``number`` the sequence."""

    @users("cr_own")
    def test_number_from_sequence_whatever_given(self):
        complaint = self.env["customer.complaint"].create(
            {
                "name": "Motor broke after two days",
                "number": "MY-OWN-1",
                "partner_id": self.customer_own.id,
            }
        )
        self.assertRegex(complaint.number, r"^CMP/\d{4}/\d{5}$")
        self.assertEqual(complaint.name, "Motor broke after two days")
        self.assertEqual(
            complaint.display_name, f"{complaint.number}: Motor broke after two days"
        )
        copy = complaint.copy()
        self.assertNotEqual(copy.number, complaint.number)
        self.assertRegex(copy.number, r"^CMP/\d{4}/\d{5}$")

    @users("cr_own")
    def test_search_by_number_or_subject(self):
        Complaint = self.env["customer.complaint"]
        first = Complaint.create(
            {"name": "Scratched desks", "partner_id": self.customer_own.id}
        )
        second = Complaint.create(
            {"name": "Late delivery", "partner_id": self.customer_own.id}
        )
        mine = [("id", "in", (first | second).ids)]
        found = Complaint.name_search(first.number, mine)
        self.assertEqual([row[0] for row in found], [first.id])
        found = Complaint.name_search("late deliv", mine)
        self.assertEqual([row[0] for row in found], [second.id])
        self.assertIn(second.display_name, dict(found).values())

    def test_subject_from_words_when_not_given(self):
        long_line = "The machine " + "really " * 20 + "broke."
        complaint = self._create_complaint(
            customer_words=f"\n   \n  {long_line}  \nSecond line."
        )
        self.assertEqual(len(complaint.name), 80)
        self.assertTrue(complaint.name.startswith("The machine really"))
        self.assertTrue(complaint.name.endswith("…"))
        category = self.env.ref(
            "customer_relationship.customer_complaint_category_delivery"
        )
        by_category = self._create_complaint(category_id=category.id)
        self.assertEqual(by_category.name, category.name)
        self.assertEqual(self._create_complaint().name, "Complaint")

    @users("cr_own")
    def test_form_asks_for_subject(self):
        form = Form(self.env["customer.complaint"])
        form.partner_id = self.customer_own
        # the Listen step's facts, which the form asks for too
        form.channel = "phone"
        form.customer_words = "Nobody answers."
        form.name = False
        with self.assertRaises(AssertionError):
            form.save()
        form.name = "Hotline never answers"
        complaint = form.save()
        self.assertRegex(complaint.number, r"^CMP/")
        self.assertEqual(complaint.name, "Hotline never answers")

    def test_subject_tracked(self):
        complaint = self._create_complaint(name="Old subject")
        self._flush_tracking()
        complaint.name = "New subject"
        self._flush_tracking()
        tracked = complaint.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "name"
        )
        self.assertEqual(tracked.old_value_char, "Old subject")
        self.assertEqual(tracked.new_value_char, "New subject")

    def test_migration_moves_number_and_sets_subject(self):
        """18.0.1.2.0 pre-migrate, on complaints whose name is their number."""
        category = self.env.ref(
            "customer_relationship.customer_complaint_category_billing"
        )
        worded = self._create_complaint(
            customer_words="\n\n  Invoiced   twice\r\nfor the same order."
        )
        long_words = self._create_complaint(customer_words="x" * 200)
        categorized = self._create_complaint(category_id=category.id)
        bare = self._create_complaint()
        complaints = worded | long_words | categorized | bare
        numbers = complaints.mapped("number")
        apology = self.env.ref("customer_relationship.mail_template_complaint_apology")
        apology.subject = "Sorry: {{ object.name }} ({{ object.company_id.name }})"
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(SQL("UPDATE customer_complaint SET name = number"))
        cr.execute(SQL("ALTER TABLE customer_complaint DROP COLUMN number"))

        load_migration("18.0.1.2.0", "pre-migrate").migrate(cr, "18.0.1.1.0")
        self.env.invalidate_all()

        self.assertEqual(complaints.mapped("number"), numbers)
        self.assertEqual(
            complaints.mapped("name"),
            ["Invoiced twice", "x" * 79 + "…", category.name, "Complaint"],
        )
        self.assertEqual(
            apology.subject, "Sorry: {{ object.number }} ({{ object.company_id.name }})"
        )
        # run twice: nothing changes
        load_migration("18.0.1.2.0", "pre-migrate").migrate(cr, "18.0.1.1.0")
        self.env.invalidate_all()
        self.assertEqual(complaints.mapped("number"), numbers)
