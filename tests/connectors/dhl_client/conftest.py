"""Fixtures of the DHL client's tests: DHL's spec, a local DHL held to it, and the client
pointed at that DHL with a logger the tests read."""

import pytest
import yaml

from odoo.addons.connector_common.tests.openapi_fake import checked
from odoo.addons.delivery_dhl_express.tests.dhl_fake import (
    ACCOUNT_NUMBER,
    API_KEY,
    API_SECRET,
    SPEC_FILE,
    DHLFake,
)

from tests.conftest import specs_dir

from .common import CLIENT_TIMEOUT, dhl


@pytest.fixture(scope="module")
def spec():
    text = (specs_dir() / SPEC_FILE).read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@pytest.fixture
def fake():
    yield from checked(DHLFake())


@pytest.fixture
def log_lines():
    return []


@pytest.fixture
def client(fake, log_lines):
    return dhl.DHLExpressClient(
        API_KEY,
        API_SECRET,
        ACCOUNT_NUMBER,
        base_url=fake.base_url,
        timeout=CLIENT_TIMEOUT,
        logger=log_lines.append,
        platform_headers={"Shipping-System-Platform-Name": "Odoo", "Plugin-Version": "18.0"},
    )
