from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path

from odoo.api import Environment
from odoo.exceptions import AccessDenied

from odoo.addons.fastapi.dependencies import odoo_env

from ..dependencies import client, scoped
from ..schemas import InvoiceOut, MeOut, OrderOut, RefreshIn, SignInIn, SignUpIn, TokenOut
from ..schemas.common import Problem, Text
from .common import PROBLEMS, storefront_errors

account_router = APIRouter(tags=["account"], responses=PROBLEMS)


@account_router.post(
    "/account/sign-up",
    response_model=TokenOut,
    status_code=201,
    responses={409: {"model": Problem, "description": "The e-mail has an account"}},
)
def sign_up(
    body: SignUpIn,
    env: Annotated[Environment, Depends(odoo_env)],
    key: Annotated[object, Depends(scoped("account"))],
):
    """A client account (an Odoo portal user); answers its first tokens."""
    Users = env["res.users"].sudo()
    login = body.email.strip().lower()
    if Users.with_context(active_test=False).search_count([("login", "=", login)]):
        raise HTTPException(409, "An account with this e-mail exists: sign in instead.")
    with storefront_errors():
        country = env["storefront.service"].sudo()._storefront_country(body.country)
    user = Users.with_context(no_reset_password=True).create(
        {
            "name": body.name,
            "login": login,
            "email": login,
            "password": body.password,
            "country_id": country.id,
            "groups_id": [(6, 0, [env.ref("base.group_portal").id])],
        }
    )
    return env["storefront.client.token"]._storefront_issue(user.partner_id, key)


@account_router.post(
    "/account/sign-in",
    response_model=TokenOut,
    responses={401: {"model": Problem, "description": "Refused"}},
)
def sign_in(
    body: SignInIn,
    env: Annotated[Environment, Depends(odoo_env)],
    key: Annotated[object, Depends(scoped("account"))],
):
    """Tokens for a client's e-mail and password (Odoo's own check, with its brute-force
    cool-down)."""
    login = body.email.strip().lower()
    credential = {"type": "password", "login": login, "password": body.password}
    Users = env["res.users"].sudo()
    try:
        # Odoo's own login steps (its cool-down after failed attempts, its password check),
        # on this request's cursor.
        with Users._assert_can_auth(user=login):
            user = Users.search(
                Users._get_login_domain(login), order=Users._get_login_order(), limit=1
            )
            if not user:
                raise AccessDenied()
            user.with_user(user)._check_credentials(credential, {"interactive": False})
    except AccessDenied as error:
        raise HTTPException(401, "Wrong e-mail or password.") from error
    if not user.share:
        # Staff sign in to the back office, never through a client application.
        raise HTTPException(401, "Wrong e-mail or password.")
    return env["storefront.client.token"]._storefront_issue(user.partner_id, key)


@account_router.post("/account/refresh", response_model=TokenOut)
def refresh(
    body: RefreshIn,
    env: Annotated[Environment, Depends(odoo_env)],
    key: Annotated[object, Depends(scoped("account"))],
):
    """New tokens for a refresh token, which can then not be used again."""
    tokens = env["storefront.client.token"]._storefront_refresh(body.refresh_token, key)
    if not tokens:
        raise HTTPException(401, "The refresh token is not valid: sign in again.")
    return tokens


@account_router.post("/account/sign-out", status_code=204)
def sign_out(
    env: Annotated[Environment, Depends(odoo_env)],
    key: Annotated[object, Depends(scoped("account"))],
    partner: Annotated[object, Depends(client)],
):
    """Every token of the client through this application stops working."""
    env["storefront.client.token"]._storefront_revoke_partner(partner, key)


@account_router.get("/account/me", response_model=MeOut)
def me(
    key: Annotated[object, Depends(scoped("account"))],
    partner: Annotated[object, Depends(client)],
):
    partner = partner.sudo()
    return {
        "name": partner.name,
        "email": partner.email or None,
        "country": partner.country_id.code or None,
    }


@account_router.get("/account/orders", response_model=list[OrderOut])
def orders(
    env: Annotated[Environment, Depends(odoo_env)],
    key: Annotated[object, Depends(scoped("account"))],
    partner: Annotated[object, Depends(client)],
):
    """The client's orders, newest first, with their production stage and tracking."""
    service = env["storefront.service"].sudo()
    found = (
        env["sale.order"]
        .sudo()
        .search(service._storefront_client_orders_domain(partner), order="date_order desc, id desc")
    )
    return [service._storefront_order_data(order) for order in found]


@account_router.get(
    "/account/orders/{reference}",
    response_model=OrderOut,
    responses={404: {"model": Problem, "description": "Not an order of this client"}},
)
def order(
    reference: Annotated[
        Text(64, min_length=1, pattern=r"^[A-Za-z0-9/_.\-]+$"),
        Path(description="The order's reference, e.g. S00042"),
    ],
    env: Annotated[Environment, Depends(odoo_env)],
    key: Annotated[object, Depends(scoped("account"))],
    partner: Annotated[object, Depends(client)],
):
    service = env["storefront.service"].sudo()
    with storefront_errors():
        found = service._storefront_client_order(partner, reference)
    return service._storefront_order_data(found)


@account_router.get("/account/invoices", response_model=list[InvoiceOut])
def invoices(
    env: Annotated[Environment, Depends(odoo_env)],
    key: Annotated[object, Depends(scoped("account"))],
    partner: Annotated[object, Depends(client)],
):
    """The client's posted invoices and credit notes, with a link to their PDF."""
    return env["storefront.service"].sudo()._storefront_client_invoices(partner)
