"""The DHL Express connector's pure helpers (``dhl_utils``): planned dates, address lines,
volumetric weight, address normalisation and matching.

No Odoo and no DHL: the module is loaded without the ORM with ``load_addon_file``.
"""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tests.conftest import load_addon_file

const = load_addon_file("delivery_dhl_express", "models/const.py")
utils = load_addon_file("delivery_dhl_express", "models/dhl_utils.py")


@pytest.mark.parametrize(
    ("moment", "offset", "expected"),
    [
        (datetime(2020, 3, 24, 13, 0), "+01:00", "2020-03-24T13:00:00GMT+01:00"),
        (datetime(2020, 3, 24, 13, 0), timedelta(hours=-5), "2020-03-24T13:00:00GMT-05:00"),
        (datetime(2020, 3, 24, 9, 30, 15), 0, "2020-03-24T09:30:15GMT+00:00"),
        (datetime(2020, 3, 24, 13, 0), "+05:30", "2020-03-24T13:00:00GMT+05:30"),
        (
            datetime(2020, 3, 24, 12, 0, tzinfo=UTC),
            "+01:00",
            "2020-03-24T13:00:00GMT+01:00",
        ),
        (
            datetime(2020, 3, 24, 13, 0, tzinfo=timezone(timedelta(hours=2))),
            None,
            "2020-03-24T13:00:00GMT+02:00",
        ),
    ],
)
def test_format_planned_date(moment, offset, expected):
    assert utils.format_planned_date(moment, offset) == expected
    assert len(expected) <= 29  # plannedShippingDateAndTime maxLength


def test_format_planned_date_needs_an_offset():
    with pytest.raises(ValueError):
        utils.format_planned_date(datetime(2020, 3, 24, 13, 0))
    with pytest.raises(ValueError):
        utils.format_planned_date(datetime(2020, 3, 24, 13, 0), "CET")


def test_shift_planned_date_keeps_time_and_offset():
    assert utils.shift_planned_date("2020-12-24T13:00:00GMT+01:00", 2) == (
        "2020-12-26T13:00:00GMT+01:00"
    )
    with pytest.raises(ValueError):
        utils.shift_planned_date("2020-12-24 13:00", 1)


def test_split_address_lines_on_word_boundaries():
    assert utils.split_address_lines("Bahnhofstrasse 45") == ["Bahnhofstrasse 45"]
    street = "Via del Corso 12, Palazzo Ruspoli, scala B, interno 7, piano terzo"
    lines = utils.split_address_lines(street)
    assert lines == ["Via del Corso 12, Palazzo Ruspoli, scala B,", "interno 7, piano terzo"]
    assert all(len(line) <= 45 for line in lines)
    assert " ".join(lines) == street
    assert utils.split_address_lines("aaaa bbbb cccc dddd", max_len=9) == [
        "aaaa bbbb",
        "cccc dddd",
    ]
    assert utils.split_address_lines("a  b\n c") == ["a b c"]


def test_split_address_lines_refuses_what_cannot_fit():
    too_long = " ".join(["Residenza"] * 16)  # 159 characters: more than 3 x 45
    with pytest.raises(ValueError, match="does not fit in DHL's 3 lines of 45 characters"):
        utils.split_address_lines(too_long)
    with pytest.raises(ValueError, match="longer than DHL's 45-character line"):
        utils.split_address_lines("Donaudampfschifffahrtsgesellschaftskapitänswitwenstraße 1")
    with pytest.raises(ValueError, match="empty"):
        utils.split_address_lines("   ")


@pytest.mark.parametrize(
    ("dims", "divisor", "expected"),
    [
        ((220, 95, 80), 5000, 334.4),
        ((50, 40, 30), 5000, 12.0),
        ((50, 40, 30), 6000, 10.0),
        ((10.5, 10, 10), 5000, 0.21),
        ((33.3, 33.3, 33.3), 5000, 7.385),
    ],
)
def test_volumetric_weight(dims, divisor, expected):
    assert utils.volumetric_weight(*dims, divisor=divisor) == expected


def test_volumetric_weight_refuses_nonsense():
    with pytest.raises(ValueError):
        utils.volumetric_weight(0, 10, 10)
    with pytest.raises(ValueError):
        utils.volumetric_weight(10, 10, 10, divisor=0)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Muenchen", "München"),
        ("MUNCHEN", "München"),
        ("Muenchen", "MUNCHEN"),
        ("St. Gallen", "Sankt Gallen"),
        ("Saint-Gallen", "St Gallen"),
        ("Köln", "KOELN"),
        ("Tromsø", "Tromso"),
        ("Łódź", "Lodz"),
        ("Genève", "GENEVE"),
        ("Straße", "strasse"),
    ],
)
def test_normalize_city_folds_spellings(a, b):
    assert utils.normalize_city(a) == utils.normalize_city(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Hauptstr. 5", "Hauptstrasse 5"), ("Hauptstraße 5", "HAUPTSTR 5"), ("5th Ave", "5th Avenue")],
)
def test_normalize_street_folds_abbreviations(a, b):
    assert utils.normalize_street(a) == utils.normalize_street(b)


