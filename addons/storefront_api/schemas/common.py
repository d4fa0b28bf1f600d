from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

# Record ids as PostgreSQL stores them: a larger number is a 422, never a database error.
Id = Annotated[int, Field(ge=1, le=2147483647)]


def _no_nul(value):
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def Text(max_length, min_length=0, **kwargs):
    """A string PostgreSQL can store, of bounded length."""
    return Annotated[
        str,
        Field(min_length=min_length, max_length=max_length, **kwargs),
        AfterValidator(_no_nul),
    ]


Amount = Annotated[float, Field(allow_inf_nan=False)]
CountryCode = Annotated[
    str, Field(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2 country code")
]


class StrictModel(BaseModel):
    """Unknown fields are refused: a typo in a client never goes unnoticed."""

    model_config = ConfigDict(extra="forbid")


class Problem(BaseModel):
    """Every 4xx answer: what is wrong, in words a client can show."""

    detail: str | list
