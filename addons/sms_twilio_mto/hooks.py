def uninstall_hook(env):
    """Remove the stages before the module's SMS templates: the stages are created in code
    (one per company, without an external id), so Odoo would only drop their table after
    trying to delete the templates they require, and keep the templates."""
    env["mto.sms.stage"].sudo().search([]).unlink()
