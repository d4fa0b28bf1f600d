"""Pure helpers for the DHL Express connector: dates, address lines, weights, address matching.

Standard library only, nothing from ``odoo``: usable from the plain client and its tests.
"""

import re
import unicodedata
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

from . import const

_PLANNED_DATE_RE = re.compile(
    r"^(?P<local>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})"
    r" ?GMT(?P<sign>[+-])(?P<hh>\d{2}):(?P<mm>\d{2})$"
)


# --- Dates -----------------------------------------------------------------------------------


def _offset_from(utc_offset):
    """A ``timedelta`` from ``timedelta``, ``tzinfo``, ``"+01:00"``, ``"-0530"`` or hours."""
    if isinstance(utc_offset, timedelta):
        return utc_offset
    if isinstance(utc_offset, timezone):
        return utc_offset.utcoffset(None)
    if isinstance(utc_offset, int | float):
        return timedelta(hours=utc_offset)
    if isinstance(utc_offset, str):
        match = re.fullmatch(r"(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})?", utc_offset.strip())
        if match:
            sign = -1 if match.group(1) == "-" else 1
            return sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3) or 0))
    raise ValueError(f"Unreadable UTC offset: {utc_offset!r} (expected e.g. '+01:00').")


def format_planned_date(dt, utc_offset=None):
    """DHL's ``plannedShippingDateAndTime``, e.g. ``2020-03-24T13:00:00GMT+01:00``.

    ``dt`` is the local wall-clock time at the shipper's; ``utc_offset`` is its offset from UTC
    (``timedelta``, ``"+01:00"`` or hours). An aware ``dt`` without ``utc_offset`` uses its own
    offset; an aware ``dt`` with ``utc_offset`` is first converted to that offset.
    """
    if utc_offset is None:
        if dt.utcoffset() is None:
            raise ValueError("format_planned_date needs a UTC offset for a naive datetime.")
        offset = dt.utcoffset()
        local = dt.replace(tzinfo=None)
    else:
        offset = _offset_from(utc_offset)
        local = dt
        if dt.utcoffset() is not None:
            local = dt.astimezone(timezone(offset))
        local = local.replace(tzinfo=None)
    total_minutes = int(offset.total_seconds()) // 60
    sign = "-" if total_minutes < 0 else "+"
    hours, minutes = divmod(abs(total_minutes), 60)
    return f"{local:%Y-%m-%dT%H:%M:%S}GMT{sign}{hours:02d}:{minutes:02d}"


def parse_planned_date(value):
    """The aware ``datetime`` of a ``plannedShippingDateAndTime`` string."""
    match = _PLANNED_DATE_RE.match(value or "")
    if not match:
        raise ValueError(f"Not a DHL planned shipping date: {value!r}.")
    sign = -1 if match.group("sign") == "-" else 1
    offset = sign * timedelta(hours=int(match.group("hh")), minutes=int(match.group("mm")))
    local = datetime.strptime(match.group("local"), "%Y-%m-%dT%H:%M:%S")
    return local.replace(tzinfo=timezone(offset))


def shift_planned_date(value, days):
    """The same local time and offset, ``days`` later (e.g. the day after a holiday)."""
    moved = parse_planned_date(value) + timedelta(days=days)
    return format_planned_date(moved)


# --- Address lines and weights -----------------------------------------------------------------


def split_address_lines(
    text, max_len=const.ADDRESS_LINE_MAX_LENGTH, max_lines=const.ADDRESS_LINE_COUNT
):
    """Split a street text on word boundaries into at most ``max_lines`` of ``max_len``.

    Returns the lines (``addressLine1``..``addressLine3``, in order). Raises ``ValueError``
    rather than cutting anything when a word is longer than a line or the words need more
    lines than DHL accepts.
    """
    words = (text or "").split()
    if not words:
        raise ValueError("The street address is empty.")
    lines = []
    current = ""
    for word in words:
        if len(word) > max_len:
            raise ValueError(
                f"The address word {word!r} is longer than DHL's {max_len}-character line: "
                "shorten or abbreviate it."
            )
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= max_len:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) > max_lines:
        raise ValueError(
            f"The street address ({len(' '.join(words))} characters) does not fit in DHL's "
            f"{max_lines} lines of {max_len} characters: shorten or abbreviate it."
        )
    return lines


def volumetric_weight(length, width, height, divisor=const.VOLUMETRIC_DIVISOR):
    """Volumetric weight in kg of a box in cm: ``l * w * h / divisor``, to the gram."""
    dims = [Decimal(str(v)) for v in (length, width, height)]
    if any(d <= 0 for d in dims):
        raise ValueError(f"Package dimensions must be positive: {length} x {width} x {height}.")
    if divisor <= 0:
        raise ValueError(f"The volumetric divisor must be positive, not {divisor}.")
    volume = dims[0] * dims[1] * dims[2]
    weight = (volume / Decimal(str(divisor))).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    return float(weight)


# --- Tolerant address matching -------------------------------------------------------------------

# Letters NFKD does not decompose into an ASCII base.
_TRANSLITERATION = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "ss",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "\u0131": "i",  # dotless i
        "ħ": "h",
        "ŀ": "l",
    }
)