def test_street_st_is_street_at_the_end_and_saint_before_a_name():
    assert utils.normalize_street("Main St.") == utils.normalize_street("Main Street")
    assert utils.normalize_street("St. Mary Road") == utils.normalize_street("Saint Mary Road")


@pytest.mark.parametrize(
    ("code", "country", "expected"),
    [
        ("SW1A 1AA", "GB", "SW1A1AA"),
        ("sw1a1aa", "GB", "SW1A1AA"),
        ("1000-123", "PT", "1000123"),
        ("1000123", "PT", "1000123"),
        ("D-80331", "DE", "80331"),
        ("CH-8001", "CH", "8001"),
        ("10001-1234", "US", "10001"),
        ("1234 ab", "NL", "1234AB"),
    ],
)
def test_normalize_postcode(code, country, expected):
    assert utils.normalize_postcode(code, country) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            {"countryCode": "DE", "postalCode": "80331", "cityName": "Muenchen"},
            {"country_code": "DE", "zip": "80331", "city": "München"},
        ),
        (
            {"countryCode": "CH", "postalCode": "9000", "cityName": "St. Gallen"},
            {"countryCode": "CH", "postalCode": "CH-9000", "cityName": "Sankt Gallen"},
        ),
        (
            {"countryCode": "GB", "postalCode": "SW1A1AA", "cityName": "London"},
            {"countryCode": "GB", "postalCode": "SW1A 1AA", "cityName": "LONDON"},
        ),
        (
            {"countryCode": "PT", "postalCode": "1000-123", "cityName": "Lisboa"},
            {"countryCode": "PT", "postalCode": "1000123", "cityName": "LISBOA"},
        ),
        (
            {
                "countryCode": "DE",
                "postalCode": "80331",
                "city": "München",
                "street": "Hauptstr. 5",
            },
            {
                "countryCode": "DE",
                "postalCode": "80331",
                "city": "MUNCHEN",
                "street": "Hauptstrasse 5",
            },
        ),
        (  # one typo in a long name, same postcode
            {"countryCode": "DE", "postalCode": "60311", "cityName": "Frankfurt am Main"},
            {"countryCode": "DE", "postalCode": "60311", "cityName": "Frankfurt am Mian"},
        ),
    ],
)
def test_addresses_match(a, b):
    assert utils.addresses_match(a, b)
    assert utils.addresses_match(b, a)
    assert utils.address_match_score(a, b) >= const.MATCH_THRESHOLD


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (  # another postcode is another place
            {"countryCode": "GB", "postalCode": "SW1A 1AA", "cityName": "London"},
            {"countryCode": "GB", "postalCode": "SW1A 2AA", "cityName": "London"},
        ),
        (  # another city with the same postcode shape
            {"countryCode": "FR", "postalCode": "", "cityName": "Saint-Denis"},
            {"countryCode": "FR", "postalCode": "", "cityName": "Saint-Étienne"},
        ),
        (
            {"countryCode": "FR", "postalCode": "64000", "cityName": "Pau"},
            {"countryCode": "FR", "postalCode": "64000", "cityName": "Paris"},
        ),
        (  # a translation is not a spelling
            {"countryCode": "DE", "postalCode": "80331", "cityName": "Munich"},
            {"countryCode": "DE", "postalCode": "80331", "cityName": "München"},
        ),
        (  # same city name, other country
            {"countryCode": "CH", "postalCode": "1000", "cityName": "Lausanne"},
            {"countryCode": "FR", "postalCode": "1000", "cityName": "Lausanne"},
        ),
        (  # another house number
            {
                "countryCode": "DE",
                "postalCode": "80331",
                "city": "München",
                "street": "Hauptstr. 5",
            },
            {
                "countryCode": "DE",
                "postalCode": "80331",
                "city": "München",
                "street": "Hauptstr. 7",
            },
        ),
        (  # another street
            {
                "countryCode": "DE",
                "postalCode": "80331",
                "city": "München",
                "street": "Hauptstr. 5",
            },
            {
                "countryCode": "DE",
                "postalCode": "80331",
                "city": "München",
                "street": "Bahnhofstr. 5",
            },
        ),
        (  # nothing to compare
            {"countryCode": "DE"},
            {"countryCode": "DE"},
        ),
    ],
)
def test_addresses_do_not_match(a, b):
    assert not utils.addresses_match(a, b)
    assert not utils.addresses_match(b, a)
    assert utils.address_match_score(a, b) < const.MATCH_THRESHOLD
