import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

// Choosing a blacklisted customer on a new quotation warns at once.
registry.category("web_tour.tours").add("customer_relationship_blacklist_quotation", {
    steps: () => [
        {
            content: "Choose the customer of the quotation",
            trigger: ".o_field_widget[name='partner_id'] input",
            run: "edit Tour Blacklisted",
        },
        {
            content: "Pick the blacklisted customer",
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Blacklisted Ltd')",
            run: "click",
        },
        {
            content: "The salesperson is warned at once",
            trigger:
                ".modal:contains('is blacklisted'):contains('Tour Blacklisted Ltd')",
        },
        {
            content: "Close the warning",
            trigger: ".modal footer button",
            run: "click",
        },
        {
            content: "The warning is closed, the quotation stays open",
            trigger: "body:not(:has(.modal)) .o_form_view",
        },
        {
            content: "Discard the new quotation",
            trigger: ".o_form_button_cancel",
            run: "click",
        },
        {
            content: "Back to the quotations",
            trigger: ".o_list_view",
        },
    ],
});

// In warn mode, who confirms sees the warning before the order is confirmed.
registry.category("web_tour.tours").add("customer_relationship_blacklist_confirm", {
    steps: () => [
        {
            content: "Confirm the quotation",
            trigger: ".o_form_statusbar button[name='action_confirm']:visible",
            run: "click",
        },
        {
            content: "The warning comes first",
            trigger:
                ".modal:contains('Confirm the order anyway?'):contains('Tour Blacklisted Ltd')",
        },
        {
            content: "Confirm anyway",
            trigger: ".modal footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger:
                ".o_statusbar_status button.o_arrow_button_current:contains('Sales Order')",
        },
    ],
});

// The handover shows what will move before moving it.
registry.category("web_tour.tours").add("customer_relationship_handover", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(
            "customer_relationship.menu_customer_relationship_root",
            "Open the Customer Relationship app"
        ),
        {
            content: "Open the configuration menu",
            trigger:
                ".o_main_navbar button[data-menu-xmlid='customer_relationship.menu_customer_relationship_config']",
            run: "click",
        },
        {
            content: "Open the handover",
            trigger:
                ".dropdown-item[data-menu-xmlid='customer_relationship.menu_customer_handover']",
            run: "click",
        },
        {
            content: "Choose who leaves",
            trigger: ".modal .o_field_widget[name='from_user_id'] input",
            run: "edit Owen",
        },
        {
            content: "Pick Owen",
            trigger: ".o-autocomplete--dropdown-item:contains('Owen Own')",
            run: "click",
        },
        {
            content: "The preview counts the open quotation",
            trigger:
                ".modal [name='handover_preview'] .o_field_widget[name='order_count']:contains('1')",
        },
        {
            content: "The preview counts the open complaint",
            trigger:
                ".modal [name='handover_preview'] .o_field_widget[name='complaint_count']:contains('1')",
        },
        {
            content: "Choose who takes over",
            trigger: ".modal .o_field_widget[name='to_user_id'] input",
            run: "edit Alice",
        },
        {
            content: "Pick Alice",
            trigger: ".o-autocomplete--dropdown-item:contains('Alice All')",
            run: "click",
        },
        {
            content: "Hand over",
            trigger: ".modal footer button[name='action_handover']",
            run: "click",
        },
        {
            content: "Done",
            trigger: ".o_notification:contains('Handed over to Alice All')",
        },
    ],
});
