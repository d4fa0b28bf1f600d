from odoo import api, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    def _find_allowed_model_wise(self, doc_model, doc_dict):
        """The messages of a meeting a restricted assistant sees as a busy slot are not
        found by them (the meeting is readable: Odoo would show them its chatter)."""
        allowed = super()._find_allowed_model_wise(doc_model, doc_dict)
        if doc_model != "calendar.event" or not allowed:
            return allowed
        hidden = self.env["calendar.event"]._clienteling_hidden_ids(list(doc_dict))
        return allowed - {mid for event_id in hidden for mid in doc_dict[event_id]}

    def _get_forbidden_access(self, operation):
        """Nor are they read, by id, unless they wrote them."""
        forbidden = super()._get_forbidden_access(operation)
        if operation != "read" or self.env.su:
            return forbidden
        rest = (self - forbidden).sudo()
        on_events = rest.filtered(
            lambda m: (
                m.model == "calendar.event" and m.res_id and m.author_id != self.env.user.partner_id
            )
        )
        if not on_events:
            return forbidden
        hidden = set(self.env["calendar.event"]._clienteling_hidden_ids(on_events.mapped("res_id")))
        return forbidden + self.browse(m.id for m in on_events if m.res_id in hidden)
