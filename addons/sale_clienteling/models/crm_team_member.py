from odoo import api, models


class CrmTeamMember(models.Model):
    _inherit = "crm.team.member"

    # Record rules read the teams of a user (clients shared by a team): their cached
    # domains follow the membership.

    @api.model_create_multi
    def create(self, vals_list):
        members = super().create(vals_list)
        self.env.registry.clear_cache()
        return members

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res


class CrmTeam(models.Model):
    _inherit = "crm.team"

    def write(self, vals):
        res = super().write(vals)
        if "user_id" in vals:
            self.env.registry.clear_cache()
        return res
