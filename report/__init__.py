from . import customer_followup_hygiene_report
