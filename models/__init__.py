from . import customer_tier
from . import res_partner
