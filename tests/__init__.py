from . import test_install
from . import test_partner_form
from . import test_ui
from . import test_partner_profile
from . import test_profile_access
from . import test_blacklist
from . import test_engine_rules
from . import test_profile_refresh
