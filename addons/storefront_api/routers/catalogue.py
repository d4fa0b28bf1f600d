from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Request

from odoo.api import Environment

from odoo.addons.fastapi.dependencies import odoo_env

from .. import const
from ..dependencies import client_or_guest, optional_client, scoped
from ..schemas import Category, Collection, ProductDetail, ProductPage, QuoteIn, QuoteOut
from ..schemas.common import CountryCode, Id, Problem, Text
from .common import PROBLEMS, etag_response, storefront_errors

catalogue_router = APIRouter(tags=["catalogue"], responses=PROBLEMS)

CACHED = {
    200: {"description": "OK, with an ETag"},
    304: {"description": "Not modified since the ETag sent in If-None-Match"},
}
IfNoneMatch = Annotated[
    str | None, Header(alias="If-None-Match", description="An ETag of an earlier answer")
]
Country = Annotated[
    CountryCode | None,
    Query(description="Guests: the country whose price list and tax display apply"),
]


def _pricing(env, partner, country):
    with storefront_errors():
        return env["storefront.service"].sudo()._storefront_pricing(partner, country)


@catalogue_router.get("/catalogue/categories", response_model=list[Category], responses=CACHED)
def categories(
    request: Request,
    env: Annotated[Environment, Depends(odoo_env)],
    key: Annotated[object, Depends(scoped("catalogue"))],
    partner: Annotated[object, Depends(optional_client)],
    if_none_match: IfNoneMatch = None,
):
    """Categories of the products the client may buy, with their parents."""
    partner = client_or_guest(env, partner)
    data = env["storefront.service"].sudo()._storefront_categories(partner)
    return etag_response(request, list[Category], data)


@catalogue_router.get("/catalogue/collections", response_model=list[Collection], responses=CACHED)
def collections(
    request: Request,
    env: Annotated[Environment, Depends(odoo_env)],
    key: Annotated[object, Depends(scoped("catalogue"))],
    partner: Annotated[object, Depends(optional_client)],
    if_none_match: IfNoneMatch = None,
):
    """Collections (Odoo's product tags) of the products the client may buy."""
    partner = client_or_guest(env, partner)
    data = env["storefront.service"].sudo()._storefront_collections(partner)
    return etag_response(request, list[Collection], data)


@catalogue_router.get("/catalogue/products", response_model=ProductPage, responses=CACHED)
def products(
    request: Request,
    env: Annotated[Environment, Depends(odoo_env)],
    key: Annotated[object, Depends(scoped("catalogue"))],
    partner: Annotated[object, Depends(optional_client)],
    country: Country = None,
    category_id: Annotated[Id | None, Query(description="With its sub-categories")] = None,
    collection_id: Id | None = None,
    search: Annotated[Text(100) | None, Query(description="In names and references")] = None,
    availability: Literal["made_to_order", "stocked"] | None = None,
    sort: Literal["name", "-name", "price", "-price", "newest"] = "name",
    page: Annotated[int, Query(ge=1, le=10000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=const.MAX_PAGE_SIZE)] = const.DEFAULT_PAGE_SIZE,
    if_none_match: IfNoneMatch = None,
):
    """Products the client may buy, a page at a time. Prices from the signed-in client's
    price list, or the country's for a guest; `price` sorts by catalogue price."""
    pricing = _pricing(env, partner, country)
    partner = client_or_guest(env, partner)
    data = (
        env["storefront.service"]
        .sudo()
        ._storefront_products(
            partner,
            pricing,
            category_id=category_id,
            collection_id=collection_id,
            search=search,
            availability=availability,
            sort=sort,
            page=page,
            page_size=page_size,
        )
    )
    return etag_response(request, ProductPage, data)


@catalogue_router.get(
    "/catalogue/products/{product_id}",
    response_model=ProductDetail,
    responses=CACHED,
)
def product(
    product_id: Id,
    request: Request,
    env: Annotated[Environment, Depends(odoo_env)],
    key: Annotated[object, Depends(scoped("catalogue"))],
    partner: Annotated[object, Depends(optional_client)],
    country: Country = None,
    if_none_match: IfNoneMatch = None,
):
    """A product with its variants, attributes, dimensions, stock and lead time, and for
    made-to-order pieces the measurements, written-in values and files the client gives."""
    pricing = _pricing(env, partner, country)
    partner = client_or_guest(env, partner)
    with storefront_errors():
        data = (
            env["storefront.service"]
            .sudo()
            ._storefront_product_detail(partner, pricing, product_id)
        )
    return etag_response(request, ProductDetail, data)


@catalogue_router.post(
    "/quote",
    response_model=QuoteOut,
    responses={404: {"model": Problem, "description": "Not in the catalogue"}},
)
def quote(
    body: QuoteIn,
    env: Annotated[Environment, Depends(odoo_env)],
    key: Annotated[object, Depends(scoped("catalogue"))],
    partner: Annotated[object, Depends(optional_client)],
):
    """Price and delivery estimate of a configured piece, checked as the back office checks
    an order line (same rules, same messages). Nothing is saved."""
    pricing = _pricing(env, partner, body.country)
    partner = client_or_guest(env, partner)
    with storefront_errors():
        return (
            env["storefront.service"].sudo()._storefront_quote(partner, pricing, body.model_dump())
        )
