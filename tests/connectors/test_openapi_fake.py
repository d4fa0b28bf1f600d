"""The OpenAPI fake server: it answers like a provider and refuses what the provider would."""

import json
import time

import pytest
import requests

from odoo.addons.connector_common.tests.openapi_fake import (
    FakeResponse,
    OpenAPIFakeServer,
    Raw,
    Timeout,
    checked,
    decode_form,
    drop_multiple_of,
    load_spec,
    rewrite_nullable,
    specs_dir,
)

AUTH = ("user", "secret")

TINY_SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Tiny shop", "version": "1"},
    "servers": [{"url": "https://api.example.test/v2"}],
    "security": [{"basicAuth": []}],
    "paths": {
        "/orders": {
            "post": {
                "parameters": [
                    {
                        "name": "x-version",
                        "in": "header",
                        "required": True,
                        "schema": {"type": "string", "default": "2.0"},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/NewOrder"}}
                    },
                },
                "responses": {
                    "201": {
                        "description": "created",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Order"}}
                        },
                    },
                    "default": {
                        "description": "error",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                },
            }
        },
        "/orders/{order_id}": {
            "get": {
                "parameters": [
                    {
                        "name": "order_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^ord_[a-z0-9]+$"},
                    },
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                ],
                "responses": {
                    "200": {
                        "description": "an order",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Order"}}
                        },
                    }
                },
            }
        },
        "/charges": {
            "post": {
                "requestBody": {
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "required": ["amount"],
                                "properties": {
                                    "amount": {"type": "integer"},
                                    "capture": {"type": "boolean"},
                                    "metadata": {
                                        "type": "object",
                                        "additionalProperties": {"type": "string"},
                                    },
                                    "automatic": {
                                        "type": "object",
                                        "required": ["enabled"],
                                        "properties": {"enabled": {"type": "boolean"}},
                                    },
                                    "tags": {"type": "array", "items": {"type": "string"}},
                                    "note": {
                                        "anyOf": [
                                            {"type": "string", "maxLength": 5},
                                            {"type": "string", "enum": [""]},
                                        ]
                                    },
                                },
                            }
                        }
                    }
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Order"}}
                        },
                    }
                },
            }
        },
    },
    "components": {
        "securitySchemes": {"basicAuth": {"type": "http", "scheme": "basic"}},
        "schemas": {
            "NewOrder": {
                "type": "object",
                "required": ["sku", "qty"],
                "properties": {
                    "sku": {"type": "string"},
                    "qty": {"type": "integer", "minimum": 1},
                    "weight": {"type": "number", "multipleOf": 0.001},
                },
            },
            "Order": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string", "pattern": "^ord_"},
                    "state": {"type": "string", "enum": ["open", "closed"], "nullable": True},
                },
            },
            "Error": {
                "type": "object",
                "required": ["message"],
                "properties": {"message": {"type": "string"}},
            },
        },
    },
}

ORDERS = "/orders"
ORDER = "/orders/{order_id}"
CHARGES = "/charges"


@pytest.fixture(scope="module")
def tiny_spec(tmp_path_factory):
    path = tmp_path_factory.mktemp("spec") / "tiny.json"
    path.write_text(json.dumps(TINY_SPEC))
    return path


def created(request):
    return FakeResponse(201, {"id": "ord_1", "state": "open"})


@pytest.fixture
def shop(tiny_spec):
    server = OpenAPIFakeServer(tiny_spec, server_prefix="/v2")
    server.on("POST", ORDERS, created)
    yield from checked(server)


def post_order(shop, payload, **kwargs):
    headers = {"x-version": "2.0", **kwargs.pop("headers", {})}
    timeout = kwargs.pop("timeout", 5)
    return requests.post(
        f"{shop.base_url}/orders", json=payload, auth=AUTH, headers=headers, timeout=timeout
    )


# -- the happy path ----------------------------------------------------------------------------


