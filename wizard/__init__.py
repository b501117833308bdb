from . import customer_followup_log
from . import customer_handover
from . import customer_blacklist_confirm
