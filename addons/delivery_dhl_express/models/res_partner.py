# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from . import dhl_payloads, dhl_utils


class ResPartner(models.Model):
    _inherit = "res.partner"

    eori_number = fields.Char(
        string="EORI Number",
        help="Economic Operators Registration and Identification number, which customs ask "
        "of exporters and importers in the EU and the UK. Sent to DHL with shipments that "
        "cross a customs border.",
    )

    @api.model
    def _commercial_fields(self):
        # The company's number, shown and used on its contacts too.
        return [*super()._commercial_fields(), "eori_number"]

    def _dhl_street(self):
        return " ".join(filter(None, [self.street, self.street2]))

    def _dhl_rate_address(self):
        """The contact's place as a rate request wants it (no street needed)."""
        self.ensure_one()
        if not self.country_id or not self.city:
            raise UserError(
                _(
                    "The address of %(partner)s needs a city and a country for DHL Express.",
                    partner=self.display_name,
                )
            )
        return dhl_payloads.rate_address(self.zip, self.city, self.country_id.code)

    def _dhl_party(self):
        """The contact as a shipment's shipper or receiver (``dhl_payloads.Party``)."""
        self.ensure_one()
        company = self.commercial_partner_id
        return dhl_payloads.Party(
            name=self.name,
            company_name=self.commercial_company_name or self.name,
            street=self._dhl_street(),
            phone=self.phone or self.mobile,
            email=self.email or "",
            registration_country=company.country_id.code or "",
            vat=company.vat or "",
            eori=company.eori_number or "",
        )

    def _dhl_party_problems(self, role):
        """Why DHL would refuse this contact as ``role`` (exporter, importer)."""
        if not self:
            return [_("%(role)s: missing.", role=role)]
        self.ensure_one()
        problems = []
        what = f"{role} ({self.display_name})"
        if not self.street:
            problems.append(_("%(who)s: no street.", who=what))
        else:
            try:
                dhl_utils.split_address_lines(self._dhl_street())
            except ValueError as error:
                problems.append(_("%(who)s: %(reason)s", who=what, reason=str(error)))
        if not self.city:
            problems.append(_("%(who)s: no city.", who=what))
        if not self.country_id:
            problems.append(_("%(who)s: no country.", who=what))
        elif self.country_id.zip_required and not self.zip:
            problems.append(_("%(who)s: no postcode.", who=what))
        if not (self.phone or self.mobile):
            problems.append(_("%(who)s: no phone number (DHL requires one).", who=what))
        return problems
