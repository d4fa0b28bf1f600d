"""Constants of the storefront API."""

API_PREFIX = "/api/v1"
KEY_MARK = "sfk"
SCOPES = ("catalogue", "checkout", "account", "room_fit")
DEFAULT_KEY_RATE_LIMIT = 600  # requests per minute and key
DEFAULT_IP_RATE_LIMIT = 300  # requests per minute and client address
ACCESS_TOKEN_TTL = 15 * 60  # seconds
REFRESH_TOKEN_TTL = 30 * 24 * 3600
DEFAULT_PAGE_SIZE = 24
MAX_PAGE_SIZE = 100
# Measurements of a made-to-order piece that are its outside dimensions (room fit, catalogue).
DIMENSION_CODES = ("width", "depth", "height")
# Production stages a client is shown, from the manufacturer orders' states.
CLIENT_STAGES = {
    "to_validate": "accepted",
    "awaiting": "accepted",
    "declined": "accepted",
    "accepted": "accepted",
    "in_production": "in_production",
    "rework": "in_production",
    "completed": "quality_passed",
}