def test_valid_order_is_answered_by_the_handler_and_recorded(shop):
    response = post_order(shop, {"sku": "CHAIR-OAK", "qty": 2})

    assert response.status_code == 201
    assert response.json() == {"id": "ord_1", "state": "open"}
    assert shop.base_url.startswith("http://127.0.0.1:") and shop.base_url.endswith("/v2")
    (seen,) = shop.requests_to("POST", ORDERS)
    assert seen.path == "/v2/orders"
    assert seen.json == {"sku": "CHAIR-OAK", "qty": 2}
    assert seen.header("X-VERSION") == "2.0"
    assert seen.header("authorization").startswith("Basic ")


def test_path_and_query_parameters_are_checked_and_recorded(shop):
    shop.on(
        "GET", ORDER, lambda request: FakeResponse(200, {"id": request.path_params["order_id"]})
    )

    response = requests.get(f"{shop.base_url}/orders/ord_42?limit=3", auth=AUTH, timeout=5)
    assert response.status_code == 200
    assert shop.requests[-1].query == {"limit": "3"}
    assert shop.requests[-1].route == ORDER

    bad = requests.get(f"{shop.base_url}/orders/ORDER-42?limit=many", auth=AUTH, timeout=5)
    assert bad.status_code == 400
    found = shop.take_violations()
    assert any("order_id" in violation for violation in found)
    assert any("limit" in violation for violation in found)


# -- requests that break the contract ------------------------------------------------------------


def test_body_missing_a_required_field_is_refused_with_a_clear_400(shop):
    response = post_order(shop, {"sku": "CHAIR-OAK", "qty": "two"})

    assert response.status_code == 400
    body = response.json()
    assert "does not match" in body["message"]
    assert any("'two' is not of type 'integer'" in v for v in body["violations"])
    with pytest.raises(AssertionError, match="is not of type 'integer'"):
        shop.assert_clean()
    shop.take_violations()


def test_request_without_credentials_is_a_violation(shop):
    response = requests.post(
        f"{shop.base_url}/orders",
        json={"sku": "A", "qty": 1},
        headers={"x-version": "2"},
        timeout=5,
    )

    assert response.status_code == 400
    assert any("Security" in violation for violation in shop.take_violations())


def test_unknown_route_and_wrong_method_are_violations(shop):
    assert requests.get(f"{shop.base_url}/customers", auth=AUTH, timeout=5).status_code == 400
    assert requests.delete(f"{shop.base_url}/orders", auth=AUTH, timeout=5).status_code == 400
    assert (
        requests.get("/".join(shop.base_url.split("/")[:3]) + "/orders", timeout=5).status_code
        == 400
    )

    found = shop.take_violations()
    assert len(found) == 3
    assert "unknown path" in found[0]
    assert "method not allowed" in found[1]
    assert "outside the prefix /v2" in found[2]


def test_header_with_a_spec_default_is_enforced_through_require_header(shop):
    # The spec gives x-version a default, so openapi-core does not see it missing.
    shop.require_header("x-version", lambda value: value.startswith("2."), "x-version 2.x needed")

    assert post_order(shop, {"sku": "A", "qty": 1}).status_code == 201
    missing = requests.post(
        f"{shop.base_url}/orders", json={"sku": "A", "qty": 1}, auth=AUTH, timeout=5
    )
    wrong = post_order(shop, {"sku": "A", "qty": 1}, headers={"x-version": "1.0"})

    assert (missing.status_code, wrong.status_code) == (400, 400)
    found = shop.take_violations()
    assert found[0].endswith("x-version 2.x needed (got None)")
    assert found[1].endswith("x-version 2.x needed (got '1.0')")


# -- form bodies with bracket keys -------------------------------------------------------------


def test_decode_form_builds_nested_objects_and_lists():
    raw = (
        "amount=1000&automatic[enabled]=true&metadata[order]=S001&metadata[empty]="
        "&tags[0]=a&tags[1]=b&items[0][price]=p1&items[1][price]=p2&expand[]=x&expand[]=y"
        "&MediaUrl=u1&MediaUrl=u2"
    )

    assert decode_form(raw.encode()) == {
        "amount": "1000",
        "automatic": {"enabled": "true"},
        "metadata": {"order": "S001", "empty": ""},
        "tags": ["a", "b"],
        "items": [{"price": "p1"}, {"price": "p2"}],
        "expand": ["x", "y"],
        "MediaUrl": ["u1", "u2"],
    }


