from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    mto_cockpit_exception_ids = fields.Many2many(
        "mto.cockpit.exception",
        compute="_compute_mto_cockpit_exception_ids",
        string="Operational Exceptions to Handle",
    )
    mto_cockpit_exception_count = fields.Integer(compute="_compute_mto_cockpit_exception_ids")
    mto_cockpit_digest_recipients = fields.Char(
        compute="_compute_mto_cockpit_digest_recipients",
        help="The leader and members with an e-mail address (partner ids, comma-separated).",
    )

    def _compute_mto_cockpit_exception_ids(self):
        for team in self:
            exceptions = self.env["mto.cockpit.exception"].search(
                [("team_id", "=", team.id), ("state", "!=", "resolved")]
            )
            team.mto_cockpit_exception_ids = exceptions
            team.mto_cockpit_exception_count = len(exceptions)

    def _compute_mto_cockpit_digest_recipients(self):
        for team in self:
            users = team.user_id | team.member_ids
            team.mto_cockpit_digest_recipients = ",".join(
                str(partner.id) for partner in users.partner_id if partner.email
            )
