import base64
import logging
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

DEMO_PDF = base64.b64encode(b"%PDF-1.4\n% demo production file\n")
# A 1x1 PNG standing for the controller's photos.
DEMO_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJ"
    "RU5ErkJggg=="
)


class FurnitureSuiteDemo(models.AbstractModel):
    """Builds the demo story through the real flows: each order reached its state the way a
    user would have brought it there (sold, paid, validated, accepted...)."""

    _name = "furniture.suite.demo"
    _description = "Furniture Suite demo story"

    @api.model
    def _demo_installing(self):
        """Odoo loads a module's demo files again on each update (``-u``), and their
        ``<function>`` calls with them: the story is told once, when the module is
        installed, never a second time over the first."""
        module = self.env["ir.module.module"].search([("name", "=", "furniture_suite")])
        if module.state == "to install":
            return True
        _logger.info("furniture_suite is being updated: the demo story is not told again")
        return False

    @api.model
    def _setup_demo_company(self):
        """The retailer keeps its books in euros, on Odoo's generic chart of accounts.

        `furniture_suite_company` made the main company French before accounting was
        installed, so accounting's demo gave it neither a chart nor an entry: the chart is
        loaded here, then the currency set, before the story's first invoice. A company
        that already has entries (the suite installed on a database that had accounting)
        keeps its currency: Odoo forbids the change then.
        """
        if not self._demo_installing():
            return
        company = self.env.ref("base.main_company")
        if not company.chart_template:
            self.env["account.chart.template"].try_loading("generic_coa", company)
        euro = self.env.ref("base.EUR")
        if company.currency_id == euro:
            return
        if company.root_id._existing_accounting():
            _logger.info(
                "%s keeps its currency %s: it has journal entries already",
                company.name,
                company.currency_id.name,
            )
            return
        # The company's write activates the euro, then makes the default pricelist (Odoo's
        # multi-currency sales need one) in the company's new currency.
        former = company.currency_id
        company.currency_id = euro
        # The workshops' prices were agreed in the retailer's currency.
        self.env["product.supplierinfo"].search(
            [
                ("partner_id.is_manufacturer", "=", True),
                ("currency_id", "=", former.id),
                ("company_id", "in", [False, company.id]),
            ]
        ).currency_id = euro

    @api.model
    def _create_demo_orders(self):
        if not self._demo_installing():
            return
        ref = self.env.ref
        oak_table = ref("mto_production.product_oak_dining_table").product_variant_id
        ash_table = ref("mto_production.product_ash_dining_table").product_variant_id
        sofa = ref("mto_production.product_velvet_sofa").product_variant_id
        side_table = ref("mto_production.product_walnut_side_table").product_variant_id
        lamp = ref("mto_production.product_brass_floor_lamp").product_variant_id
        dupont, moretti, hansen, lambert, weber = (
            ref(f"furniture_suite.customer_{key}")
            for key in ("dupont", "moretti", "hansen", "lambert", "weber")
        )

        # A quotation still being discussed
        self._demo_sell(dupont, [(oak_table, 1), (lamp, 2)])
        # Confirmed, waiting for the customer's payment
        self._demo_sell(moretti, [(sofa, 1)]).action_confirm()
        # Paid: the order to the manufacturer waits for validation, a CAD drawing is missing
        order = self._demo_sell(hansen, [(oak_table, 1)], days=20)
        self._demo_specify(order, cad=False)
        order.action_confirm()
        self._demo_pay(order)
        # Released by a sales manager before payment
        order = self._demo_sell(lambert, [(side_table, 1)], days=45)
        self._demo_specify(order, width=70)
        order.action_confirm()
        order._mto_release("Long-standing trade customer, pays at delivery")

        # Two manufacturers, each with orders in every state its workshop sees: awaiting it,
        # accepted, in production, completed (and inspected), in rework, declined; and at
        # the first one, a manager's decisions on two inspections.
        stories = {
            oak_table: {
                "decline": "Our oak supplier is out of stock until spring",
                "defect": "A crack in the left leg",
                "stages": [
                    ("awaiting", dupont, 50, 1),
                    ("accepted", moretti, 70, 1),
                    ("in_production", hansen, 30, 1),
                    ("completed", lambert, 10, 2),
                    ("rework", dupont, -3, 1),
                    ("declined", moretti, 80, 1),
                    ("deviation_scrap", hansen, 15, 2),
                ],
            },
            ash_table: {
                "decline": "No ash boards this wide before the summer; we could make it in oak",
                "defect": "The extension leaf sticks: its runner is out of line",
                "stages": [
                    ("awaiting", weber, 55, 1),
                    ("accepted", lambert, 75, 1),
                    ("in_production", dupont, 25, 1),
                    ("completed", weber, 12, 1),
                    ("rework", hansen, 6, 1),
                    ("declined", moretti, 90, 1),
                ],
            },
        }
        for table, story in stories.items():
            for stage, customer, days, qty in story["stages"]:
                order = self._demo_sell(customer, [(table, qty)], days=days)
                self._create_demo_production(order, stage, days, story)

    @api.model
    def _create_demo_production(self, order, stage, days, story):
        """Bring a sold order, and its order to the manufacturer, to `stage`."""
        self._demo_specify(order, width=220)
        order.action_confirm()
        self._demo_pay(order)
        purchase = order.mto_purchase_ids
        purchase.action_mto_validate()
        if stage == "awaiting":
            return
        if stage == "declined":
            purchase._mto_decline(story["decline"])
            return
        purchase.action_mto_accept()
        purchase.mto_expected_date = fields.Date.today() + timedelta(days=max(days - 7, 1))
        if stage == "accepted":
            return
        purchase.action_mto_start()
        if stage == "in_production":
            return
        purchase.action_mto_complete()
        inspections = self._demo_receive(purchase)
        if stage == "completed":  # one piece passed, another may wait for its inspection
            self._demo_inspect(inspections[0])
            inspections[0].action_pass()
        elif stage == "rework":  # failed: back to the manufacturer with the defects
            self._demo_inspect(inspections[0], good=False)
            inspections[0].defect_ids = [
                Command.create(
                    {
                        "type_id": self.env.ref("mto_quality.defect_type_structure").id,
                        "severity": "critical",
                        "description": story["defect"],
                    }
                )
            ]
            inspections[0].action_fail()
        else:  # a manager's decisions
            self._demo_inspect(inspections[0], good=False)
            inspections[0].action_accept_deviation(
                "1.2 cm wider than ordered; the customer agreed by phone"
            )
            inspections[1].action_scrap("Split along the grain during transport")

    @api.model
    def _demo_sell(self, customer, lines, days=60):
        return self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "commitment_date": fields.Datetime.now() + timedelta(days=days),
                "order_line": [
                    Command.create({"product_id": p.id, "product_uom_qty": q}) for p, q in lines
                ],
            }
        )

    @api.model
    def _demo_specify(self, order, width=220, depth=95, cad=True):
        for line in order.order_line.filtered("product_id.mto_mode"):
            line._mto_add_missing_measurements()
            for measurement in line.mto_measurement_ids:
                measurement.value = {"width": width, "depth": depth}.get(
                    measurement.type_id.code, measurement.type_id.min_value
                )
            if cad and line.product_id.categ_id.mto_document_type_ids.filtered(
                lambda d: d.code == "cad"
            ):
                self.env["mto.production.file"].create(
                    {
                        "name": f"{order.name} - {line.product_id.name} - CAD.pdf",
                        "file_name": "cad.pdf",
                        "file": DEMO_PDF,
                        "document_type_id": self.env.ref("mto_production.document_type_cad").id,
                        "sale_line_id": line.id,
                    }
                )

    @api.model
    def _demo_pay(self, order):
        invoice = order._create_invoices()
        invoice.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move",
            active_ids=invoice.ids,
        ).create({})._create_payments()

    @api.model
    def _demo_receive(self, purchase):
        receipt = purchase.picking_ids.filtered(lambda p: p.picking_type_code == "incoming")
        for move in receipt.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        receipt.button_validate()
        return purchase.mto_piece_ids.mto_inspection_id.sorted("id")

    @api.model
    def _demo_inspect(self, inspection, good=True):
        for line in inspection.line_ids:
            if line.kind == "pass_fail":
                line.pass_fail = "pass" if good else "fail"
            elif line.kind == "measurement":
                line.measured_value = line.target if good else line.target + 1.2
            elif line.kind == "photo":
                line.photo_ids = [
                    Command.create(
                        {
                            "name": f"{inspection.piece_id.code}.png",
                            "datas": DEMO_PNG,
                            "res_model": "mto.quality.inspection",
                            "res_id": inspection.id,
                        }
                    )
                ]

    @api.model
    def _create_demo_exceptions(self):
        """Time passes on some demo orders (dates moved back as the days would have), a few
        things go wrong, and the cockpit's detection finds them: open exceptions of several
        kinds, each with its owner."""
        if not self._demo_installing():
            return
        ref = self.env.ref
        now = fields.Datetime.now()
        quality_user = ref("mto_production.user_quality")
        ref("mto_cockpit.rule_not_inspected").user_id = quality_user
        ref("mto_cockpit.rule_gate_blocked").user_id = quality_user
        purchases = self.env["purchase.order"]

        def move_back(records, column, **delta):
            records.flush_recordset()
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s WHERE id IN %s",
                    SQL.identifier(records._table),
                    SQL.identifier(column),
                    now - timedelta(**delta),
                    tuple(records.ids),
                )
            )
            records.invalidate_recordset([column])

        # The workshop has not answered for a week
        move_back(purchases.search([("mto_state", "=", "awaiting")]), "mto_state_since", days=8)
        # A reworked table has been at the workshop for two weeks
        move_back(purchases.search([("mto_state", "=", "rework")]), "mto_state_since", days=14)
        # A workshop let its expected completion date pass
        late = purchases.search([("mto_state", "=", "in_production")], limit=1)
        late.mto_expected_date = fields.Date.today() - timedelta(days=2)
        # A piece received three days ago still waits for its inspection
        waiting = self.env["mto.quality.inspection"].search([("state", "=", "todo")])
        move_back(waiting, "create_date", days=3)
        # The balance charge of a completed order was declined
        completed = purchases.search([("mto_state", "=", "completed")], limit=1)
        completed.mto_sale_id._stripe_mto_raise_exception(
            "The balance charge was declined: the card expired. A payment link was e-mailed.",
            summary="Balance charge declined",
        )
        # A text to a customer bounced for good
        customer = ref("furniture_suite.customer_hansen")
        self.env["sms.sms"].create(
            {
                "number": "+4520000000",
                "partner_id": customer.id,
                "body": "Your oak dining table is on its way.",
                "state": "error",
                "failure_type": "sms_number_format",
            }
        )
        self.env["mto.cockpit.rule"]._cron_detect()

    @api.model
    def _create_demo_clienteling(self):
        """Each assistant's clients have preferences and private notes; Hélène Dupont once
        ordered as a guest (a contact of her own, without salesperson), which her
        assistant can link to her from her profile."""
        if not self._demo_installing():
            return
        ref = self.env.ref
        notes = {
            "dupont": [
                ("size", "Dining room 6.2 m x 4.5 m; the table seats ten", "2026-03-02"),
                ("family", "Daughter's wedding in June: a gift list", "2026-06-20"),
            ],
            "lambert": [("budget", "Hotel lobby project: about 60k this year", "2026-02-11")],
            "moretti": [("taste", "Dislikes lacquer; loves mid-century walnut", "2026-01-15")],
            "hansen": [("budget", "Up to 12k for the dining set", "2026-04-03")],
            "weber": [("family", "Moves into the Starnberg house in September", "2026-09-01")],
        }
        tastes = {
            "dupont": ("style_classic", "material_oak", "colour_natural"),
            "lambert": ("style_contemporary", "material_walnut"),
            "moretti": ("style_contemporary", "material_velvet", "colour_deep_green"),
            "hansen": ("style_scandinavian", "material_oak"),
            "weber": ("style_classic", "material_walnut"),
        }
        for key, rows in notes.items():
            customer = ref(f"furniture_suite.customer_{key}")
            customer.clienteling_preference_ids = [
                Command.set([ref(f"sale_clienteling.preference_{t}").id for t in tastes[key]])
            ]
            customer.clienteling_note_ids = [
                Command.create(
                    {
                        "kind": kind,
                        "summary": summary,
                        "date": date,
                        "user_id": customer.user_id.id,
                    }
                )
                for kind, summary, date in rows
            ]
        dupont = ref("furniture_suite.customer_dupont")
        guest = self.env["res.partner"].create(
            {
                "name": "Helene Dupont",
                "email": dupont.email,
                "street": "12 rue du Bac",
                "city": "Paris",
                "zip": "75007",
                "country_id": ref("base.fr").id,
            }
        )
        lamp = ref("mto_production.product_brass_floor_lamp").product_variant_id
        self._demo_sell(guest, [(lamp, 1)], days=-200).action_confirm()

    @api.model
    def _create_demo_pricing_orders(self):
        """Orders under each region's price list, a promotion code, a deposit, the loyalty
        program's points and a piece of the limited edition."""
        if not self._demo_installing():
            return
        ref = self.env.ref
        oak_table = ref("mto_production.product_oak_dining_table").product_variant_id
        sofa = ref("mto_production.product_velvet_sofa").product_variant_id
        lamp = ref("mto_production.product_brass_floor_lamp").product_variant_id
        console = ref("furniture_suite.product_numbered_console").product_variant_id
        # London: a made-to-order table, the fair's code, 30% deposit to start production
        order = self._demo_sell(ref("furniture_suite.customer_ashford"), [(oak_table, 1)])
        self._demo_specify(order, width=240)
        order.write({"require_payment": True, "prepayment_percent": 0.3})
        self._demo_apply_code(order, "SALON10")
        # Geneva: a sofa, confirmed
        self._demo_sell(ref("furniture_suite.customer_favre"), [(sofa, 1)]).action_confirm()
        # New York: a floor lamp still being discussed
        self._demo_sell(ref("furniture_suite.customer_whitman"), [(lamp, 2)])
        # Paris: a VIP client buys a numbered console; her points accrue in Cercle Valmont
        self._demo_sell(ref("furniture_suite.customer_dupont"), [(console, 1)]).action_confirm()

    @api.model
    def _demo_apply_code(self, order, code):
        """What the salesperson's *Coupon Code* button does."""
        status = order._try_apply_code(code)
        if "error" in status:
            raise UserError(status["error"])
        for coupon, rewards in status.items():
            order._apply_program_reward(rewards[:1], coupon)
