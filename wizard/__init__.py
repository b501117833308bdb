from . import customer_followup_log
