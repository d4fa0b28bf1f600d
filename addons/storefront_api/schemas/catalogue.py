from typing import Literal

from pydantic import BaseModel

from .common import Amount


class Price(BaseModel):
    currency: str
    amount: Amount  # as the country expects it: see tax_display
    amount_untaxed: Amount
    amount_tax_included: Amount
    tax_display: Literal["tax_included", "tax_excluded"]


class Category(BaseModel):
    id: int
    name: str
    parent_id: int | None = None


class Collection(BaseModel):
    id: int
    name: str


class Dimensions(BaseModel):
    """Outside dimensions of the piece, in centimetres (null when not measured)."""

    width: float | None = None
    depth: float | None = None
    height: float | None = None


class Availability(BaseModel):
    status: Literal["in_stock", "made_to_order", "on_order"]
    quantity: float
    lead_time_days: int


class MeasurementSpec(BaseModel):
    """A measurement a client chooses for a made-to-order piece."""

    code: str
    name: str
    unit: str
    min: float
    max: float | None = None
    required: bool


class CustomValueSpec(BaseModel):
    """A value a client writes in (a fabric reference, an engraving)."""

    attribute_value_id: int
    attribute: str
    name: str


class DocumentSpec(BaseModel):
    """A production file the client must supply for a made-to-order piece."""

    code: str
    name: str
    description: str | None = None


class AttributeValue(BaseModel):
    id: int
    name: str
    price_extra: float
    is_custom: bool


class Attribute(BaseModel):
    id: int
    name: str
    creates_variants: bool
    values: list[AttributeValue]


class ProductSummary(BaseModel):
    id: int
    name: str
    category_id: int | None = None
    collection_ids: list[int]
    made_to_order: bool
    price: Price
    image_url: str | None = None
    dimensions: Dimensions
    availability: Availability


class Variant(BaseModel):
    id: int
    name: str
    sku: str | None = None
    attribute_value_ids: list[int]
    price: Price
    image_url: str | None = None
    availability: Availability


class ProductDetail(ProductSummary):
    description: str | None = None
    variants: list[Variant]
    attributes: list[Attribute]
    measurements: list[MeasurementSpec]
    custom_values: list[CustomValueSpec]
    required_documents: list[DocumentSpec]


class ProductPage(BaseModel):
    items: list[ProductSummary]
    total: int
    page: int
    page_size: int
