from . import mto_cockpit_exception
