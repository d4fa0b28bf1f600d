from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from .catalogue import DocumentSpec, Price
from .common import Amount, CountryCode, Id, StrictModel, Text

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class MeasurementIn(StrictModel):
    code: Text(64, min_length=1)
    value: float = Field(gt=0, lt=1e6, allow_inf_nan=False, description="In the unit given")


class CustomValueIn(StrictModel):
    attribute_value_id: Id
    value: Text(500, min_length=1)


class QuoteLineIn(StrictModel):
    """A configured piece: a variant, its measurements and written-in values."""

    product_id: Id = Field(description="The variant (see a product's variants)")
    quantity: int = Field(1, ge=1, le=1000)
    attribute_value_ids: list[Id] = Field(
        default=[], max_length=50, description="Chosen values of attributes without variants"
    )
    measurements: list[MeasurementIn] = Field(default=[], max_length=20)
    custom_values: list[CustomValueIn] = Field(default=[], max_length=20)


class QuoteIn(QuoteLineIn):
    country: CountryCode | None = None


class QuoteOut(BaseModel):
    product_id: int
    quantity: int
    unit_price: Price
    total: Price
    made_to_order: bool
    lead_time_days: int
    estimated_delivery: date
    required_documents: list[DocumentSpec]


class AddressIn(StrictModel):
    name: Text(128, min_length=1)
    email: Text(254, pattern=EMAIL_PATTERN)
    phone: Text(32) | None = None
    street: Text(128, min_length=1)
    street2: Text(128) | None = None
    city: Text(64, min_length=1)
    zip: Text(16) | None = None
    country: CountryCode


class ShippingRatesIn(StrictModel):
    lines: list[QuoteLineIn] = Field(min_length=1, max_length=50)
    shipping_address: AddressIn | None = Field(
        None, description="Required for guests; a signed-in client's own address by default"
    )


class ShippingRate(BaseModel):
    carrier_id: int
    name: str
    available: bool
    price: Amount
    currency: str
    message: str | None = None


class CheckoutIn(StrictModel):
    lines: list[QuoteLineIn] = Field(min_length=1, max_length=50)
    customer: AddressIn | None = Field(None, description="Required for guests")
    shipping_address: AddressIn | None = None
    carrier_id: Id | None = Field(None, description="One of the shipping rates' carriers")
    payment: Literal["deposit", "full"] = "deposit"
    note: Text(2000) | None = None


class PaymentOut(BaseModel):
    """Confirm it with Stripe.js (Payment Element) and the publishable key."""

    kind: Literal["deposit", "full"]
    amount: Amount
    currency: str
    provider: Literal["stripe"]
    publishable_key: str
    client_secret: str
    reference: str


class CheckoutOut(BaseModel):
    reference: str
    access_token: str = Field(description="Lets a guest follow this order (its portal token)")
    state: str
    currency: str
    amount_untaxed: Amount
    amount_tax: Amount
    amount_total: Amount
    shipping: ShippingRate | None = None
    payment: PaymentOut | None = None
