# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager

import psycopg2
from markupsafe import Markup

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError

from . import const, dhl_answers

# First key of the transaction-level advisory lock taken on a delivery's attempts ("DHL").
ATTEMPTS_LOCK_KEY = 0x44484C


class DhlExpressBooking(models.Model):
    """One attempt to book a DHL shipment for a delivery: the guard against double booking.

    Rows are written in a transaction of their own and committed at once, *before* DHL is
    called: whatever happens to the transaction that called DHL (a timeout raising an error
    rolls it back), the attempt stays recorded. Reads go through a fresh transaction too, so
    that an attempt committed a moment ago by another worker is seen. Hence no foreign key
    to the delivery: the delivery may not be committed yet when its attempt is.
    """

    _name = "dhl.express.booking"
    _description = "DHL Express Booking Attempt"
    _order = "id desc"
    _rec_name = "picking_name"

    picking_res_id = fields.Integer("Delivery ID", required=True, index=True, readonly=True)
    picking_name = fields.Char("Delivery", readonly=True)
    carrier_name = fields.Char("Carrier", readonly=True)
    reference = fields.Char(
        "Customer Reference", readonly=True, help="Sent to DHL: find the shipment in MyDHL by it."
    )
    state = fields.Selection(
        [
            ("pending", "Outcome unknown"),
            ("booked", "Booked"),
            ("refused", "Refused by DHL"),
            ("released", "Released (nothing booked)"),
            ("cancelled", "Cancelled"),
        ],
        default="pending",
        required=True,
        readonly=True,
    )
    tracking_number = fields.Char(readonly=True)
    dispatch_confirmation_number = fields.Char(readonly=True)
    note = fields.Text(readonly=True)
    decided_by = fields.Char(readonly=True, help="Who settled an unknown outcome.")

    def init(self):
        # One attempt in flight per delivery, even for two workers racing.
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS dhl_express_booking_one_pending "
            "ON dhl_express_booking (picking_res_id) WHERE state = 'pending'"
        )

    @api.model
    @contextmanager
    def _dhl_own_transaction(self):
        """A model in a transaction of its own, committed on success."""
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            yield env[self._name]
            env.flush_all()

    @api.model
    def _dhl_blocking(self, picking):
        """Attempts that forbid a new booking: ``[(state, tracking, reference, note)]``."""
        with self._dhl_own_transaction() as Booking:
            return Booking._dhl_blocking_attempts(picking)

    @api.model
    def _dhl_open_attempts(self, picking):
        """Attempts of ``picking`` that forbid a new booking, in this model's transaction:
        pending ones, and booked ones whose waybill the delivery does not record."""
        recorded = set(picking._dhl_waybills())
        return self.search(
            [("picking_res_id", "=", picking.id), ("state", "in", ("pending", "booked"))]
        ).filtered(lambda a: a.state == "pending" or a.tracking_number not in recorded)

    @api.model
    def _dhl_blocking_attempts(self, picking):
        """:meth:`_dhl_blocking`, in this model's transaction."""
        return [
            (a.state, a.tracking_number, a.reference, a.create_date)
            for a in self._dhl_open_attempts(picking)
        ]

    @api.model
    def _dhl_blocking_message(self, picking, blocking):
        state, tracking, reference, started = blocking[0]
        if state == "booked":
            return _(
                "DHL already booked waybill %(number)s for %(picking)s on %(date)s, but it is not "
                "recorded on the delivery (the transaction that booked it failed afterwards). "
                "Enter %(number)s as its Tracking Reference (the label can be printed from "
                "MyDHL), or, if it must not be used, release it with 'Release DHL booking' "
                "before booking again.",
                number=tracking,
                picking=picking.name,
                date=fields.Datetime.to_string(started),
            )
        return _(
            "A DHL booking of %(picking)s was sent on %(date)s and DHL never confirmed it: "
            "it may exist. To avoid paying twice, nothing is sent again until a person decides."
            "\n%(advice)s",
            picking=picking.name,
            date=fields.Datetime.to_string(started),
            advice=self._dhl_advice(reference or picking.name),
        )

    @api.model
    def _dhl_advice(self, reference):
        return _(
            "Look for the reference %(reference)s in MyDHL. If the shipment exists, enter its "
            "waybill number as Tracking Reference of the delivery. If it does not, click "
            "'Release DHL booking' on the delivery, then send it again.",
            reference=reference,
        )

    def _dhl_unknown_outcome_message(self, picking_name):
        return _(
            "DHL may or may not have booked %(picking)s. Nothing will be sent again until "
            "this is settled.\n%(advice)s",
            picking=picking_name,
            advice=self._dhl_advice(picking_name),
        )

    @api.model
    def _dhl_start(self, picking, carrier):
        """Record (and commit) an attempt before DHL is called; refuse when one is open.

        The check and the record share one transaction holding a lock on the delivery's
        attempts: a second worker waits for the first one's commit, then sees its attempt.
        The unique index stays the last guard.
        """
        try:
            with self._dhl_own_transaction() as Booking:
                # Read committed: after waiting for the lock, see what the other worker just
                # committed (Odoo's repeatable read would keep the snapshot from before).
                Booking.env.cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                Booking.env.cr.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)", [ATTEMPTS_LOCK_KEY, picking.id]
                )
                blocking = Booking._dhl_blocking_attempts(picking)
                if blocking:
                    raise UserError(self._dhl_blocking_message(picking, blocking))
                booking = Booking.create(
                    {
                        "picking_res_id": picking.id,
                        "picking_name": picking.name,
                        "carrier_name": carrier.name,
                        "reference": picking.name,
                    }
                )
                booking_id = booking.id
        except psycopg2.errors.UniqueViolation as error:
            raise UserError(
                _(
                    "%(picking)s is being booked with DHL by someone else right now.",
                    picking=picking.name,
                )
            ) from error
        return booking_id

    @api.model
    def _dhl_finish(self, booking_id, vals):
        with self._dhl_own_transaction() as Booking:
            Booking.browse(booking_id).write(vals)

    @api.model
    def _dhl_settle(self, picking, vals):
        """A person settled the open attempts of ``picking`` (see ``stock.picking``)."""
        with self._dhl_own_transaction() as Booking:
            attempts = Booking._dhl_open_attempts(picking)
            if vals.get("state") == "booked":
                attempts = attempts.filtered(lambda a: a.state == "pending")
            attempts.write(vals)
            return len(attempts)

    @api.model
    def _dhl_cancel(self, picking):
        with self._dhl_own_transaction() as Booking:
            Booking.search([("picking_res_id", "=", picking.id), ("state", "=", "booked")]).write(
                {"state": "cancelled"}
            )

    # -- booking a delivery ------------------------------------------------------------------

    @api.model
    def _dhl_send(self, picking, carrier):
        """Book ``picking`` with DHL through ``carrier``: check everything first, book under a
        committed attempt, attach the documents. Returns the ``send_shipping`` item."""
        blocking = self._dhl_blocking(picking)
        if blocking:
            raise UserError(self._dhl_blocking_message(picking, blocking))
        receiver = picking.partner_id
        declarable = carrier._dhl_is_customs_declarable(picking._dhl_shipper(), receiver)
        lines = picking._dhl_customs_lines()
        problems = picking._dhl_shipment_problems(lines, declarable)
        if problems:
            raise UserError(
                _(
                    "DHL Express cannot book %(picking)s yet, nothing was sent to DHL:\n%(list)s",
                    picking=picking.name,
                    list="\n".join(f"- {problem}" for problem in problems),
                )
            )
        receiver_address, notes = carrier._dhl_check_address(receiver, receiver._dhl_rate_address())
        moment = carrier._dhl_handover_moment(picking.company_id)
        payload = picking._dhl_shipment_vals(receiver_address, lines, declarable, moment)
        result = self._dhl_book(picking, carrier, payload)
        if declarable and carrier.dhl_paperless_trade:
            notes = [
                *notes,
                _(
                    "Paperless trade: DHL sends the commercial invoice to customs "
                    "electronically; no paper copy needs to travel with the goods."
                ),
            ]
        number = result.tracking_number
        body = _("Shipment booked with DHL Express, waybill %(number)s.", number=number)
        extra = list(notes) + [str(w) for w in result.warnings]
        if extra:
            body = Markup("%s<br/>%s") % (body, Markup("<br/>").join(extra))
        picking.message_post(
            body=body,
            attachments=[
                picking._dhl_attachment(doc, number, doc.type_code == const.LABEL_DOCUMENT_TYPE)
                for doc in result.documents
            ],
        )
        picking.write(
            {
                "dhl_dispatch_confirmation_number": result.dispatch_confirmation_number or False,
                "dhl_tracking_status": "created",
                "dhl_planned_shipping_date": moment.date(),
            }
        )
        return {
            "exact_price": carrier._dhl_shipment_price(result, payload, picking.company_id),
            "tracking_number": number,
        }

    @api.model
    def _dhl_book(self, picking, carrier, payload):
        """Send ``payload`` to DHL under a committed booking attempt: the one place a
        shipment is booked. Returns DHL's ``ShipmentResult``.

        Only plain reads of ``picking`` and the carrier happen here, besides the attempt's
        own transactions: two workers may run it at once, the attempts' unique index lets one
        through.
        """
        booking_id = self._dhl_start(picking, carrier)
        try:
            result = carrier._dhl_call("create_shipment", payload, expect=(dhl_answers.DHLError,))
        except dhl_answers.DHLError as error:
            if error.status and 400 <= error.status < 500:
                # DHL refused the request: nothing was booked, a corrected retry is safe.
                self._dhl_finish(booking_id, {"state": "refused", "note": error.detail})
                raise carrier._dhl_user_error(
                    error, intro=_("DHL refused the shipment of %(picking)s.", picking=picking.name)
                ) from error
            # No answer, or one we cannot read: DHL may have booked it. Keep the marker.
            self._dhl_finish(booking_id, {"note": error.detail})
            raise UserError(
                "\n".join(
                    [
                        error.user_message,
                        self.browse(booking_id)._dhl_unknown_outcome_message(picking.name),
                    ]
                    + ([_("DHL's detail: %(detail)s", detail=error.detail)] if error.detail else [])
                )
            ) from error
        self._dhl_finish(
            booking_id,
            {
                "state": "booked",
                "tracking_number": result.tracking_number,
                "dispatch_confirmation_number": result.dispatch_confirmation_number or False,
            },
        )
        return result
