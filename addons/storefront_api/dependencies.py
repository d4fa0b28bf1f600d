"""FastAPI dependencies of the storefront API: the application's key (scopes, rate limits)
and the signed-in client."""

from typing import Annotated

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from odoo.api import Environment

from odoo.addons.fastapi.dependencies import fastapi_endpoint, odoo_env

from . import const
from .rate_limit import limiter

api_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="The client application's key (Storefront API keys in Odoo).",
)
bearer = HTTPBearer(
    auto_error=False, description="A signed-in client's access token (see /account/sign-in)."
)


def client_address(request: Request):
    return request.client.host if request.client else "unknown"


def api_key(
    request: Request,
    env: Annotated[Environment, Depends(odoo_env)],
    endpoint: Annotated[object, Depends(fastapi_endpoint)],
    raw_key: Annotated[str | None, Security(api_key_header)] = None,
):
    """The application's key; 401 without a valid one, 429 past its limits."""
    ip_limit = endpoint.sudo().storefront_ip_rate_limit or const.DEFAULT_IP_RATE_LIMIT
    allowed, retry = limiter.hit(("ip", client_address(request)), ip_limit)
    if not allowed:
        raise HTTPException(
            429, "Too many requests from this address: wait a minute.", {"Retry-After": str(retry)}
        )
    key = env["storefront.api.key"]._storefront_authenticate(raw_key)
    if not key:
        raise HTTPException(401, "A valid X-API-Key header is required.")
    allowed, retry = limiter.hit(("key", key.id), key.rate_limit)
    if not allowed:
        raise HTTPException(
            429, "Too many requests with this API key: wait a minute.", {"Retry-After": str(retry)}
        )
    return key


def scoped(scope):
    """A dependency: the key, which must carry ``scope``."""

    def check(key: Annotated[object, Depends(api_key)]):
        if scope not in key._storefront_scopes():
            raise HTTPException(403, f"This API key is not allowed the {scope} scope.")
        return key

    return check


def optional_client(
    env: Annotated[Environment, Depends(odoo_env)],
    key: Annotated[object, Depends(api_key)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)] = None,
):
    """The signed-in client (a res.partner), or None for a guest; 401 for a token that is
    not valid (expired, revoked, or issued through another application's key)."""
    if credentials is None:
        return None
    token = env["storefront.client.token"]._storefront_find(credentials.credentials, "access", key)
    if not token:
        raise HTTPException(
            401, "The access token is not valid or has expired: refresh it or sign in again."
        )
    return token.partner_id


def client(partner: Annotated[object, Depends(optional_client)]):
    if partner is None:
        raise HTTPException(401, "Sign in first: an Authorization: Bearer token is required.")
    return partner


def client_or_guest(env, partner):
    """Whom the catalogue is for: the signed-in client, or for a guest Odoo's public
    partner. The public partner is read as superuser: the API's runner may read no partner
    but its own and the authenticated one (OCA fastapi's rule), and the catalogue's hooks
    (``_storefront_can_buy_domain``) ask who a guest is (its tags, its company)."""
    return partner or env.ref("base.public_partner").sudo()
