"""Pydantic models of the storefront API: what clients send (validated before any code runs)
and what they get (nothing else leaves: no cost, manufacturer or other client)."""

from .account import (
    InvoiceOut,
    MeOut,
    OrderLineOut,
    OrderOut,
    RefreshIn,
    SignInIn,
    SignUpIn,
    TokenOut,
    TrackingOut,
)
from .catalogue import (
    Attribute,
    AttributeValue,
    Availability,
    Category,
    Collection,
    CustomValueSpec,
    Dimensions,
    DocumentSpec,
    MeasurementSpec,
    Price,
    ProductDetail,
    ProductPage,
    ProductSummary,
    Variant,
)
from .checkout import (
    AddressIn,
    CheckoutIn,
    CheckoutOut,
    CustomValueIn,
    MeasurementIn,
    PaymentOut,
    QuoteIn,
    QuoteLineIn,
    QuoteOut,
    ShippingRate,
    ShippingRatesIn,
)
from .common import Id, Problem, Text
