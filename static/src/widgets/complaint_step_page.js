import {Component, useEffect, useRef} from "@odoo/owl";
import {registry} from "@web/core/registry";
import {standardWidgetProps} from "@web/views/widgets/standard_widget_props";

// The notebook page of each step (closed complaints show their closing).
const PAGE_OF_STEP = {done: "closing", cancelled: "closing"};

/**
 * Opens the notebook page of the complaint's current step: when the form
 * opens a complaint and whenever its step changes. A page the user opens
 * by hand stays open until the step changes.
 */
export class ComplaintStepPage extends Component {
    static template = "customer_relationship.ComplaintStepPage";
    static props = {...standardWidgetProps};

    setup() {
        this.root = useRef("root");
        useEffect(
            (resId, step) => {
                if (!step) {
                    return;
                }
                const page = PAGE_OF_STEP[step] || step;
                const form = this.root.el?.closest(".o_form_renderer");
                const tab = form?.querySelector(
                    `.o_notebook_headers a.nav-link[name='${page}']:not(.active)`
                );
                tab?.click();
            },
            () => [this.props.record.resId, this.props.record.data.step]
        );
    }
}

registry.category("view_widgets").add("customer_complaint_step_page", {
    component: ComplaintStepPage,
});
