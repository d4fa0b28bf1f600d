from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException

from odoo.api import Environment

from odoo.addons.fastapi.dependencies import odoo_env

from ..dependencies import optional_client, scoped
from ..schemas import CheckoutIn, CheckoutOut, ShippingRate, ShippingRatesIn
from ..schemas.common import Problem
from .common import PROBLEMS, storefront_errors

checkout_router = APIRouter(tags=["checkout"], responses=PROBLEMS)

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        pattern=r"^[A-Za-z0-9_.:\-]{8,128}$",
        description="Unique per checkout attempt (a UUID): a retried request with the same key "
        "and body gets the first answer and never a second order.",
    ),
]


@checkout_router.post("/checkout/shipping-rates", response_model=list[ShippingRate])
def shipping_rates(
    body: ShippingRatesIn,
    env: Annotated[Environment, Depends(odoo_env)],
    key: Annotated[object, Depends(scoped("checkout"))],
    partner: Annotated[object, Depends(optional_client)],
):
    """Each carrier's price for the cart to the address (DHL Express through its connector).
    Nothing is saved."""
    if partner is None and body.shipping_address is None:
        raise HTTPException(422, "A guest needs a shipping address to get shipping rates.")
    payload = body.model_dump()
    payload["customer"] = payload.pop("shipping_address")
    with storefront_errors():
        return env["storefront.service"].sudo()._storefront_shipping_rates(partner, payload)


@checkout_router.post(
    "/checkout",
    response_model=CheckoutOut,
    status_code=201,
    responses={
        404: {"model": Problem, "description": "A product is not in the catalogue"},
        409: {"model": Problem, "description": "Online payment unavailable"},
    },
)
def checkout(
    body: CheckoutIn,
    idempotency_key: IdempotencyKey,
    env: Annotated[Environment, Depends(odoo_env)],
    key: Annotated[object, Depends(scoped("checkout"))],
    partner: Annotated[object, Depends(optional_client)],
):
    """The cart becomes a quotation for the signed-in client or a guest, with the chosen
    shipping and a Stripe PaymentIntent for the deposit (the order's prepayment) or the whole
    amount. Once Stripe confirms the payment, the order follows the made-to-order flow."""
    payload = body.model_dump()
    Checkout = env["storefront.checkout"].sudo()
    request_hash = Checkout._storefront_request_hash(
        {"body": payload, "client": partner.id if partner else None}
    )
    record, fresh = Checkout._storefront_claim(key, idempotency_key, request_hash)
    if not fresh:
        if record.request_hash != request_hash:
            raise HTTPException(
                422, "This Idempotency-Key was used for another request: use a new key."
            )
        return record.response
    with storefront_errors():
        answer = env["storefront.service"].sudo()._storefront_checkout(partner, payload)
    order = env["sale.order"].sudo().search([("name", "=", answer["reference"])], limit=1)
    record.write({"sale_order_id": order.id, "response": answer})
    return answer
