"""Constants of showroom appointments."""

LOCATIONS = [
    ("showroom", "At the showroom"),
    ("home", "At the client's home"),
]

STATES = [
    ("booked", "Booked"),
    ("cancelled", "Cancelled"),
]

# Booking attempts allowed per hour from one IP address and for one e-mail address; system
# parameters of these names override them.
RATE_LIMIT_IP_PARAM = "showroom_appointment.rate_limit_ip"
RATE_LIMIT_IP_DEFAULT = 20
RATE_LIMIT_EMAIL_PARAM = "showroom_appointment.rate_limit_email"
RATE_LIMIT_EMAIL_DEFAULT = 5
RATE_LIMIT_WINDOW_MINUTES = 60

# How many days of slots one page of the booking page shows.
BOOKING_PAGE_DAYS = 7