def test_form_body_is_decoded_then_validated(shop):
    shop.on("POST", CHARGES, lambda request: FakeResponse(200, {"id": "ord_c"}))
    good = {
        "amount": "1000",
        "capture": "false",
        "automatic[enabled]": "true",
        "metadata[order]": "S001",
        "tags[0]": "rush",
        "note": "",
    }
    assert requests.post(f"{shop.base_url}/charges", data=good, auth=AUTH, timeout=5).ok
    assert shop.requests[-1].form["automatic"] == {"enabled": "true"}

    bad = {"amount": "ten", "automatic[enabled]": "maybe", "note": "far too long"}
    response = requests.post(f"{shop.base_url}/charges", data=bad, auth=AUTH, timeout=5)

    assert response.status_code == 400
    (violation,) = shop.take_violations()
    assert "at amount: 'ten' is not of type 'integer'" in violation
    assert "at automatic/enabled: 'maybe' is not of type 'boolean'" in violation
    assert "at note:" in violation


# -- canned answers ------------------------------------------------------------------------------


def test_a_canned_answer_that_breaks_the_spec_is_a_violation(shop):
    shop.queue("POST", ORDERS, FakeResponse(201, {"id": "42", "state": "lost"}))

    response = post_order(shop, {"sku": "A", "qty": 1})

    assert response.status_code == 201  # the client still gets what the fake said
    (violation,) = shop.take_violations()
    assert "the fake's 201 answer does not match the spec" in violation
    assert "'42' does not match '^ord_'" in violation
    assert "'lost' is not one of" in violation


def test_error_answers_are_checked_against_the_default_response(shop):
    shop.queue(
        "POST", ORDERS, FakeResponse(409, {"message": "duplicate"}), FakeResponse(409, {"oops": 1})
    )

    assert post_order(shop, {"sku": "A", "qty": 1}).status_code == 409
    assert shop.violations == []
    assert post_order(shop, {"sku": "A", "qty": 1}).status_code == 409
    (violation,) = shop.take_violations()
    assert "'message' is a required property" in violation


def test_an_undocumented_status_is_served_without_schema_check(shop):
    shop.queue("GET", ORDER, FakeResponse(404, {"anything": True}))

    response = requests.get(f"{shop.base_url}/orders/ord_9", auth=AUTH, timeout=5)

    assert response.status_code == 404
    assert shop.violations == []


def test_nullable_enum_needs_rewrite_nullable(tiny_spec):
    null_state = FakeResponse(201, {"id": "ord_1", "state": None})
    for transform, expected in ((None, 1), (rewrite_nullable, 0)):
        with OpenAPIFakeServer(tiny_spec, spec_transform=transform, server_prefix="v2") as server:
            server.queue("POST", ORDERS, null_state)
            assert post_order(server, {"sku": "A", "qty": 1}).status_code == 201
            assert len(server.take_violations()) == expected


def test_decimal_multiple_of_needs_drop_multiple_of(tiny_spec):
    for transform, expected in ((None, 400), (drop_multiple_of, 201)):
        with OpenAPIFakeServer(tiny_spec, spec_transform=transform, server_prefix="/v2") as server:
            server.on("POST", ORDERS, created)
            response = post_order(server, {"sku": "A", "qty": 1, "weight": 0.7})
            assert response.status_code == expected
            server.take_violations()


def test_queue_is_served_in_order_then_the_handler(shop):
    shop.queue(
        "POST",
        ORDERS,
        FakeResponse(500, {"message": "down"}),
        Raw(502, b"<html>Bad gateway", {"Content-Type": "text/html"}),
    )

    statuses = [post_order(shop, {"sku": "A", "qty": 1}).status_code for _ in range(3)]

    assert statuses == [500, 502, 201]
    assert shop.violations == []  # Raw is never validated


def test_timeout_holds_the_answer_longer_than_the_client_waits(shop):
    shop.queue("POST", ORDERS, Timeout(3))

    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        post_order(shop, {"sku": "A", "qty": 1}, timeout=0.3)
    assert time.monotonic() - started < 2
    assert post_order(shop, {"sku": "A", "qty": 1}).status_code == 201


