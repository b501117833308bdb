from . import customer_tier
from . import res_partner
from . import customer_complaint_category
from . import customer_complaint_stage
from . import customer_complaint
from . import res_company
from . import res_config_settings
