from odoo import api, models
from odoo.osv import expression


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    def _check_private_event_conditions(self):
        """Private client books: a restricted assistant sees a meeting with a client who is
        not theirs (neither organised by them nor with them among the attendees) as Odoo
        shows another person's private event: a busy slot, its time and organiser only."""
        return super()._check_private_event_conditions() or self._clienteling_is_hidden()

    def _clienteling_is_hidden(self):
        """Whether the current user may not see an attendee of this event, when they
        neither organise nor attend it. Read from the database, not from the cache (Odoo
        blanks a hidden event's attendees in the cache)."""
        self.ensure_one()
        user = self.env.user
        if not self.id or not user._clienteling_is_restricted():
            return False
        Attendee = self.env["calendar.attendee"].sudo()
        mine = [("event_id", "=", self.id), ("partner_id", "=", user.partner_id.id)]
        if self.sudo().user_id == user or Attendee.search_count(mine, limit=1):
            return False
        unseen = [
            ("event_id", "=", self.id),
            "!",
            ("partner_id", "any", user._clienteling_visible_partners_domain()),
        ]
        return bool(Attendee.search_count(unseen, limit=1))

    @api.model
    def _clienteling_hidden_ids(self, event_ids):
        """The ids among ``event_ids`` (existing or not) the current user sees as busy slots
        only because of private client books."""
        if not self.env.user._clienteling_is_restricted():
            return []
        events = self.browse(event_ids).exists()
        return [event.id for event in events if event._clienteling_is_hidden()]

    @api.model
    def _get_default_privacy_domain(self):
        """Grouped by a private field (who attends, what it is), a restricted assistant's
        groups count only the meetings they could read in full."""
        domain = super()._get_default_privacy_domain()
        user = self.env.user
        if not user._clienteling_is_restricted():
            return domain
        visible = user._clienteling_visible_partners_domain()
        readable = expression.OR(
            [
                [("user_id", "=", user.id)],
                [("partner_ids", "in", user.partner_id.ids)],
                [("attendee_ids", "not any", ["!", ("partner_id", "any", visible)])],
            ]
        )
        return expression.AND([domain, readable])
