import os
import subprocess
import sys
import tempfile
from pathlib import Path

from odoo.tests import tagged

from .common import API, StorefrontCase


@tagged("post_install", "-at_install")
class TestContract(StorefrontCase):
    """Schemathesis, generated from the OpenAPI document Odoo serves, against this server:
    no 5xx, no answer outside its schema, for valid and invalid requests alike."""

    def test_openapi_document_is_served_and_documents_the_keys(self):
        response = self.opener.get(self.base_url() + API + "/openapi.json", timeout=30)
        self.assertEqual(response.status_code, 200)
        document = response.json()
        self.assertIn("/catalogue/products", document["paths"])
        self.assertIn("/checkout", document["paths"])
        self.assertIn("/room-fit", document["paths"])
        self.assertIn("APIKeyHeader", document["components"]["securitySchemes"])
        docs = self.opener.get(self.base_url() + API + "/docs", timeout=30)
        self.assertEqual(docs.status_code, 200)

    def test_schemathesis_finds_no_server_error_and_no_schema_violation(self):
        self.storefront.rate_limit = 1_000_000
        self.endpoint.storefront_ip_rate_limit = 1_000_000
        self.env.flush_all()  # the server reads them on its own cursor
        binary = Path(sys.executable).with_name("schemathesis")
        examples = os.environ.get("STOREFRONT_SCHEMATHESIS_EXAMPLES", "25")
        command = [
            str(binary),
            "run",
            self.base_url() + API + "/openapi.json",
            "--checks",
            "not_a_server_error,response_schema_conformance,content_type_conformance,"
            "status_code_conformance",
            "--header",
            f"X-API-Key: {self.storefront_key}",
            "--max-examples",
            examples,
            "--seed",
            "18",
            "--workers",
            "1",
            "--phases",
            "examples,coverage,fuzzing",
            "--generation-database",
            "none",
            "--request-timeout",
            "60",
            "--no-color",
            "--suppress-health-check",
            "all",
        ]
        with tempfile.TemporaryDirectory() as folder:  # its cache stays out of the checkout
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=1500, check=False, cwd=folder
            )
        output = result.stdout + result.stderr
        self.assertEqual(result.returncode, 0, output[-12000:])
        self.assertIn("passed", output)
        self.fake.requests.clear()  # what schemathesis sent to Stripe is its own business
