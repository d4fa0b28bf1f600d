from odoo import api, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.constrains("mto_deposit", "prepayment_percent")
    def _check_mto_deposit_capture(self):
        for company in self.filtered(lambda c: c._mto_takes_deposit()):
            provider = (
                self.env["payment.provider"]
                .sudo()
                .search(
                    [
                        ("code", "=", "stripe"),
                        ("company_id", "=", company.id),
                        ("capture_manually", "=", True),
                    ],
                    limit=1,
                )
            )
            if provider:
                raise ValidationError(provider._stripe_mto_manual_capture_message())
