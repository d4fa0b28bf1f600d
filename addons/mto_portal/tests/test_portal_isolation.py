from odoo.tests import JsonRpcException, tagged

from .common import MtoPortalCase

PRIVATE = ("Mrs Customer", "customer@example.com", "+33 6 00 00 00 00", "Private Lane", "villa")


@tagged("post_install", "-at_install")
class TestPortalIsolation(MtoPortalCase):
    """A manufacturer's user tries every route to what is not its own: each is a leak test."""

    def test_list_shows_own_orders_from_awaiting_on_only(self):
        self.login(self.workshop_user)
        page = self.url_open("/my/production").text
        self.assertIn(self.po_awaiting.name, page)
        self.assertNotIn(self.po_to_validate.name, page, "still being validated")
        self.assertNotIn(self.po_other.name, page, "another manufacturer's")
        home = self.url_open("/my/home?").text
        self.assertIn("Production Orders", home)

    def test_portal_urls_with_other_ids_or_tokens_are_not_found(self):
        self.login(self.workshop_user)
        for order in (self.po_other, self.po_to_validate):
            self.assertEqual(self.url_open(f"/my/production/{order.id}").status_code, 404)
            token = order.sudo()._portal_ensure_token()
            response = self.url_open(f"/my/purchase/{order.id}?access_token={token}")
            self.assertNotIn(order.name, response.text, "a token does not open it")
            self.assertEqual(self.url_open(f"/my/production/{order.id}/labels").status_code, 404)
            self.assertEqual(
                self.url_open(f"/my/production/{order.id}/file/{self.other_file.id}").status_code,
                404,
            )
        # A file of another order, through one's own order
        self.assertEqual(
            self.url_open(
                f"/my/production/{self.po_awaiting.id}/file/{self.other_file.id}"
            ).status_code,
            404,
        )
        # Steps on another's order
        token = self.csrf(f"/my/production/{self.po_awaiting.id}")
        response = self.url_open(
            f"/my/production/{self.po_other.id}/start", data={"csrf_token": token}
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.po_other.mto_state, "accepted")

    def test_json_rpc_sees_only_own_records(self):
        self.login(self.workshop_user)
        visible = self.rpc("purchase.order", "search_read", [], fields=["name"])
        self.assertEqual({r["id"] for r in visible}, set(self.po_awaiting.ids))
        for model, record in (
            ("purchase.order", self.po_other),
            ("purchase.order", self.po_to_validate),
            ("purchase.order.line", self.po_other.order_line),
            ("sale.order", self.sale_awaiting),
            ("sale.order.line", self.sale_awaiting.order_line),
            ("res.partner", self.customer),
            ("mto.piece", self.po_other.mto_piece_ids[:1]),
            ("mto.production.file", self.other_file),
        ):
            with self.assertRaises(JsonRpcException, msg=model):
                self.rpc(model, "read", record.ids, ["display_name"])
        self.assert_nothing("purchase.order.line", [("order_id", "=", self.po_other.id)])
        self.assert_nothing("mto.piece", [])  # none of its own yet, none of others
        self.assert_nothing("sale.order", [])
        self.assert_nothing("ir.attachment", [("res_model", "=", "mto.production.file")])
        self.assert_nothing(
            "ir.attachment", [("res_model", "=", "mto.production.file"), ("res_field", "=", "file")]
        )
        for model in ("mto.change.request", "mto.line.measurement"):
            with self.assertRaises(JsonRpcException, msg=model):
                self.rpc(model, "search_read", [], fields=["display_name"])
        with self.assertRaises(JsonRpcException):
            self.rpc("purchase.order", "write", self.po_awaiting.ids, {"mto_state": "completed"})
        with self.assertRaises(JsonRpcException):
            self.rpc("purchase.order", "action_mto_accept", self.po_awaiting.ids)
        self.assertEqual(self.po_awaiting.mto_state, "awaiting")

    def assert_nothing(self, model, domain):
        """The search finds nothing, or is refused outright: either way nothing leaks."""
        try:
            found = self.rpc(model, "search_read", domain, fields=["display_name"])
        except JsonRpcException:
            return
        self.assertFalse(found, model)

    def test_report_and_attachment_urls_with_guessed_ids_are_refused(self):
        self.login(self.workshop_user)
        report = self.url_open(
            f"/report/pdf/mto_production.report_mto_piece_labels/{self.po_other.id}"
        )
        self.assertNotEqual(report.status_code, 200)
        self.assertNotIn(self.po_other.mto_piece_ids[:1].code, report.text)
        attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "mto.production.file"),
                ("res_id", "=", self.other_file.id),
                ("res_field", "=", "file"),
            ]
        )
        self.assertTrue(attachment)
        for url in (
            f"/web/content/{attachment.id}",
            f"/web/image/{attachment.id}",
            f"/web/content/mto.production.file/{self.other_file.id}/file",
        ):
            response = self.url_open(url)
            self.assertNotIn(b"JVBERi0xLjQK", response.content, url)
            self.assertNotIn(b"%PDF-1.4", response.content, url)
            if "/web/image/" not in url:  # images answer a placeholder picture instead
                self.assertIn(response.status_code, (403, 404), url)

    def test_chatter_and_followers_of_others_orders_are_hidden(self):
        self.login(self.workshop_user)
        self.assertTrue(self.po_other.message_ids, "there are messages to hide")
        self.assert_nothing(
            "mail.message", [("model", "=", "purchase.order"), ("res_id", "=", self.po_other.id)]
        )
        try:
            thread = self.make_jsonrpc_request(
                "/mail/thread/messages",
                {"thread_model": "purchase.order", "thread_id": self.po_other.id},
            )
        except JsonRpcException:
            thread = {}  # refused outright: nothing leaks either
        self.assertFalse(thread.get("messages"), thread)
        self.assert_nothing(
            "mail.followers",
            [("res_model", "=", "purchase.order"), ("res_id", "=", self.po_other.id)],
        )

    def test_customer_contact_data_stays_hidden_on_own_orders(self):
        self.login(self.workshop_user)
        page = self.url_open(f"/my/production/{self.po_awaiting.id}").text
        self.assertIn(self.sale_awaiting.name, page, "the customer reference is shown")
        for private in PRIVATE:
            self.assertNotIn(private, page)
        data = self.rpc(
            "purchase.order",
            "read",
            self.po_awaiting.ids,
            ["origin", "mto_customer_ref", "dest_address_id", "partner_id"],
        )[0]
        self.assertFalse(data["dest_address_id"])
        self.assertEqual(data["mto_customer_ref"], self.sale_awaiting.name)
        for private in PRIVATE:
            self.assertNotIn(private, str(data))
        # The link to the sales order itself is the back office's (its display name names
        # the customer); the sales order stays closed either way.
        with self.assertRaises(JsonRpcException):
            self.rpc("purchase.order", "read", self.po_awaiting.ids, ["mto_sale_id"])
        with self.assertRaises(JsonRpcException):
            self.rpc("sale.order", "read", [self.sale_awaiting.id], ["partner_id"])

    def test_revoked_access_takes_effect_at_once(self):
        self.login(self.workshop_colleague)
        self.assertEqual(self.url_open("/my/production").status_code, 200)
        self.workshop_colleague.action_archive()
        response = self.url_open("/my/production")
        self.assertIn("/web/login", response.url)
