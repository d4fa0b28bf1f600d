from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from odoo.api import Environment

from odoo.addons.fastapi.dependencies import odoo_env
from odoo.addons.storefront_api.dependencies import client_or_guest, optional_client, scoped
from odoo.addons.storefront_api.routers.common import (
    PROBLEMS,
    storefront_errors,
)
from odoo.addons.storefront_api.schemas import Price
from odoo.addons.storefront_api.schemas.common import CountryCode, Id, StrictModel, Text

from .. import solver

room_fit_router = APIRouter(tags=["room fit"], responses=PROBLEMS)

Cm = Annotated[float, Field(ge=0, le=10000, allow_inf_nan=False, description="Centimetres")]
PositiveCm = Annotated[float, Field(gt=0, le=10000, allow_inf_nan=False)]
Wall = Literal["south", "east", "north", "west"]


class OpeningIn(StrictModel):
    kind: Literal["door", "window"]
    wall: Wall
    offset: Cm = Field(description="From the start of the wall (see the module's README)")
    width: PositiveCm
    swing: Literal["in", "out", "sliding"] = "in"
    sill_height: Cm = 0


class ExistingPieceIn(StrictModel):
    x: Cm
    y: Cm
    width: PositiveCm
    depth: PositiveCm
    name: Text(64) | None = None


class ClearancesIn(StrictModel):
    front: Cm = Field(60, description="Free floor in front of a piece")
    side: Cm = Field(0, description="Free wall on each side of a piece")
    door_passage: Cm = Field(90, description="Free floor in front of each door")


class RoomFitIn(StrictModel):
    width: PositiveCm = Field(description="Along the south and north walls")
    depth: PositiveCm = Field(description="Along the west and east walls")
    height: Cm = 0
    openings: list[OpeningIn] = Field(default=[], max_length=50)
    existing_pieces: list[ExistingPieceIn] = Field(default=[], max_length=100)
    clearances: ClearancesIn = ClearancesIn()
    category_id: Id | None = None
    country: CountryCode | None = None
    limit: int = Field(20, ge=1, le=100)


class Size(BaseModel):
    width: float
    depth: float
    height: float | None = None


class PlacementOut(BaseModel):
    wall: Wall
    offset_min: float
    offset_max: float
    free_length: float


class MeasurementOut(BaseModel):
    code: str
    value: float


class SuggestionOut(BaseModel):
    product_id: int
    variant_id: int
    name: str
    made_to_order: bool
    in_stock: bool
    size: Size
    measurements: list[MeasurementOut] = Field(description="To send as they are to /quote")
    placements: list[PlacementOut]
    score: float
    reason: str
    price: Price


class RejectedOut(BaseModel):
    variant_id: int
    name: str
    reason: str


class RoomFitOut(BaseModel):
    suggestions: list[SuggestionOut]
    rejected: list[RejectedOut]


@room_fit_router.post("/room-fit", response_model=RoomFitOut)
def room_fit(
    body: RoomFitIn,
    env: Annotated[Environment, Depends(odoo_env)],
    key: Annotated[object, Depends(scoped("room_fit"))],
    partner: Annotated[object, Depends(optional_client)],
):
    """Pieces of the catalogue that fit the room, where (the wall and the range of the
    piece's left edge along it), in-stock variants first, made-to-order pieces at the size
    within their ranges that fits best, each with the reason; and those that do not fit,
    with why. The algorithm is described in the room_fit module's README."""
    service = env["storefront.service"].sudo()
    with storefront_errors():
        pricing = service._storefront_pricing(partner, body.country)
        room = solver.Room(
            width=body.width,
            depth=body.depth,
            height=body.height,
            openings=tuple(solver.Opening(**o.model_dump()) for o in body.openings),
            obstacles=tuple(
                solver.Obstacle(**{**p.model_dump(), "name": p.name or ""})
                for p in body.existing_pieces
            ),
            clearances=solver.Clearances(**body.clearances.model_dump()),
        )
        return service._room_fit(
            client_or_guest(env, partner),
            pricing,
            room,
            category_id=body.category_id,
            limit=body.limit,
        )
