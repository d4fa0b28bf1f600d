import base64

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import JsonRpcException, new_test_user, tagged

from odoo.addons.mto_portal.tests.common import MtoPortalCase

from .common import receive_made_order

PNG = base64.b64encode(
    base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
)


@tagged("post_install", "-at_install")
class TestQualityControl(MtoPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cm = cls.env.ref("uom.product_uom_cm")
        cls.checklist = cls.env["mto.quality.checklist"].create(
            {
                "name": "Tables",
                "item_ids": [
                    Command.create({"name": "Surface finish", "kind": "pass_fail"}),
                    Command.create(
                        {
                            "name": "Width",
                            "kind": "measurement",
                            "target": 220,
                            "tolerance": 0.5,
                            "uom_id": cm.id,
                        }
                    ),
                    Command.create({"name": "Photo of the top", "kind": "photo"}),
                    Command.create({"name": "Remarks", "kind": "text", "required": False}),
                ],
            }
        )
        cls.categ_tables.mto_checklist_id = cls.checklist
        cls.controller = new_test_user(
            cls.env, "qc_controller", groups="mto_quality.group_quality_user"
        )
        cls.quality_manager = new_test_user(
            cls.env, "qc_manager", groups="mto_quality.group_quality_manager"
        )
        cls.defect_finish = cls.env.ref("mto_quality.defect_type_finish")

    # ------------------------------------------------------------------ helpers

    def _made_and_received(self):
        """The workshop made the order's two tables; the retailer receives them."""
        return receive_made_order(self.po_awaiting)

    def _answer(self, inspection, width=220.0, finish="pass", photo=True, user=None):
        lines = {line.name: line for line in inspection.line_ids.with_user(user or self.controller)}
        lines["Surface finish"].pass_fail = finish
        lines["Width"].measured_value = width
        if photo:
            attachment = self.env["ir.attachment"].create(
                {
                    "name": "top.png",
                    "datas": PNG,
                    "res_model": "mto.quality.inspection",
                    "res_id": inspection.id,
                }
            )
            lines["Photo of the top"].photo_ids = [Command.link(attachment.id)]

    def _deliver(self):
        delivery = self.sale_awaiting.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
        )
        delivery.action_assign()
        for move in delivery.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        return delivery

    # ------------------------------------------------------------------ tests

    def test_receipt_creates_one_inspection_per_piece_tied_to_the_move(self):
        inspections = self._made_and_received()
        self.assertEqual(len(inspections), 2)
        self.assertEqual(inspections.piece_id, self.po_awaiting.mto_piece_ids)
        self.assertEqual(inspections.move_id.picking_id.picking_type_code, "incoming")
        self.assertEqual(inspections.checklist_id, self.checklist)
        self.assertEqual(len(inspections[0].line_ids), 4)
        self.assertEqual(set(inspections.mapped("state")), {"todo"})

    def test_measurement_tolerance_edges(self):
        inspection = self._made_and_received()[0]
        width = inspection.line_ids.filtered(lambda line: line.name == "Width")
        for value, expected in (
            (220.5, "pass"),
            (219.5, "pass"),
            (220.0, "pass"),
            (220.51, "fail"),
            (219.49, "fail"),
            (0.0, "fail"),
        ):
            width.with_user(self.controller).measured_value = value
            self.assertEqual(width.result, expected, value)
        self.assertEqual(width.recorded_by_id, self.controller, "who is kept for audit")
        self.assertTrue(width.recorded_on)

    def test_required_items_and_photos_block_approval(self):
        inspection = self._made_and_received()[0].with_user(self.controller)
        with self.assertRaisesRegex(UserError, "Surface finish, Width, Photo of the top"):
            inspection.action_pass()
        self._answer(inspection, photo=False)
        with self.assertRaisesRegex(UserError, "answer Photo of the top"):
            inspection.action_pass()
        self._answer(inspection)
        inspection.action_pass()
        self.assertEqual(inspection.state, "passed")
        self.assertEqual(inspection.decided_by_id, self.controller)

    def test_failed_piece_goes_back_for_rework_and_returns_to_a_linked_inspection(self):
        first, second = self._made_and_received()
        self._answer(first)
        self._answer(second, width=221.2, finish="fail")
        second.with_user(self.controller).defect_ids = [
            Command.create(
                {
                    "type_id": self.defect_finish.id,
                    "severity": "major",
                    "description": "Scratch across the top",
                }
            )
        ]
        first.with_user(self.controller).action_pass()
        second.with_user(self.controller).action_fail()
        self.assertEqual(second.state, "failed")
        self.assertEqual(self.po_awaiting.mto_state, "rework")
        self.assertEqual(len(second.defect_ids), 3, "each failed item is a defect too")
        notice = self.po_awaiting.message_ids.filtered(
            lambda m: self.workshop in m.partner_ids and "failed quality control" in m.body
        )
        self.assertTrue(notice.attachment_ids, "the photos go to the manufacturer")

        # The workshop sees the defects in the portal and completes the rework there.
        self.login(self.workshop_user)
        page = self.url_open(f"/my/production/{self.po_awaiting.id}").text
        self.assertIn("Scratch across the top", page)
        self.step(self.po_awaiting, "complete")
        self.assertEqual(self.po_awaiting.mto_state, "completed")
        piece = second.piece_id
        piece.invalidate_recordset()
        retry = piece.mto_inspection_id
        self.assertNotEqual(retry, second)
        self.assertEqual(retry.previous_id, second)
        self.assertEqual(retry.attempt, 2)
        self.assertEqual(piece.mto_inspection_ids, second | retry, "the history is kept")

        delivery = self._deliver()
        with self.assertRaisesRegex(UserError, f"{piece.code}.*not inspected yet"):
            delivery.button_validate()
        self._answer(retry)
        retry.with_user(self.controller).action_pass()
        delivery.button_validate()
        self.assertEqual(delivery.state, "done")
        self.assertFalse(first.first_pass and second.first_pass)
        self.assertTrue(first.first_pass)

    def test_gate_holds_for_every_way_of_validating(self):
        inspections = self._made_and_received()
        delivery = self._deliver()
        codes = inspections.piece_id.mapped("code")
        with self.assertRaises(UserError) as refusal:
            delivery.button_validate()
        for code in codes:
            self.assertIn(code, str(refusal.exception), "each pending piece is listed")
        with self.assertRaisesRegex(UserError, "passed quality control"):
            delivery.move_ids._action_done()
        with self.assertRaisesRegex(UserError, "passed quality control"):
            delivery._action_done()
        stock_user = new_test_user(self.env, "stock_api_user", groups="stock.group_stock_user")
        self.authenticate(stock_user.login, stock_user.login)
        with self.assertRaises(JsonRpcException):
            self.rpc("stock.picking", "button_validate", delivery.ids)
        self.assertNotEqual(delivery.state, "done")

    def test_manager_accepts_a_deviation_or_scraps_with_a_reason(self):
        first, second = self._made_and_received()
        with self.assertRaises(AccessError):
            first.with_user(self.controller).action_accept_deviation("close enough")
        with self.assertRaisesRegex(UserError, "Say why"):
            first.with_user(self.quality_manager).action_accept_deviation(" ")
        wizard = (
            self.env["mto.quality.decision.wizard"]
            .with_user(self.quality_manager)
            .create(
                {
                    "inspection_id": first.id,
                    "decision": "deviation",
                    "reason": "0.6 cm wider, customer agreed by phone",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(first.state, "deviation")
        self.assertIn("customer agreed", first.message_ids[0].body)
        second.with_user(self.quality_manager).action_scrap("Cracked leg")
        self.assertEqual(second.state, "scrapped")

    def test_decided_results_change_only_by_a_quality_manager_and_are_logged(self):
        inspection = self._made_and_received()[0]
        self._answer(inspection)
        inspection.with_user(self.controller).action_pass()
        width = inspection.line_ids.filtered(lambda line: line.name == "Width")
        with self.assertRaises(AccessError):
            width.with_user(self.controller).measured_value = 220.2
        width.with_user(self.quality_manager).measured_value = 220.2
        self.assertIn("changed a decided result", inspection.message_ids[0].body)
        self.assertIn("220.2", inspection.message_ids[0].body)

    def test_manufacturer_and_sales_users_cannot_record_inspections(self):
        inspection = self._made_and_received()[0]
        self.login(self.workshop_user)
        for model, record in (
            ("mto.quality.inspection", inspection),
            ("mto.quality.inspection.line", inspection.line_ids[:1]),
        ):
            with self.assertRaises(JsonRpcException):
                self.rpc(model, "read", record.ids, ["display_name"])
            with self.assertRaises(JsonRpcException):
                self.rpc(
                    model,
                    "write",
                    record.ids,
                    {"note" if "line" not in model else "observation": "ok"},
                )
        with self.assertRaises(AccessError):
            inspection.line_ids[:1].with_user(self.salesman).pass_fail = "pass"
        self.customer.user_id = self.salesman  # their client (private client books, if on)
        inspection.with_user(self.salesman).read(["state"])  # sales users may look

    def test_reporting_first_pass_yield_and_days_lost(self):
        first, second = self._made_and_received()
        self._answer(first)
        first.action_pass()
        self._answer(second, finish="fail")
        second.action_fail()
        self.po_awaiting.action_mto_complete()
        groups = self.env["mto.quality.inspection"]._read_group(
            [("manufacturer_id", "=", self.workshop.id), ("state", "!=", "todo")],
            ["manufacturer_id"],
            ["first_pass_yield:avg", "__count"],
        )
        self.assertEqual(groups[0][1:], (50.0, 2), "one of two decided inspections passed first")
        second.invalidate_recordset()
        self.assertGreaterEqual(second.days_lost, 0.0)
        self.assertTrue(second.next_id)
