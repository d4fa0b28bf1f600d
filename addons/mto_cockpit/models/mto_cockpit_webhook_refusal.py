import logging

from odoo import api, fields, models

from .const import WEBHOOK_PROVIDERS

_logger = logging.getLogger(__name__)


class MtoCockpitWebhookRefusal(models.Model):
    """Webhook requests a provider sent that the suite refused (bad or missing signature),
    counted in a row per provider: many refusals in a row usually mean a wrong secret.

    Written in a transaction of its own (the refused request's own transaction may be rolled
    back) by one upsert; an accepted request resets the count, and only writes when there
    is something to reset.
    """

    _name = "mto.cockpit.webhook.refusal"
    _description = "Refused Webhooks"
    _rec_name = "provider"

    provider = fields.Selection(WEBHOOK_PROVIDERS, required=True, readonly=True)
    refused_count = fields.Integer(
        string="Refused in a Row", readonly=True, help="Reset by the next accepted request."
    )
    first_refused_on = fields.Datetime(readonly=True)
    last_refused_on = fields.Datetime(readonly=True)
    last_accepted_on = fields.Datetime(readonly=True, help="Last accepted request after a refusal.")

    _sql_constraints = [
        ("provider_unique", "UNIQUE(provider)", "One counter per provider."),
    ]

    @api.model
    def _mto_record(self, provider, refused):
        """Count a refused request, or reset the count after an accepted one."""
        if not refused and not self.search_count(
            [("provider", "=", provider), ("refused_count", ">", 0)], limit=1
        ):
            return
        try:
            with self.env.registry.cursor() as cr:
                if refused:
                    cr.execute(
                        """
                        INSERT INTO mto_cockpit_webhook_refusal
                            (provider, refused_count, first_refused_on, last_refused_on,
                             create_date, write_date)
                        VALUES (%(p)s, 1, now() at time zone 'UTC', now() at time zone 'UTC',
                                now() at time zone 'UTC', now() at time zone 'UTC')
                        ON CONFLICT (provider) DO UPDATE SET
                            refused_count = mto_cockpit_webhook_refusal.refused_count + 1,
                            first_refused_on = COALESCE(
                                mto_cockpit_webhook_refusal.first_refused_on,
                                EXCLUDED.first_refused_on),
                            last_refused_on = EXCLUDED.last_refused_on,
                            write_date = EXCLUDED.write_date
                        """,
                        {"p": provider},
                    )
                else:
                    cr.execute(
                        """
                        UPDATE mto_cockpit_webhook_refusal
                           SET refused_count = 0, first_refused_on = NULL,
                               last_accepted_on = now() at time zone 'UTC',
                               write_date = now() at time zone 'UTC'
                         WHERE provider = %s AND refused_count > 0
                        """,
                        [provider],
                    )
        except Exception:
            _logger.exception("Could not count a %s webhook", provider)
