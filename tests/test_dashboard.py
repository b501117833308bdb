# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import file_open

DASHBOARD_FILE = "customer_relationship/data/files/customer_relationship_dashboard.json"


def group_field(group_by):
    """The field of a group-by ("date_end:month" -> "date_end")."""
    return group_by.split(":")[0]


@tagged("post_install", "-at_install")
class TestDashboard(TransactionCase):
    """The managers' spreadsheet dashboard reads fields that exist."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with file_open(DASHBOARD_FILE) as file:
            cls.data = json.load(file)

    def assertGroupable(self, model, fnames):
        Model = self.env[model]
        for fname in fnames:
            self.assertIn(fname, Model._fields, f"{model}.{fname}")
            self.assertTrue(Model._fields[fname].store, f"{model}.{fname}")

    def test_pivots_read_existing_fields(self):
        self.assertEqual(len(self.data["pivots"]), 4)
        for pivot in self.data["pivots"].values():
            Model = self.env[pivot["model"]]
            groupbys = [
                dim["fieldName"]
                + (f":{dim['granularity']}" if "granularity" in dim else "")
                for dim in pivot["rows"] + pivot["columns"]
            ]
            self.assertGroupable(pivot["model"], [group_field(g) for g in groupbys])
            measures = [m["fieldName"] for m in pivot["measures"]]
            for fname in measures:
                if fname != "__count":
                    field = Model._fields[fname]
                    self.assertTrue(field.aggregator, f"{pivot['model']}.{fname}")
            # the query the spreadsheet sends runs
            Model.read_group(
                pivot["domain"],
                [f for f in measures if f != "__count"],
                groupbys,
                lazy=False,
            )

    def test_pivots_have_their_cells(self):
        formulas = [
            cell["content"]
            for sheet in self.data["sheets"]
            for cell in sheet["cells"].values()
        ]
        for pivot_id in self.data["pivots"]:
            self.assertTrue(
                any(f.startswith(f"=PIVOT({pivot_id}") for f in formulas), pivot_id
            )

    def test_charts_read_existing_fields(self):
        charts = [
            figure["data"]
            for sheet in self.data["sheets"]
            for figure in sheet["figures"]
            if figure["tag"] == "chart"
        ]
        self.assertEqual(len(charts), 3)
        for chart in charts:
            meta = chart["metaData"]
            self.assertGroupable(
                meta["resModel"], [group_field(g) for g in meta["groupBy"]]
            )
            self.env[meta["resModel"]].read_group(
                chart["searchParams"]["domain"], [], meta["groupBy"], lazy=False
            )
        for xmlid in self.data["chartOdooMenusReferences"].values():
            self.assertTrue(self.env.ref(xmlid))

    def test_dashboard_for_managers(self):
        dashboard = self.env.ref(
            "customer_relationship.spreadsheet_dashboard_customer_relationship"
        )
        self.assertEqual(
            dashboard.group_ids, self.env.ref("customer_relationship.group_manager")
        )
        snapshot = dashboard.get_readonly_dashboard()["snapshot"]
        self.assertEqual(snapshot["pivots"].keys(), self.data["pivots"].keys())


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase):
    def test_dashboard_tour(self):
        """A manager opens the dashboard in the Dashboards app: its pivots and
        charts load without error."""
        self.start_tour(
            "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
            "customer_relationship_dashboard",
            login="admin",
        )
