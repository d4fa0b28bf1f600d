from . import appointment, appointment_type
