# What the cockpit watches: one rule per kind of problem (see data/mto_cockpit_rule_data.xml).
RULE_KINDS = [
    ("paid_not_procured", "Paid but not ordered from the manufacturer"),
    ("awaiting_manufacturer", "Awaiting the manufacturer's answer"),
    ("completion_overdue", "Expected completion passed"),
    ("rework_stuck", "In rework too long"),
    ("not_inspected", "Received but not inspected"),
    ("gate_blocked", "Ready to ship, blocked by quality control"),
    ("dhl_unknown", "DHL booking outcome unknown"),
    ("payment_exception", "Payment exception"),
    ("refund_failed", "Refund failed"),
    ("sms_failed", "Text message failed"),
    ("job_failed", "Background job failed"),
    ("webhook_refused", "Provider webhooks refused"),
]

THRESHOLD_UNITS = [
    ("hours", "Hours"),
    ("days", "Days"),
    ("minutes", "Minutes"),
    ("count", "Times in a row"),
]

SEVERITIES = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]

EXCEPTION_STATES = [
    ("open", "Open"),
    ("acknowledged", "Acknowledged"),
    ("resolved", "Resolved"),
]

# Production states in which a manufacturer committed to a completion date.
COMMITTED_STATES = ("accepted", "in_production", "rework")

# Webhook senders whose refusals are counted (see controllers/main.py).
WEBHOOK_PROVIDERS = [("stripe", "Stripe"), ("twilio", "Twilio")]

STATUS_KEY_PARAM = "mto_cockpit.status_api_key"
STATUS_ROUTE = "/mto_cockpit/status"
