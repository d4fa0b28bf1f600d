from odoo import fields, models


class PaymentStripeEvent(models.Model):
    """A Stripe webhook event already received: each event is acted on once."""

    _name = "payment.stripe.event"
    _description = "Processed Stripe Event"
    _order = "id desc"
    _rec_name = "event_id"

    event_id = fields.Char(string="Stripe Event", required=True, readonly=True, index=True)
    event_type = fields.Char(string="Type", readonly=True)
    object_id = fields.Char(string="Stripe Object", readonly=True)
    provider_id = fields.Many2one("payment.provider", readonly=True, ondelete="cascade")
    result = fields.Selection(
        [
            ("done", "Processed"),
            ("ignored", "Ignored"),
            ("error", "Business error"),
        ],
        readonly=True,
        default="done",
    )
    message = fields.Text(readonly=True)

    _sql_constraints = [
        ("event_id_unique", "UNIQUE(event_id)", "A Stripe event is processed only once."),
    ]
