from . import customer_tier
from . import res_partner
from . import customer_lifecycle_history
from . import customer_holiday
from . import res_config_settings
from . import sale_order
from . import customer_profile_refresh
