import base64
import binascii
import contextlib
import json
import re

import requests

from odoo import Command
from odoo.tests import HttpCase, JsonRpcException, new_test_user

from odoo.addons.mto_production.tests.common import MtoProductionCase

# What a client gets for a field it may not read, or whose value Odoo cannot send as JSON
# (raw bytes of a binary field): an error, no data.
UNREADABLE = (JsonRpcException, requests.HTTPError)


class PortalReadAll:
    """Everything a logged-in user (portal or internal) can read, gathered the way a
    curious user would.

    Mixed into an ``HttpCase``: every model the user may read (by its access rights), every
    field ``fields_get`` shows that user, every record the record rules let through, with
    many2one display names as the ORM computes them (as superuser), under the context keys
    that make Odoo's display names more talkative.
    """

    # Context keys a portal user may send that make display names more talkative.
    TALKATIVE_CONTEXT = {"sale_show_partner_name": True, "show_address": True, "show_email": True}

    # An internal user reads much more than a portal user (every module's description
    # rendered, for one): HttpCase's 12 seconds per request are too short for some models.
    RPC_TIMEOUT = 300

    def rpc(self, model, method, *args, **kwargs):
        """``make_jsonrpc_request`` to call_kw, with a longer timeout."""
        payload = {
            "id": 0,
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        }
        response = self.url_open(
            "/web/dataset/call_kw",
            json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
            timeout=self.RPC_TIMEOUT,
        )
        response.raise_for_status()
        answer = response.json()
        if "error" in answer:
            raise JsonRpcException(
                code=answer["error"]["code"], message=answer["error"]["data"]["name"]
            )
        return answer.get("result")

    def readable_models(self, user):
        models = []
        for name, model in self.env.registry.items():
            if model._abstract or model._transient or not model._auto:
                continue
            if self.env[name].with_user(user).has_access("read"):
                models.append(name)
        return sorted(models)

    def read_everything(self, user):
        """{model: answer text} of every readable field of every readable record, and of
        every display name again under the talkative context."""
        answers = {}
        for model in self.readable_models(user):
            fields = self.rpc(model, "fields_get", attributes=["type"])
            names = [n for n, f in fields.items() if f["type"] == "many2one"]
            texts = [self._read(model, fields, {})]
            if names or "display_name" in fields:
                named = {n: fields[n] for n in [*names, "display_name"] if n in fields}
                texts.append(self._read(model, named, self.TALKATIVE_CONTEXT))
            answers[model] = "\n".join(texts)
        return answers

    portal_readable_models = readable_models
    portal_read_everything = read_everything

    def _read(self, model, fields, context):
        try:
            rows = self.rpc(model, "search_read", [], fields=list(fields), context=context)
        except UNREADABLE:
            rows = self._read_field_by_field(model, fields, context)
        return self._as_text(rows, fields)

    def _read_field_by_field(self, model, fields, context):
        """A field whose computation is refused must not hide what the other fields show."""
        rows = {}
        for field in fields:
            try:
                for row in self.rpc(model, "search_read", [], fields=[field], context=context):
                    rows.setdefault(row["id"], {}).update(row)
            except UNREADABLE:
                continue
        return list(rows.values())

    @staticmethod
    def _as_text(rows, fields):
        parts = [json.dumps(rows, default=str, ensure_ascii=False)]
        for row in rows:
            for name, value in row.items():
                if fields.get(name, {}).get("type") == "binary" and isinstance(value, str):
                    with contextlib.suppress(ValueError, binascii.Error):
                        parts.append(base64.b64decode(value).decode("utf-8", "ignore"))
        return "\n".join(parts)

    def assert_no_leaks(self, texts, private):
        """Every place each private value shows up, all in one failure message."""
        leaks = [
            f"{value!r} reached {where}"
            for where, text in texts.items()
            for value in private
            if value in text
        ]
        self.assertFalse(leaks, "\n".join(leaks))


class MtoPortalCase(MtoProductionCase, HttpCase, PortalReadAll):
    """Two manufacturers, each with portal users, and orders of both in several states."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.workshop_user = cls._portal_user("workshop_anna", cls.workshop)
        cls.workshop_colleague = cls._portal_user("workshop_bob", cls.workshop)
        cls.other_user = cls._portal_user("other_carl", cls.other_workshop)
        # Workshop: one order awaiting it, one still being validated; other: one awaiting it.
        cls.sale_awaiting, cls.po_awaiting = cls._validated(cls.table, 2)
        cls.sale_draft = cls._paid_order(cls.table)
        cls.po_to_validate = cls.sale_draft.mto_purchase_ids
        cls.sale_other, cls.po_other = cls._validated(cls.sofa, 1)
        cls.other_file = cls.env["mto.production.file"].create(
            {
                "name": "Other's drawing.pdf",
                "file_name": "other.pdf",
                "file": b"JVBERi0xLjQK",
                "document_type_id": cls.doc_render.id,
                "purchase_id": cls.po_other.id,
            }
        )
        cls.po_other.action_mto_accept()

    @classmethod
    def _portal_user(cls, login, company):
        person = cls.env["res.partner"].create(
            {
                "name": login.replace("_", " ").title(),
                "parent_id": company.id,
                "email": f"{login}@example.com",
            }
        )
        return new_test_user(
            cls.env,
            login,
            groups="base.group_portal",
            partner_id=person.id,
            password=f"{login}-password",
        )

    @classmethod
    def _paid_order(cls, product, qty=1):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "client_order_ref": "Mrs Customer's villa",
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": qty})],
            }
        )
        order.action_confirm()
        order.order_line.mto_measurement_ids = (
            [Command.create({"type_id": cls.width.id, "value": 200})]
            if product.categ_id == cls.categ_tables
            else []
        )
        cls.env["mto.production.file"].create(
            {
                "name": "CAD.pdf",
                "file_name": "cad.pdf",
                "file": b"JVBERi0xLjQK",
                "document_type_id": cls.doc_cad.id,
                "sale_line_id": order.order_line.id,
            }
        )
        order._mto_release("test fixture")
        return order

    @classmethod
    def _validated(cls, product, qty=1):
        order = cls._paid_order(product, qty)
        purchase = order.mto_purchase_ids
        purchase.mto_manager_note = "<p>Use the oak batch from October.</p>"
        purchase.action_mto_validate()
        return order, purchase

    def login(self, user):
        self.authenticate(user.login, f"{user.login}-password")

    def csrf(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200, url)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def step(self, order, step, **data):
        token = self.csrf(f"/my/production/{order.id}")
        return self.url_open(
            f"/my/production/{order.id}/{step}", data={"csrf_token": token, **data}
        )
