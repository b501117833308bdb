import {FloatField, floatField} from "@web/views/fields/float/float_field";
import {IntegerField, integerField} from "@web/views/fields/integer/integer_field";
import {registry} from "@web/core/registry";

/**
 * Numbers where 0 means "not set" (a customer's own cadence, its minimum days
 * between contacts, a satisfaction without any rating): 0 shows the field's
 * placeholder, never "0"; an empty input saves 0.
 */
function unsetFormattedValue(field, formatted) {
    if (field.value || (field.state && field.state.hasFocus)) {
        return formatted;
    }
    return field.props.readonly ? field.props.placeholder || "" : "";
}

export class CustomerUnsetIntegerField extends IntegerField {
    get formattedValue() {
        return unsetFormattedValue(this, super.formattedValue);
    }
}

export class CustomerUnsetFloatField extends FloatField {
    get formattedValue() {
        return unsetFormattedValue(this, super.formattedValue);
    }
}

registry.category("fields").add("customer_unset_integer", {
    ...integerField,
    component: CustomerUnsetIntegerField,
});
registry.category("fields").add("customer_unset_float", {
    ...floatField,
    component: CustomerUnsetFloatField,
});
