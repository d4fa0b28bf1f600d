# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ShowroomAppointment(models.Model):
    _inherit = "showroom.appointment"

    def _prepare_calendar_event_vals(self):
        """With private client books, the assistant's calendar event is private: colleagues
        see the time as busy, not who the client is."""
        vals = super()._prepare_calendar_event_vals()
        if self.company_id.clienteling_privacy:
            vals["privacy"] = "private"
        return vals
