from odoo import api, models


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model
    def _eval_context(self):
        """Two helpers for the clienteling rules' domains (see ``res.users``):
        ``clienteling_visible(path)`` and ``clienteling_own(path)``."""
        context = super()._eval_context()
        user = self.env.user
        context["clienteling_visible"] = user._clienteling_visible
        context["clienteling_own"] = user._clienteling_own
        return context
