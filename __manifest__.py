# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Customer Relationship",
    "summary": "Customer tiers, relationship levels, lifecycle stages, "
    "follow-up discipline and a six-step complaint workflow",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/customer-relationship/customer_relationship",
    "author": "Customer Relationship Contributors",
    "maintainers": ["customer-relationship"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["base", "mail", "contacts", "sale", "portal", "rating"],
    "data": [
        "security/customer_relationship_security.xml",
        "security/ir.model.access.csv",
        "data/customer_tier_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "views/customer_tier_views.xml",
        "views/customer_holiday_views.xml",
        "views/customer_lifecycle_history_views.xml",
        "views/customer_followup_log_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/customer_relationship_menus.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "customer_relationship/static/src/**/*",
        ],
        "web.assets_tests": [
            "customer_relationship/static/tests/tours/**/*",
        ],
    },
    "pre_init_hook": "pre_init_hook",
    "post_init_hook": "post_init_hook",
    "installable": True,
}
