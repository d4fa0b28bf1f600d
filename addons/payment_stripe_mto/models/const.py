"""Constants of the Stripe made-to-order payment flows (no Odoo import: plain data)."""

# Stripe-Version sent on every call. stripe-python 16.1.0 is generated from, and typed
# for, this exact version (``stripe._api_version._ApiVersion.CURRENT``): pinning the one
# the SDK was built for keeps its parameters and response objects in step with the API,
# and freezes the behaviour whatever default version the Stripe account is set to. A test
# fails when an SDK upgrade moves CURRENT, so that a version change is always deliberate.
API_VERSION = "2026-10-28.endive"

# Seconds for each HTTP call to Stripe (connect and read), unless the provider sets one.
DEFAULT_TIMEOUT = 30
# At most this many seconds per call: a request chains at most MAX_CALLS_PER_REQUEST calls to
# Stripe (a webhook catching up on a payment, then refunding), which must all end long before
# Odoo's ``limit_time_real`` (1200 s in config/prod.conf) kills the worker, maybe right after
# Stripe charged.
MAX_TIMEOUT = 60
MAX_CALLS_PER_REQUEST = 3

# Off-session charges that could not reach Stripe are retried for this long (Stripe keeps
# idempotency keys 24 hours: a retry inside this window can never charge twice).
RETRY_WINDOW_HOURS = 20

# Stripe keeps idempotency keys for 24 hours and accepts at most 255 characters.
IDEMPOTENCY_KEY_MAX_LENGTH = 255

# A webhook that needs Stripe while Stripe cannot be reached is answered 503 with this
# Retry-After (Stripe retries on its own schedule; other senders read the header).
WEBHOOK_RETRY_AFTER_SECONDS = 60
# First key of the transaction-level advisory lock held while a webhook event is applied
# (the second key is the hash of the event's id): "STRW".
WEBHOOK_EVENT_LOCK_KEY = 0x53545257

# A signed webhook older (or newer) than this many seconds is refused, as Stripe's own
# libraries do by default: it bounds how long a captured request can be replayed.
WEBHOOK_TOLERANCE_SECONDS = 300

# The webhook events the module acts on; any other type is acknowledged and ignored.
HANDLED_WEBHOOK_EVENTS = (
    "payment_intent.succeeded",
    "payment_intent.processing",  # delayed methods (bank debits) offered by the Element
    "payment_intent.payment_failed",
    "payment_intent.canceled",
    "payment_intent.requires_action",
    "charge.refunded",
    "charge.refund.updated",  # a refund failed or was canceled after it was made
    "charge.dispute.created",
    "setup_intent.succeeded",  # a card saved without a payment (Odoo's validation flow)
)

# Odoo ``payment.transaction`` state -> PaymentIntent statuses (same shape as Odoo's own
# ``payment_stripe.const.STATUS_MAPPING``).
PAYMENT_INTENT_STATUS_MAPPING = {
    "draft": ("requires_confirmation", "requires_action"),
    "pending": ("processing",),
    "authorized": ("requires_capture",),
    "done": ("succeeded",),
    "cancel": ("canceled",),
    "error": ("requires_payment_method",),
}

# Odoo state of a refund transaction -> Refund statuses.
REFUND_STATUS_MAPPING = {
    "pending": ("pending", "requires_action"),
    "done": ("succeeded",),
    "cancel": ("canceled",),
    "error": ("failed",),
}

# Amounts are sent in the currency's smallest unit (https://stripe.com/docs/currencies).
# Zero-decimal currencies: the amount is the whole number of units (JPY 500 -> 500).
ZERO_DECIMAL_CURRENCIES = frozenset(
    [
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "JPY",
        "KMF",
        "KRW",
        "MGA",
        "PYG",
        "RWF",
        "UGX",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    ]
)
# Three-decimal currencies: 1000 minor units per unit, and the last digit must be 0, so
# amounts are rounded to the nearest ten (KWD 5.124 -> 5120).
THREE_DECIMAL_CURRENCIES = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})
# Two-decimal in the API but charged in whole units only (ISK 5 -> 500, never 510).
WHOLE_UNIT_TWO_DECIMAL_CURRENCIES = frozenset({"ISK"})

# Card decline codes -> what the customer can do about it. Stripe advises showing lost,
# stolen or suspected-fraud declines as a generic decline, so they are not listed here.
GENERIC_DECLINE_MESSAGE = "Your card was declined. Please use another card or contact your bank."
DECLINE_MESSAGES = {
    "insufficient_funds": (
        "Your card has insufficient funds. Please use another card or contact your bank."
    ),
    "expired_card": "Your card has expired. Please use another card.",
    "incorrect_cvc": (
        "The security code (CVC) of your card is incorrect. Please check it and try again."
    ),
    "invalid_cvc": (
        "The security code (CVC) of your card is incorrect. Please check it and try again."
    ),
    "incorrect_number": "The card number is incorrect. Please check it and try again.",
    "invalid_number": "The card number is incorrect. Please check it and try again.",
    "invalid_expiry_month": "The card's expiry date is incorrect. Please check it.",
    "invalid_expiry_year": "The card's expiry date is incorrect. Please check it.",
    "incorrect_zip": "The card's postal code is incorrect. Please check it and try again.",
    "card_velocity_exceeded": (
        "Your card's spending limit has been reached. Please use another card or contact your bank."
    ),
    "withdrawal_count_limit_exceeded": (
        "Your card's spending limit has been reached. Please use another card or contact your bank."
    ),
    "currency_not_supported": (
        "Your card does not accept payments in this currency. Please use another card."
    ),
    "card_not_supported": (
        "Your card does not support this kind of purchase. Please use another card."
    ),
    "call_issuer": "Your bank declined the payment. Please call your bank, then try again.",
    "do_not_honor": GENERIC_DECLINE_MESSAGE,
    "generic_decline": GENERIC_DECLINE_MESSAGE,
    "processing_error": (
        "An error occurred while processing your card. Please try again in a moment."
    ),
    "issuer_not_available": ("Your bank could not be reached. Please try again in a moment."),
    "try_again_later": "Your bank asked to try again later. Please retry in a moment.",
    "testmode_decline": "A test card was used. Please use a real card.",
}
