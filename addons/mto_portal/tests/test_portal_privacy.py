import re

from odoo.tests import JsonRpcException, tagged

from .common import MtoPortalCase

PRIVATE = ("Mrs Customer", "customer@example.com", "+33 6 00 00 00 00", "Private Lane")


@tagged("post_install", "-at_install")
class TestManufacturerSeesNoCustomer(MtoPortalCase):
    """A manufacturer knows an order by the customer's reference (the sales order number),
    never by the customer's name, e-mail, phone or address: whatever route it reads."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's display names of sales orders and lines carry the customer's name.
        cls.assertTrue(
            cls,
            "Mrs Customer" in cls.sale_awaiting.order_line.with_context(lang="en_US").display_name
            or "Mrs Customer"
            in cls.sale_awaiting.with_context(sale_show_partner_name=True).display_name,
        )

    def _accept_own_order(self):
        self.login(self.workshop_user)
        self.step(self.po_awaiting, "accept")
        self.assertEqual(self.po_awaiting.mto_state, "accepted")
        self.assertTrue(self.po_awaiting.mto_piece_ids)

    def test_every_readable_field_of_every_readable_model(self):
        self._accept_own_order()
        answers = self.portal_read_everything(self.workshop_user)
        # The reading is real: the manufacturer's own order, its lines, pieces and files.
        self.assertIn(self.po_awaiting.name, answers["purchase.order"])
        self.assertIn(self.sale_awaiting.name, answers["purchase.order"], "customer reference")
        self.assertIn(self.po_awaiting.mto_piece_ids[0].code, answers["mto.piece"])
        self.assertIn("CAD.pdf", answers["mto.production.file"])
        self.assert_no_leaks(
            {f"JSON-RPC reads of {model}": text for model, text in answers.items()}, PRIVATE
        )

    def test_portal_pages_reports_and_chatter(self):
        self._accept_own_order()
        order = self.po_awaiting
        urls = [
            "/my/home",
            "/my/production",
            f"/my/production/{order.id}",
            "/my/purchase",
            "/my/rfq",
            f"/my/purchase/{order.id}",
            f"/report/html/purchase.report_purchaseorder/{order.id}",
            f"/report/html/purchase.report_purchasequotation/{order.id}",
            f"/report/html/mto_production.report_mto_piece_labels/{order.id}",
        ]
        pages = {url: self.url_open(url).text for url in urls}
        # The labels the portal downloads as a PDF, rendered as HTML the same way.
        labels = (
            self.env["ir.actions.report"]
            ._render_qweb_html("mto_production.action_report_mto_piece_labels", order.ids)[0]
            .decode()
        )
        self.assertIn(order.mto_piece_ids[0].code, labels, "the labels were rendered")
        pages["piece labels"] = labels
        self.assertEqual(self.url_open(f"/my/production/{order.id}/labels").status_code, 200)
        chatter = {
            "/mail/chatter_fetch": {"thread_model": "purchase.order", "thread_id": order.id},
            "/portal/chatter_init": {"thread_model": "purchase.order", "thread_id": order.id},
            "/mail/thread/messages": {"thread_model": "purchase.order", "thread_id": order.id},
            "/mail/thread/data": {
                "thread_model": "purchase.order",
                "thread_id": order.id,
                "request_list": ["followers", "attachments", "suggestedRecipients"],
            },
        }
        fetched = []
        for url, params in chatter.items():
            try:
                answer = str(self.make_jsonrpc_request(url, params))
            except JsonRpcException as exc:  # a refusal shows nothing either
                answer = str(exc)
            fetched.append(answer)
            pages[url] = answer
        self.assert_no_leaks(pages, PRIVATE)
        self.assertIn("A new order awaits you", "".join(fetched), "the chatter was read")

    def test_mails_and_texts_sent_to_the_manufacturer(self):
        self._accept_own_order()
        people = self.env["res.partner"].search([("id", "child_of", self.workshop.id)])
        messages = self.env["mail.message"].search(
            [
                "|",
                ("partner_ids", "in", people.ids),
                ("notification_ids.res_partner_id", "in", people.ids),
            ]
        )
        self.assertTrue(messages, "the manufacturer was written to")
        mails = self.env["mail.mail"].search(
            ["|", ("recipient_ids", "in", people.ids), ("mail_message_id", "in", messages.ids)]
        )
        texts = {f"message {m.id}": f"{m.subject} {m.body} {m.record_name}" for m in messages}
        texts.update({f"mail {m.id}": f"{m.subject} {m.body_html} {m.email_to}" for m in mails})
        if "sms.sms" in self.env:
            texts.update(
                {
                    f"text {sms.id}": sms.body
                    for sms in self.env["sms.sms"].search([("partner_id", "in", people.ids)])
                }
            )
        self.assert_no_leaks(texts, PRIVATE)

    def test_display_names_under_talkative_contexts(self):
        """The exact reads of the report: many2one fields to sales orders and lines."""
        self._accept_own_order()
        context = {"sale_show_partner_name": True}
        reads = [
            ("purchase.order", self.po_awaiting.ids),
            ("purchase.order.line", self.po_awaiting.order_line.ids),
            ("mto.piece", self.po_awaiting.mto_piece_ids.ids),
            ("mto.production.file", self.po_awaiting.mto_file_ids.ids),
        ]
        texts = {}
        for model, ids in reads:
            fields = self.rpc(model, "fields_get", attributes=["type", "relation"])
            many2one = [
                name
                for name, field in fields.items()
                if field["type"] == "many2one" or name == "display_name"
            ]
            rows = self.rpc(model, "read", ids, many2one, context=context)
            self.assertTrue(rows, model)
            texts[f"{model} many2one display names"] = re.sub(r"\s+", " ", str(rows))
        self.assert_no_leaks(texts, PRIVATE)
