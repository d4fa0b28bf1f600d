from odoo import fields, models, tools

from ..models.const import EXCEPTION_STATES, RULE_KINDS, SEVERITIES


class MtoCockpitExceptionReport(models.Model):
    """Unresolved exceptions with their age at the moment the report is read."""

    _name = "mto.cockpit.exception.report"
    _description = "Open Exceptions by Age"
    _auto = False
    _order = "age_days desc"

    exception_id = fields.Many2one("mto.cockpit.exception", readonly=True)
    rule_id = fields.Many2one("mto.cockpit.rule", readonly=True)
    kind = fields.Selection(RULE_KINDS, readonly=True)
    severity = fields.Selection(SEVERITIES, readonly=True)
    state = fields.Selection(EXCEPTION_STATES, readonly=True)
    user_id = fields.Many2one("res.users", string="Owner", readonly=True)
    team_id = fields.Many2one("crm.team", readonly=True)
    since = fields.Datetime(readonly=True)
    age_days = fields.Float(string="Age (days)", aggregator="avg", readonly=True)
    age_bucket = fields.Selection(
        [
            ("0_1", "Less than a day"),
            ("1_3", "1 to 3 days"),
            ("3_7", "3 to 7 days"),
            ("7_plus", "More than a week"),
        ],
        string="Age",
        readonly=True,
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            """
            CREATE OR REPLACE VIEW mto_cockpit_exception_report AS (
            SELECT e.id AS id, e.id AS exception_id, e.rule_id, e.kind, e.severity, e.state,
                   e.user_id, e.team_id, e.since, age.days AS age_days,
                   CASE WHEN age.days < 1 THEN '0_1' WHEN age.days < 3 THEN '1_3'
                        WHEN age.days < 7 THEN '3_7' ELSE '7_plus' END AS age_bucket
              FROM mto_cockpit_exception e,
                   LATERAL (SELECT EXTRACT(EPOCH FROM (now() AT TIME ZONE 'UTC') - e.since)
                                   / 86400 AS days) age
             WHERE e.state != 'resolved'
            )
            """
        )
