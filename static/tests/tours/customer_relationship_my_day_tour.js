import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

function card(name) {
    return `.o_customer_day .o_kanban_record:contains('${name}')`;
}

registry.category("web_tour.tours").add("customer_relationship_my_day", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(
            "customer_relationship.menu_customer_relationship_root",
            "Open the Customer Relationship app"
        ),
        {
            content: "The app opens on My Day, with today's follow-ups",
            trigger: `${card("Follow-ups Due Today")}:contains('Own Customer Co')`,
        },
        {
            content: "A complaint at risk is listed",
            trigger: `${card("Complaints at Risk")}:contains('Due soon')`,
        },
        {
            content: "Open today's follow-ups",
            trigger: card("Follow-ups Due Today"),
            run: "click",
        },
        {
            content: "Open the customer to follow up",
            trigger: ".o_list_view .o_data_row td:contains('Own Customer Co')",
            run: "click",
        },
        {
            content: "The customer's form is open",
            trigger:
                ".o_form_view .o_field_widget[name='name']:contains('Own Customer Co'), .o_form_view .o_field_widget[name='name'] input",
        },
        {
            content: "Back to My Day",
            trigger: ".o_breadcrumb .breadcrumb-item:first-child a",
            run: "click",
        },
        {
            content: "Open the complaints at risk",
            trigger: card("Complaints at Risk"),
            run: "click",
        },
        {
            content: "Open the complaint",
            trigger: ".o_list_view .o_data_row td:contains('Due soon')",
            run: "click",
        },
        {
            content: "The complaint is open at its current step",
            trigger: ".o_form_view .o_notebook .nav-link.active[name='listen']",
        },
    ],
});
