import datetime
from typing import Literal

from pydantic import BaseModel, Field

from .checkout import EMAIL_PATTERN
from .common import Amount, CountryCode, StrictModel, Text


class SignUpIn(StrictModel):
    name: Text(128, min_length=1)
    email: Text(254, pattern=EMAIL_PATTERN)
    password: Text(128, min_length=8)
    country: CountryCode | None = None


class SignInIn(StrictModel):
    email: Text(254, min_length=3)
    password: Text(128, min_length=1)


class RefreshIn(StrictModel):
    refresh_token: Text(256, min_length=1)


class TokenOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"]
    expires_in: int = Field(description="Seconds the access token lives")


class MeOut(BaseModel):
    name: str
    email: str | None = None
    country: str | None = None


class TrackingOut(BaseModel):
    carrier: str
    number: str
    url: str | None = None


class OrderLineOut(BaseModel):
    product_id: int | None = None
    description: str
    quantity: float
    price_total: Amount


class OrderOut(BaseModel):
    reference: str
    date: datetime.date
    state: Literal["quotation", "confirmed", "cancelled"]
    stage: Literal[
        "awaiting_payment", "accepted", "in_production", "quality_passed", "shipped", "delivered"
    ]
    currency: str
    amount_total: Amount
    amount_paid: Amount
    tracking: list[TrackingOut]
    lines: list[OrderLineOut]


class InvoiceOut(BaseModel):
    reference: str
    date: datetime.date | None = None
    currency: str
    amount_total: Amount
    amount_residual: Amount
    payment_state: str
    pdf_url: str
