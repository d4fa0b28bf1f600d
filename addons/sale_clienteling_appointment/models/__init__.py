from . import showroom_appointment
