"""Verification of Stripe webhook requests (no Odoo import).

The controller calls :func:`verify_event` on the raw request body before it reads or
writes anything; every refusal is a :class:`StripeWebhookError` subclass, answered with
HTTP 400 and no detail for the sender.

The signature is proven by the ``stripe`` SDK (``WebhookSignature.verify_header``: HMAC-SHA256
of ``"<timestamp>.<raw body>"`` under the endpoint's secret, any ``v1`` signature of the header
matching, compared in constant time). Stricter than the SDK and than Odoo's ``payment_stripe``:
an endpoint without a secret refuses every event, a header Stripe would never send (not ASCII,
oversized, two timestamps) is refused unread, the timestamp window applies to the future too,
and the signed body must be a Stripe event.
"""

import json
import time

import stripe

SIGNATURE_SCHEME = stripe.WebhookSignature.EXPECTED_SCHEME

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


def _signed_timestamp(sig_header):
    """The one timestamp of a header as Stripe writes it (ASCII digits), else a refusal."""
    if len(sig_header) > MAX_SIGNATURE_HEADER_LENGTH:
        raise WebhookSignatureMalformed("Stripe-Signature is longer than Stripe ever sends.")
    if not sig_header.isascii():
        raise WebhookSignatureMalformed("Stripe-Signature has characters that are not ASCII.")
    items = [item.strip().partition("=") for item in sig_header.split(",")]
    timestamps = [value for key, _sep, value in items if key == "t"]
    # isdigit() after isascii(): 0-9 only (str.isdigit also accepts "²").
    if len(timestamps) != 1 or not timestamps[0].isdigit():
        raise WebhookSignatureMalformed("Stripe-Signature has no single readable timestamp.")
    if not any(key == SIGNATURE_SCHEME and value for key, _sep, value in items):
        raise WebhookSignatureMalformed(f"Stripe-Signature has no {SIGNATURE_SCHEME} signature.")
    return int(timestamps[0])


def verify_event(payload_bytes, sig_header, secret, tolerance):
    """Return the event (a dict) carried by ``payload_bytes`` once its signature is proven.

    :param payload_bytes: the raw request body, exactly as received
    :param sig_header: the ``Stripe-Signature`` header value (``None`` when absent)
    :param secret: the endpoint's signing secret (``whsec_...``); empty refuses everything
    :param tolerance: seconds the signed timestamp may differ from now (> 0)
    :raise StripeWebhookError: a subclass saying why the request is refused
    """
    if not secret or not secret.strip():
        raise WebhookSecretMissing("No Stripe webhook signing secret is configured.")
    if not tolerance or tolerance <= 0:
        raise ValueError("A positive timestamp tolerance is required.")
    if not sig_header:
        raise WebhookSignatureMissing("The request has no Stripe-Signature header.")
    if isinstance(sig_header, bytes):
        sig_header = sig_header.decode("latin-1")
    if isinstance(payload_bytes, str):
        payload_bytes = payload_bytes.encode("utf-8")
    timestamp = _signed_timestamp(sig_header)
    try:
        stripe.WebhookSignature.verify_header(
            bytes(payload_bytes), sig_header, secret.strip(), tolerance
        )
    except UnicodeDecodeError as error:  # the SDK signs the body as text
        raise WebhookSignatureMismatch("The request body is not UTF-8 text.") from error
    except stripe.SignatureVerificationError as error:
        if "tolerance" in str(error):
            raise WebhookTimestampOutOfTolerance(
                f"Signed timestamp {timestamp} is more than {tolerance} s old."
            ) from error
        if "matching the expected signature" in str(error):
            raise WebhookSignatureMismatch("No Stripe-Signature matches the body.") from error
        raise WebhookSignatureMalformed(f"Stripe-Signature refused: {error}") from error
    if timestamp - time.time() > tolerance:
        raise WebhookTimestampOutOfTolerance(
            f"Signed timestamp {timestamp} is more than {tolerance} s ahead of now."
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
