from . import appointment, appointment_type, booking_attempt, res_partner, res_users, showroom
