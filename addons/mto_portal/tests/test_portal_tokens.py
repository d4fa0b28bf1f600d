import re

from werkzeug.urls import url_encode

from odoo.tests import JsonRpcException, tagged

from .common import MtoPortalCase

SECRET = "Rosewood veneer quote for the new workshop"


@tagged("post_install", "-at_install")
class TestOrderLinksDieWithTheManufacturer(MtoPortalCase):
    """Manufacturer A keeps what it was given (the order's token, the hash of its e-mails),
    declines, and the order goes to manufacturer B. None of it opens B's order, on any route
    of Odoo's that takes a token or a hash/pid pair; nor does B's own new token: a made-to-
    order order opens to a login only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls.env.ref("base.user_admin")
        cls.order = cls.po_awaiting

    def _a_keeps_its_links_then_b_gets_the_order(self):
        order = self.order
        self.login(self.workshop_user)
        portal_url = self.rpc("purchase.order", "get_portal_url", order.ids)
        token_a = self.rpc("purchase.order", "read", order.ids, ["access_token"])[0]["access_token"]
        self.assertTrue(token_a)
        self.assertIn(token_a, portal_url)
        pid_a = self.workshop_user.partner_id.id
        hash_a = order._sign_token(pid_a)  # as in the e-mails Odoo sends to A
        self.step(order, "decline", reason="No walnut this month")
        self.assertEqual(order.mto_state, "declined")
        self.assertNotEqual(order.access_token, token_a, "declining renews the token")
        order.with_user(self.manager)._mto_reassign(self.other_workshop)
        order.with_user(self.manager).action_mto_validate()
        self.assertEqual(order.partner_id, self.other_workshop)
        order.message_post(
            body=SECRET,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.other_workshop.ids,
        )
        self.logout()
        return token_a, pid_a, hash_a

    def _credentials(self, token_a, pid_a, hash_a):
        """What A kept, and what B was given: each must open nothing without a login."""
        b_token = self.order.sudo()._portal_ensure_token()
        self.assertNotEqual(b_token, token_a)
        b_pid = self.other_user.partner_id.id
        return {
            "A's old token": {"token": token_a},
            "A's hash and pid": {"hash": hash_a, "pid": pid_a},
            "B's token": {"token": b_token},
            "B's hash and pid": {"hash": self.order._sign_token(b_pid), "pid": b_pid},
        }

    def _json(self, route, params):
        try:
            return str(self.make_jsonrpc_request(route, params))
        except JsonRpcException as exc:
            return f"refused: {exc}"

    def test_chatter_routes_refuse_tokens_and_hashes(self):
        order = self.order
        credentials = self._credentials(*self._a_keeps_its_links_then_b_gets_the_order())
        thread = {"thread_model": "purchase.order", "thread_id": order.id}
        for who, creds in credentials.items():
            with self.subTest(who=who):
                fetched = self._json("/mail/chatter_fetch", {**thread, **creds})
                self.assertNotIn(SECRET, fetched, "B's thread is not readable")
                init = self._json("/portal/chatter_init", {**thread, **creds})
                self.assertNotIn("portal_partner", init)
                self.assertNotIn('"hasReadAccess": True', init.replace("'", '"'))
                messages = self._json("/mail/thread/messages", {**thread, **creds})
                self.assertNotIn(SECRET, messages)
                posted = self._json(
                    "/mail/message/post",
                    {**thread, "post_data": {"body": f"Forged by {who}"}, **creds},
                )
                self.assertIn("refused", posted)
                self.assertFalse(
                    order.message_ids.filtered(lambda m, w=who: f"Forged by {w}" in str(m.body)),
                    "nobody posts as B",
                )
                data = self._json(
                    "/mail/thread/data",
                    {**thread, "request_list": ["followers", "attachments"], **creds},
                )
                self.assertNotIn(self.other_workshop.name, data, "B's followers stay hidden")
                message = order.message_ids.filtered(lambda m: SECRET in str(m.body))
                reacted = self._json(
                    "/mail/message/reaction",
                    {"message_id": message.id, "content": "👍", "action": "add", **creds},
                )
                self.assertIn("refused", reacted)
                self.assertFalse(message.reaction_ids)
                self._json(
                    "/mail/message/update_content",
                    {"message_id": message.id, "body": "Changed", "attachment_ids": [], **creds},
                )
                self.assertIn(SECRET, str(message.body), "B's messages are not rewritten")

    def test_attachment_and_avatar_routes_refuse_tokens_and_hashes(self):
        order = self.order
        credentials = self._credentials(*self._a_keeps_its_links_then_b_gets_the_order())
        message = order.message_ids.filtered(lambda m: SECRET in str(m.body))
        placeholder = self.url_open(
            f"/mail/avatar/mail.message/{message.id}/author_avatar/50x50"
        ).content
        login_page = self.url_open("/web/login").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', login_page).group(1)
        attachments_before = self.env["ir.attachment"].search_count(
            [("res_model", "=", "purchase.order"), ("res_id", "=", order.id)]
        )
        for who, creds in credentials.items():
            with self.subTest(who=who):
                params = {
                    "access_token": creds.get("token", ""),
                    "_hash": creds.get("hash", ""),
                    "pid": creds.get("pid", ""),
                }
                query = url_encode({k: v for k, v in params.items() if v})
                avatar = self.url_open(
                    f"/mail/avatar/mail.message/{message.id}/author_avatar/50x50?{query}"
                )
                self.assertEqual(avatar.content, placeholder, "only the placeholder")
                upload = self.url_open(
                    "/mail/attachment/upload",
                    data={
                        "csrf_token": csrf,
                        "thread_id": order.id,
                        "thread_model": "purchase.order",
                        **creds,
                    },
                    files={"ufile": ("forged.txt", b"forged", "text/plain")},
                )
                self.assertNotEqual(upload.status_code, 200, upload.text[:200])
        self.assertEqual(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "purchase.order"), ("res_id", "=", order.id)]
            ),
            attachments_before,
            "nothing was uploaded to B's order",
        )

    def test_purchase_and_mail_routes_refuse_tokens(self):
        order = self.order
        credentials = self._credentials(*self._a_keeps_its_links_then_b_gets_the_order())
        line = order.order_line[0]
        planned = line.date_planned
        for who, creds in credentials.items():
            token = creds.get("token")
            if not token:
                continue
            with self.subTest(who=who):
                for url in (
                    f"/my/purchase/{order.id}?access_token={token}",
                    f"/my/purchase/{order.id}?access_token={token}&report_type=html",
                    f"/my/purchase/{order.id}/download_edi?access_token={token}",
                    f"/mail/view?model=purchase.order&res_id={order.id}&access_token={token}",
                ):
                    page = self.url_open(url)
                    self.assertNotIn(order.name, page.text, url)
                    self.assertNotIn(SECRET, page.text, url)
                    self.assertIn("/web/login", page.url, url)
                self._json(
                    f"/my/purchase/{order.id}/update",
                    {"access_token": token, str(line.id): "2031-01-15"},
                )
                self.assertEqual(line.date_planned, planned, "dates unchanged")

    def test_reassignment_alone_renews_the_token(self):
        order = self.po_to_validate  # never sent: reassigned before validation
        token = order.sudo()._portal_ensure_token()
        order.with_user(self.manager)._mto_reassign(self.other_workshop)
        self.assertNotEqual(order.access_token, token)
