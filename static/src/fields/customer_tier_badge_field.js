import {Many2OneField, many2OneField} from "@web/views/fields/many2one/many2one_field";
import {registry} from "@web/core/registry";

/**
 * A customer tier shown as a badge in the tier's colour when read-only, and as a
 * regular many2one when editable. The colour comes from the record's
 * `customer_tier_color` field (related to the tier's colour).
 */
export class CustomerTierBadgeField extends Many2OneField {
    static template = "customer_relationship.CustomerTierBadgeField";

    get tierColorClass() {
        const color = this.props.record.data.customer_tier_color || 0;
        return `o_tag_color_${color}`;
    }
}

export const customerTierBadgeField = {
    ...many2OneField,
    component: CustomerTierBadgeField,
};

registry.category("fields").add("customer_tier_badge", customerTierBadgeField);
