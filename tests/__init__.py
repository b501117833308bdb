from . import test_install
from . import test_partner_form
from . import test_ui
