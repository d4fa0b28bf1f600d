from . import mto_quality_decision_wizard
