import {
    SelectionField,
    selectionField,
} from "@web/views/fields/selection/selection_field";
import {registry} from "@web/core/registry";

// Levels only a customer relationship manager may set (MANAGER_LEVELS).
const MANAGER_LEVELS = ["partner", "alliance"];

/**
 * The relationship level, offering the Partner and Strategic Alliance levels
 * only to the users who may set them (the record's `can_manage_profile`).
 */
export class CustomerRelationshipLevelField extends SelectionField {
    get options() {
        const options = super.options;
        const current = this.props.record.data[this.props.name];
        if (this.props.record.data.can_manage_profile) {
            return options;
        }
        return options.filter(
            ([value]) => !MANAGER_LEVELS.includes(value) || value === current
        );
    }
}

registry.category("fields").add("customer_relationship_level", {
    ...selectionField,
    component: CustomerRelationshipLevelField,
});