# Whole-word abbreviations -> one spelling; both sides of a comparison get the same treatment.
_WORD_SYNONYMS = {
    "st": "saint",
    "saint": "saint",
    "sankt": "saint",
    "ste": "sainte",
    "sainte": "sainte",
    "str": "strasse",
    "strasse": "strasse",
    "ave": "avenue",
    "av": "avenue",
    "avda": "avenue",
    "avenida": "avenue",
    "avenue": "avenue",
    "rd": "road",
    "blvd": "boulevard",
    "bd": "boulevard",
    "sq": "square",
    "pl": "place",
    "mt": "mount",
    "ft": "fort",
}
# Compound street names: "Hauptstr." / "Hauptstraße" / "Hauptstrasse".
_STREET_SUFFIX_RE = re.compile(r"(?<=[a-z])str\b")
# German umlauts written out (ue, oe, ae) after a consonant: "Muenchen" -> "munchen".
_UMLAUT_DIGRAPH_RE = re.compile(r"(?<=[bcdfghjklmnpqrstvwxz])([aou])e")
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")


def _ascii_fold(text):
    text = (text or "").translate(_TRANSLITERATION)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return text.casefold().translate(_TRANSLITERATION)


def _canonical_words(text, street=False):
    words = _NON_ALNUM_RE.sub(" ", _ascii_fold(text)).split()
    canonical = []
    for position, word in enumerate(words):
        following = words[position + 1] if position + 1 < len(words) else ""
        if street and word == "st" and not following.isalpha():
            # "Main St." / "Main St 5": Street, whereas "St. Mary's Road" is Saint.
            word = "street"
        else:
            word = _STREET_SUFFIX_RE.sub("strasse", _WORD_SYNONYMS.get(word, word))
        # Last, so that expanded abbreviations ("Ave" -> "avenue") fold like written ones.
        canonical.append(_UMLAUT_DIGRAPH_RE.sub(r"\1", word))
    return canonical


def normalize_city(name):
    """A comparison key for a city: case, accents, transliteration, abbreviations folded.

    ``"München"``, ``"Muenchen"`` and ``"MUNCHEN"`` give ``"munchen"``; ``"St. Gallen"`` and
    ``"Sankt Gallen"`` give ``"saint gallen"``. Meant for comparing, not for display.
    """
    return " ".join(_canonical_words(name))


def normalize_street(street):
    """A comparison key for a street line (``"Hauptstr. 5"`` == ``"Hauptstraße 5"``)."""
    return " ".join(_canonical_words(street, street=True))


# Countries writing a fixed-length numeric postcode where only the first digits route mail.
_POSTCODE_PREFIX_LENGTH = {"US": 5}


def normalize_postcode(postcode, country=None):
    """A comparison key for a postcode: upper case, no spaces, hyphens or country prefix.

    ``"SW1A 1AA"`` -> ``"SW1A1AA"``, ``"1000-123"`` -> ``"1000123"``, ``"D-80331"`` (DE) ->
    ``"80331"``; a US ZIP+4 keeps its five-digit ZIP.
    """
    code = _ascii_fold(postcode).upper().strip()
    country = (country or "").upper()
    for prefix in {country, {"DE": "D", "AT": "A", "CH": "CH", "FR": "F"}.get(country)}:
        if prefix and re.match(rf"^{prefix}[- ]\d", code):
            code = code[len(prefix) + 1 :]
            break
    code = re.sub(r"[^A-Z0-9]", "", code)
    prefix_length = _POSTCODE_PREFIX_LENGTH.get(country)
    if prefix_length and code.isdigit():
        code = code[:prefix_length]
    return code


def _levenshtein(a, b):
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def text_similarity(a, b):
    """0..1: one minus the edit distance over the longer key (spaces ignored)."""
    a, b = a.replace(" ", ""), b.replace(" ", "")
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    return 1.0 - _levenshtein(a, b) / max(len(a), len(b))


def _street_similarity(a, b):
    # House numbers must agree exactly: "Hauptstr. 5" is not "Hauptstr. 7".
    numbers_a = [w for w in a.split() if any(c.isdigit() for c in w)]
    numbers_b = [w for w in b.split() if any(c.isdigit() for c in w)]
    if numbers_a != numbers_b:
        return 0.0
    return text_similarity(a, b)


_FIELD_NAMES = {
    "country": ("countryCode", "country_code", "country"),
    "postcode": ("postalCode", "postal_code", "zip", "postcode"),
    "city": ("cityName", "city_name", "city"),
    "street": ("addressLine1", "street", "address_line1"),
}


def _field(address, kind):
    for name in _FIELD_NAMES[kind]:
        value = address.get(name)
        if value:
            return str(value).strip()
    return ""


def address_match_score(a, b):
    """0..1: how surely two addresses (dicts) designate the same place.

    Accepts DHL keys (``countryCode``, ``postalCode``, ``cityName``, ``addressLine1``) or
    Odoo-like ones (``country_code``, ``zip``, ``city``, ``street``). Different countries, or
    postcodes that differ once normalized, score 0; otherwise the score is the city
    similarity (and the street's when both sides have one: the lower of the two).
    """
    country_a, country_b = _field(a, "country").upper(), _field(b, "country").upper()
    if country_a and country_b and country_a != country_b:
        return 0.0
    country = country_a or country_b
    postcode_a = normalize_postcode(_field(a, "postcode"), country)
    postcode_b = normalize_postcode(_field(b, "postcode"), country)
    if postcode_a and postcode_b and postcode_a != postcode_b:
        return 0.0
    city_a, city_b = normalize_city(_field(a, "city")), normalize_city(_field(b, "city"))
    if city_a and city_b:
        score = text_similarity(city_a, city_b)
    elif postcode_a and postcode_b:
        score = 1.0  # same postcode, one side without city
    else:
        return 0.0
    street_a, street_b = (
        normalize_street(_field(a, "street")),
        normalize_street(_field(b, "street")),
    )
    if street_a and street_b:
        score = min(score, _street_similarity(street_a, street_b))
    return score


def addresses_match(a, b, threshold=const.MATCH_THRESHOLD):
    """Whether DHL's suggested address is close enough to ours to be accepted as is."""
    return address_match_score(a, b) >= threshold
