from odoo import api, models


class ResLang(models.Model):
    _inherit = "res.lang"

    @api.model
    def _get_lang_from_accept_language(self, accept_language):
        """An Accept-Language header that cannot be read (``en;q=x``) means the default
        language, not a server error: OCA fastapi's parser raises on it before any
        endpoint runs."""
        try:
            return super()._get_lang_from_accept_language(accept_language)
        except ValueError:
            return None
