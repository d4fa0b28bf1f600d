"""Twilio constants: API base, error codes in plain words, message status groups."""

API_BASE_URL = "https://api.twilio.com"

# HTTP statuses after which the same request may succeed later.
TEMPORARY_HTTP_STATUSES = (408, 429, 500, 502, 503, 504)

# Twilio error codes (https://www.twilio.com/docs/api/errors) explained for a back-office user.
ERROR_MESSAGES = {
    20003: "Twilio refused the account credentials: check the Account SID and Auth Token.",
    20404: "Twilio does not know this account or resource: check the Account SID.",
    20429: "Twilio is receiving too many messages from us right now; the SMS will be retried.",
    21211: "The phone number is not valid: correct the customer's mobile number.",
    21212: "The sender number is not valid: check the Twilio sender in the settings.",
    21408: "The Twilio account may not send SMS to this country: enable it in Twilio's "
    "geographic permissions.",
    21602: "The message is empty: an SMS needs a text.",
    21606: "The sender number cannot send SMS: choose an SMS-capable Twilio number.",
    21608: "A Twilio trial account can only send to verified numbers.",
    21610: "The customer has unsubscribed from our SMS (replied STOP): do not send again.",
    21612: "Twilio cannot send SMS from this sender to this number.",
    21614: "The number is not a mobile number: use the customer's mobile phone.",
    21617: "The message is too long: shorten the text.",
    21703: "The Messaging Service has no sender number: add one in Twilio.",
    30003: "The customer's phone is unreachable or switched off.",
    30004: "The message was blocked by the customer's carrier or phone.",
    30005: "The number does not exist or is no longer in service.",
    30006: "The number is a landline or cannot receive SMS.",
    30007: "The carrier filtered the message as spam.",
    30008: "The carrier could not deliver the message (unknown error).",
}

GENERIC_PERMANENT_MESSAGE = "Twilio refused the message (error %(code)s): %(message)s"
TIMEOUT_MESSAGE = "Twilio did not answer within %(timeout)s seconds; the SMS will be retried."
CONNECTION_MESSAGE = "Twilio could not be reached; the SMS will be retried."
SERVER_ERROR_MESSAGE = (
    "Twilio is temporarily unavailable (HTTP %(status)s); the SMS will be retried."
)
UNREADABLE_ANSWER_MESSAGE = (
    "Twilio accepted the request but its answer could not be read: check the message log in "
    "Twilio before sending again."
)

# Message statuses (Twilio's `message_enum_status`) grouped the way the SMS queue cares.
STATUS_PENDING = ("accepted", "scheduled", "queued", "sending")
STATUS_SENT = ("sent",)
STATUS_DELIVERED = ("delivered", "read")
STATUS_FAILED = ("failed", "undelivered", "canceled")

# -- Odoo side ------------------------------------------------------------------------------------

DEFAULT_TIMEOUT = 10  # seconds, unless the company's ``twilio_timeout`` sets another
# The longest ``twilio_timeout`` allowed: a job makes at most MAX_CALLS_PER_REQUEST calls (look
# for an earlier attempt's message, then send), which must end long before Odoo's
# ``limit_time_real`` (1200 s in config/prod.conf) kills the worker running the job.
MAX_TIMEOUT = 60
MAX_CALLS_PER_REQUEST = 2

# A send attempt whose answer never came is looked up in Twilio from this long before it began
# (clock skew between Odoo and Twilio).
CLOCK_SKEW_SECONDS = 300

# Namespace of the PostgreSQL advisory lock (namespace, sms id) an attempt holds while it talks
# to Twilio: a second attempt of the same SMS at the same moment waits its turn instead.
ADVISORY_LOCK_NAMESPACE = 0x54574C4F  # "TWLO"

# Attempts of one SMS before it is set in error (the job itself may be retried a bit more).
MAX_SEND_ATTEMPTS = 8

# Twilio message status -> sms.sms state. Odoo's "pending" reads "Sent" (handed to the
# provider), "sent" reads "Delivered".
STATUS_TO_SMS_STATE = {
    **dict.fromkeys(STATUS_PENDING, "pending"),
    **dict.fromkeys(STATUS_SENT, "pending"),
    **dict.fromkeys(STATUS_DELIVERED, "sent"),
    "failed": "error",
    "undelivered": "error",
    "canceled": "canceled",
}

# How far along a Twilio status is, within one sms.sms state ("queued" after "sent" is late).
STATUS_ORDER = {
    status: position
    for position, status in enumerate(STATUS_PENDING + STATUS_SENT + STATUS_DELIVERED)
}

# How far along an sms.sms state is: a late or repeated callback never moves an SMS back.
SMS_STATE_RANK = {"outgoing": 0, "process": 1, "pending": 2, "sent": 3, "error": 3, "canceled": 3}

# Twilio error code -> sms.sms failure_type (Odoo's own categories, shown in the chatter).
ERROR_FAILURE_TYPES = {
    20003: "sms_acc",
    20404: "sms_acc",
    21211: "sms_number_format",
    21212: "sms_acc",
    21408: "sms_country_not_supported",
    21606: "sms_acc",
    21608: "sms_acc",
    21610: "sms_optout",
    21612: "sms_country_not_supported",
    21614: "sms_number_format",
    21703: "sms_acc",
    30005: "sms_number_format",
    30006: "sms_number_format",
}

# The opted-out error: the number is added to Odoo's phone blacklist as well.
UNSUBSCRIBED_ERROR = 21610

# Inbound keywords (Twilio's defaults and the usual variants), compared on the whole trimmed,
# upper-cased text.
OPT_OUT_KEYWORDS = frozenset(
    ("STOP", "STOPALL", "STOP ALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE")
)
OPT_IN_KEYWORDS = frozenset(("START", "UNSTOP", "YES", "SUBSCRIBE", "OPTIN"))
HELP_KEYWORDS = frozenset(("HELP", "INFO"))

# Status callback and inbound message routes (configured in Twilio for the inbound one).
STATUS_ROUTE = "/sms_twilio/status"
INBOUND_ROUTE = "/sms_twilio/inbound"