def test_route_without_handler_and_unknown_template(shop):
    response = requests.get(f"{shop.base_url}/orders/ord_1", auth=AUTH, timeout=5)

    assert response.status_code == 501
    assert "no handler" in shop.take_violations()[0]
    with pytest.raises(ValueError, match="not an operation"):
        shop.on("POST", "/orders/{id}", created)


def test_parsed_spec_is_cached_per_file_and_transform(tiny_spec):
    assert load_spec(tiny_spec) is load_spec(tiny_spec)
    assert load_spec(tiny_spec, rewrite_nullable) is load_spec(tiny_spec, rewrite_nullable)
    assert load_spec(tiny_spec, rewrite_nullable) is not load_spec(tiny_spec)
    # the transform worked on a copy: the plain spec still has its quirk
    order = load_spec(tiny_spec).data["components"]["schemas"]["Order"]
    assert None not in order["properties"]["state"]["enum"]


# -- the real Twilio spec ------------------------------------------------------------------------

TWILIO_MESSAGES = "/2010-04-01/Accounts/{AccountSid}/Messages.json"
ACCOUNT_SID = "AC" + "0123456789abcdef" * 2


@pytest.fixture
def twilio_spec_server():
    server = OpenAPIFakeServer(
        specs_dir() / "twilio_api_v2010.json", spec_transform=rewrite_nullable
    )
    yield from checked(server)


def message_resource(sid="SM" + "a" * 32, status="queued"):
    return {
        "sid": sid,
        "account_sid": ACCOUNT_SID,
        "status": status,
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "to": "+32470123456",
        "from": "+14155550199",
        "body": "Your sofa is ready",
    }


def test_twilio_spec_accepts_what_the_sdk_sends(twilio_spec_server):
    from twilio.rest import Client

    twilio_spec_server.on(
        "POST", TWILIO_MESSAGES, lambda request: FakeResponse(201, message_resource())
    )
    client = Client(ACCOUNT_SID, "token")
    client.api.base_url = twilio_spec_server.base_url

    message = client.messages.create(to="+32470123456", from_="+14155550199", body="Hi")

    assert message.sid == "SM" + "a" * 32
    (seen,) = twilio_spec_server.requests_to("POST", TWILIO_MESSAGES)
    assert seen.form == {"To": "+32470123456", "From": "+14155550199", "Body": "Hi"}
    assert seen.path_params == {"AccountSid": ACCOUNT_SID}


def test_twilio_spec_refuses_bad_account_missing_to_and_bad_types(twilio_spec_server):
    twilio_spec_server.on(
        "POST", TWILIO_MESSAGES, lambda request: FakeResponse(201, message_resource())
    )
    base = twilio_spec_server.base_url
    url = f"{base}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"

    bad_sid = requests.post(
        url.replace(ACCOUNT_SID, "AC123"), data={"To": "+1"}, auth=AUTH, timeout=5
    )
    no_to = requests.post(url, data={"Body": "Hi"}, auth=AUTH, timeout=5)
    bad_type = requests.post(url, data={"To": "+1", "ValidityPeriod": "soon"}, auth=AUTH, timeout=5)

    assert (bad_sid.status_code, no_to.status_code, bad_type.status_code) == (400, 400, 400)
    found = twilio_spec_server.take_violations()
    assert "AccountSid" in found[0]
    assert "'To' is a required property" in found[1]
    assert "'soon' is not of type 'integer'" in found[2]


def test_twilio_spec_catches_a_fake_that_lies(twilio_spec_server):
    twilio_spec_server.queue(
        "POST", TWILIO_MESSAGES, FakeResponse(201, message_resource(sid="XX1", status="posted"))
    )
    url = f"{twilio_spec_server.base_url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"

    requests.post(url, data={"To": "+32470123456", "Body": "Hi"}, auth=AUTH, timeout=5)

    (violation,) = twilio_spec_server.take_violations()
    assert "'posted' is not one of" in violation
    assert "at sid:" in violation
