from . import mto_reason_wizard
