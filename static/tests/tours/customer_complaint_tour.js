import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

function currentStage(name) {
    return {
        content: `The complaint is in the "${name}" stage`,
        trigger: `.o_statusbar_status button.o_arrow_button_current:contains('${name}')`,
    };
}

function pageOpen(page) {
    return {
        content: `The "${page}" page of the current step opened by itself`,
        trigger: `.o_notebook .nav-link.active[name='${page}']`,
    };
}

function required(field) {
    return {
        content: `The form marks ${field} as needed`,
        trigger: `.o_field_widget.o_required_modifier[name='${field}']`,
    };
}

function fill(field, text) {
    return {
        content: `Fill in ${field}`,
        trigger: `.o_field_widget[name='${field}'] textarea`,
        run: `edit ${text}`,
    };
}

function primary(name, content) {
    return {
        content,
        trigger: `.o_form_view .o_statusbar_buttons button.btn-primary[name='${name}']`,
        run: "click",
    };
}

const nextStep = primary("action_next_step", "Go to the next step");

registry.category("web_tour.tours").add("customer_relationship_complaint", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(
            "customer_relationship.menu_customer_relationship_root",
            "Open the Customer Relationship app"
        ),
        {
            content: "Open the Complaints menu",
            trigger:
                ".o_main_navbar button[data-menu-xmlid='customer_relationship.menu_customer_complaint_root']",
            run: "click",
        },
        {
            content: "Open the service desk",
            trigger:
                ".dropdown-item[data-menu-xmlid='customer_relationship.menu_customer_complaint_team_dashboard']",
            run: "click",
        },
        {
            content: "Open the open complaints of the tour's team",
            trigger:
                ".o_kanban_record:contains('Tour Desk') button[name='action_open_complaints']",
            run: "click",
        },
        {
            content: "Record a new complaint",
            trigger: ".o_kanban_view .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Choose the customer",
            trigger: ".o_field_widget[name='partner_id'] input",
            run: "edit Tour Complaint Customer",
        },
        {
            content: "Pick it in the list",
            trigger:
                ".o-autocomplete--dropdown-item:contains('Tour Complaint Customer')",
            run: "click",
        },
        {
            content: "Give the complaint a subject",
            trigger: ".o_field_widget[name='name'] input",
            run: "edit Machine stopped after two days",
        },
        currentStage("Listen"),
        pageOpen("listen"),
        // The Listen gate's facts are marked before anybody fails the gate.
        required("customer_words"),
        required("channel"),
        nextStep,
        {
            content: "The form names what is missing",
            trigger: ".o_notification:contains('Customer\'s Words')",
        },
        {
            content: "Note the channel",
            trigger: ".o_field_widget[name='channel'] select",
            run: "selectByLabel Phone",
        },
        fill(
            "customer_words",
            "The machine stopped after two days and nobody called back!"
        ),
        nextStep,
        currentStage("Apologise and Thank"),
        pageOpen("apologize"),
        {
            content: "The apology was made on the phone",
            trigger: ".o_field_widget[name='apology_sent'] input",
            run: "click",
        },
        nextStep,
        currentStage("Understand"),
        pageOpen("understand"),
        required("root_cause"),
        fill("issue_description", "The motor stopped on the second day."),
        fill("dissatisfaction_reason", "Production stopped for a day."),
        {
            content: "The customer is reasonable",
            trigger:
                ".o_field_widget[name='customer_reasonable'] input[data-value='yes']",
            run: "click",
        },
        fill("desired_resolution", "A replacement machine this week."),
        fill("root_cause", "A faulty motor batch."),
        nextStep,
        currentStage("Propose a Solution"),
        pageOpen("propose"),
        {
            content: "Moving on without sending the proposal is not the primary path",
            trigger:
                ".o_statusbar_buttons button[name='action_next_step']:not(.btn-primary)",
        },
        {
            content: "Propose a replacement",
            trigger: ".o_field_widget[name='solution_type'] select",
            run: "selectByLabel Replacement",
        },
        fill("solution_details", "We replace the machine within three days."),
        primary("action_send_solution", "Send the proposal to the customer"),
        {
            content: "The proposal carries the link to accept or reject it",
            trigger: ".modal .o_mail_composer_form:contains('accept or reject')",
        },
        {
            content: "Send it",
            trigger: ".modal button.o_mail_send",
            run: "click",
        },
        currentStage("Customer's Verdict"),
        pageOpen("verdict"),
        primary("action_set_verdict_accepted", "The customer accepts the solution"),
        currentStage("Follow-up"),
        pageOpen("follow_up"),
        {
            content: "Follow up by phone",
            trigger: ".o_field_widget[name='followup_channel'] select",
            run: "selectByLabel Phone",
        },
        {
            content: "Plan the follow-up",
            trigger: ".o_field_widget[name='followup_date'] input",
            run: "edit 03/15/2026 && click body",
        },
        fill("followup_feedback", "The new machine works well, thank you."),
        nextStep,
        currentStage("Done"),
        pageOpen("closing"),
        {
            content: "Wait for the save",
            trigger: ".o_form_view .o_form_saved, .o_form_view .o_form_readonly",
        },
    ],
});

registry.category("web_tour.tours").add("customer_relationship_complaint_portal", {
    url: "/my/complaints",
    steps: () => [
        {
            content: "File a complaint",
            trigger: "a#complaint_file_new",
            run: "click",
        },
        {
            content: "Give it a subject",
            trigger: "#complaint_new_form input[name='subject']",
            run: "edit Labels peel off",
        },
        {
            content: "Tell what happened",
            trigger: "#complaint_new_form textarea[name='customer_words']",
            run: "edit The labels of the last delivery peel off after a day.",
        },
        {
            content: "Choose the order",
            trigger: "#complaint_new_form select[name='sale_order_id']",
            run: "selectByIndex 1",
        },
        {
            content: "Send it",
            trigger: "#complaint_new_submit",
            run: "click",
        },
        {
            content: "The complaint is received",
            trigger: "#complaint_filed",
        },
        {
            content: "Back to the list",
            trigger: ".o_portal_submenu a[href^='/my/complaints']",
            run: "click",
        },
        {
            content: "It is in the list at once",
            trigger: "table td:contains('Labels peel off')",
        },
    ],
});
