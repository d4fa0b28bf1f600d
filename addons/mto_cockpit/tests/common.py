from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user
from odoo.tools import SQL

from odoo.addons.mto_portal.tests.common import MtoPortalCase


class MtoCockpitCase(MtoPortalCase):
    """The portal's orders, an operations team with a leader and a member, and the rules."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leader = new_test_user(
            cls.env, "ops_leader", groups="base.group_user", email="leader@ops.example"
        )
        cls.operator = new_test_user(
            cls.env, "ops_operator", groups="base.group_user", email="operator@ops.example"
        )
        cls.team = cls.env["crm.team"].create({"name": "Test Operations", "user_id": cls.leader.id})
        cls.team.member_ids = cls.operator
        cls.Rule = cls.env["mto.cockpit.rule"]
        cls.Exception = cls.env["mto.cockpit.exception"]
        cls.Rule.search([]).write({"team_id": cls.team.id, "user_id": cls.operator.id})

    def rule(self, kind):
        return self.env.ref(f"mto_cockpit.rule_{kind}")

    def run_rule(self, kind):
        rule = self.rule(kind)
        rule._run()
        return self.Exception.search([("rule_id", "=", rule.id)])

    def open_for(self, kind, record):
        return self.Exception.search(
            [
                ("rule_id", "=", self.rule(kind).id),
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("state", "!=", "resolved"),
            ]
        )

    def backdate(self, record, column, **delta):
        """Move a date column of ``record`` into the past, as time would have."""
        record.flush_recordset()
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET %s = %s WHERE id IN %s",
                SQL.identifier(record._table),
                SQL.identifier(column),
                fields.Datetime.now() - timedelta(**delta),
                tuple(record.ids),
            )
        )
        record.invalidate_recordset([column])

    def assert_opened_once(self, kind, record):
        """The rule opens one exception for ``record``, and a second run none more."""
        self.run_rule(kind)
        exception = self.open_for(kind, record)
        self.assertEqual(len(exception), 1, f"{kind}: one exception for {record.display_name}")
        self.assertEqual(exception.state, "open")
        self.assertEqual(exception.user_id, self.operator)
        self.assertEqual(exception.team_id, self.team)
        count = self.Exception.search_count([])
        self.run_rule(kind)
        self.assertEqual(self.Exception.search_count([]), count, "a second run opens nothing")
        return exception

    def assert_resolved(self, kind, exception):
        self.run_rule(kind)
        self.assertEqual(exception.state, "resolved", f"{kind}: resolved once its cause is gone")
        self.assertTrue(exception.resolved_on)
