"""Verification of Stripe webhook requests (no Odoo import).

The controller calls :func:`verify_event` on the raw request body before it reads or
writes anything; every refusal is a :class:`StripeWebhookError` subclass, answered with
HTTP 400 and no detail for the sender.

Stripe signs ``"<timestamp>.<raw body>"`` with HMAC-SHA256 under the endpoint's secret
and sends ``Stripe-Signature: t=<timestamp>,v1=<hex signature>[,v1=...]`` (several ``v1``
while a secret is being rolled). Unlike Odoo's ``payment_stripe``, an endpoint without a
secret refuses every event instead of trusting it.
"""

import hashlib
import hmac
import json
import time

SIGNATURE_SCHEME = "v1"

# Stripe sends a timestamp and a few 64-digit signatures (two while a secret is rolled):
# well under 1 KiB. Anything longer is not from Stripe and is not read further.
MAX_SIGNATURE_HEADER_LENGTH = 2048


class StripeWebhookError(Exception):
    """The webhook request was refused; the message is for the server log."""


class WebhookSecretMissing(StripeWebhookError):
    """No signing secret is configured: no event can be trusted."""


class WebhookSignatureMissing(StripeWebhookError):
    """The request has no Stripe-Signature header."""


class WebhookSignatureMalformed(StripeWebhookError):
    """The Stripe-Signature header cannot be read (no timestamp or no v1 signature)."""


class WebhookSignatureMismatch(StripeWebhookError):
    """No signature in the header matches the body under our secret."""


class WebhookTimestampOutOfTolerance(StripeWebhookError):
    """The signed timestamp is too old (a replay) or too far in the future."""


class WebhookPayloadInvalid(StripeWebhookError):
    """The signed body is not a Stripe event."""


def parse_signature_header(sig_header):
    """Return ``(timestamp, [v1 signatures])`` read from a Stripe-Signature header.

    Stripe writes the header in ASCII: other bytes (which werkzeug hands over decoded as
    Latin-1), digits of other scripts and oversized headers are refused as malformed.
    """
    if isinstance(sig_header, bytes):
        sig_header = sig_header.decode("latin-1")
    if len(sig_header) > MAX_SIGNATURE_HEADER_LENGTH:
        raise WebhookSignatureMalformed("Stripe-Signature is longer than Stripe ever sends.")
    if not sig_header.isascii():
        raise WebhookSignatureMalformed("Stripe-Signature has characters that are not ASCII.")
    timestamp = None
    signatures = []
    for item in sig_header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep or not value:
            continue
        if key == "t":
            # isdigit() after isascii(): 0-9 only (str.isdigit also accepts "²").
            if timestamp is not None or not value.isdigit():
                raise WebhookSignatureMalformed("Stripe-Signature has an unreadable timestamp.")
            timestamp = int(value)
        elif key == SIGNATURE_SCHEME:
            signatures.append(value)
    if timestamp is None:
        raise WebhookSignatureMalformed("Stripe-Signature has no timestamp.")
    if not signatures:
        raise WebhookSignatureMalformed(f"Stripe-Signature has no {SIGNATURE_SCHEME} signature.")
    return timestamp, signatures


def compute_signature(payload_bytes, timestamp, secret):
    """Hex HMAC-SHA256 of ``"<timestamp>.<payload>"`` under ``secret``, as Stripe signs."""
    signed = str(int(timestamp)).encode() + b"." + bytes(payload_bytes)
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def verify_event(payload_bytes, sig_header, secret, tolerance, *, now=None):
    """Return the event (a dict) carried by ``payload_bytes`` once its signature is proven.

    :param payload_bytes: the raw request body, exactly as received
    :param sig_header: the ``Stripe-Signature`` header value (``None`` when absent)
    :param secret: the endpoint's signing secret (``whsec_...``); empty refuses everything
    :param tolerance: seconds the signed timestamp may differ from now (> 0)
    :param now: current Unix time, for tests; ``time.time()`` by default
    :raise StripeWebhookError: a subclass saying why the request is refused
    """
    if not secret or not secret.strip():
        raise WebhookSecretMissing("No Stripe webhook signing secret is configured.")
    if not tolerance or tolerance <= 0:
        raise ValueError("A positive timestamp tolerance is required.")
    if not sig_header:
        raise WebhookSignatureMissing("The request has no Stripe-Signature header.")
    if isinstance(payload_bytes, str):
        payload_bytes = payload_bytes.encode("utf-8")
    timestamp, signatures = parse_signature_header(sig_header)
    expected = compute_signature(payload_bytes, timestamp, secret.strip())
    # compare every candidate in constant time; no early exit on the first match
    matches = [hmac.compare_digest(expected, candidate) for candidate in signatures]
    if not any(matches):
        raise WebhookSignatureMismatch("No Stripe-Signature matches the request body.")
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise WebhookTimestampOutOfTolerance(
            f"Signed timestamp {timestamp} is more than {tolerance} s away from now."
        )
    try:
        event = json.loads(payload_bytes)
    except ValueError as error:
        raise WebhookPayloadInvalid("The signed body is not JSON.") from error
    if (
        not isinstance(event, dict)
        or event.get("object") != "event"
        or not event.get("id")
        or not event.get("type")
        or not isinstance(event.get("data"), dict)
    ):
        raise WebhookPayloadInvalid("The signed body is not a Stripe event.")
    return event
