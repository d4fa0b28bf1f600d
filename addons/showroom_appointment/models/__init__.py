from . import res_users
from . import showroom
from . import appointment_type
from . import appointment
from . import booking_attempt
from . import res_partner
