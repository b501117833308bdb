import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("customer_relationship_contacts", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("contacts.menu_contacts", "Open the Contacts app"),
        {
            content: "Search the customer",
            trigger: ".o_searchview_input",
            run: "edit Tour Customer Ltd",
        },
        {
            content: "Validate the search",
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Open the customer",
            trigger: ".o_kanban_record:contains('Tour Customer Ltd')",
            run: "click",
        },
        {
            content: "Open the Relationship page",
            trigger: ".o_notebook .nav-link:contains('Relationship')",
            run: "click",
        },
        {
            content: "The customer's tier is shown",
            trigger:
                ".o_field_widget[name='customer_tier_id'] input:value('A - Key customers')",
        },
    ],
});
