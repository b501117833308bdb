import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("customer_relationship_dashboard", {
    url: "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
    steps: () => [
        {
            content: "Open the Customer Relationship dashboard",
            trigger:
                ".o_spreadsheet_dashboard_search_panel li:contains('Customer Relationship')",
            run: "click",
        },
        {
            content: "The spreadsheet shows",
            trigger: ".o_spreadsheet_dashboard_action .o-grid",
        },
        {
            content: "Its charts are drawn",
            trigger: ".o_spreadsheet_dashboard_action .o-figure canvas",
        },
        {
            content: "No cell failed to load",
            trigger: ".o_spreadsheet_dashboard_action:not(:has(.o-error-tooltip))",
        },
    ],
});
