from odoo import fields, models


class MtoQualityDecisionWizard(models.TransientModel):
    _name = "mto.quality.decision.wizard"
    _description = "Quality Manager Decision"

    inspection_id = fields.Many2one("mto.quality.inspection", required=True, readonly=True)
    decision = fields.Selection(
        [("deviation", "Accept with a deviation"), ("scrap", "Scrap the piece")],
        required=True,
        default="deviation",
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if self.decision == "deviation":
            self.inspection_id.action_accept_deviation(self.reason)
        else:
            self.inspection_id.action_scrap(self.reason)
        return {"type": "ir.actions.act_window_close"}
