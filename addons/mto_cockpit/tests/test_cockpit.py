import json
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import MtoCockpitCase

STATUS = "/mto_cockpit/status"


@tagged("post_install", "-at_install")
class TestCockpit(MtoCockpitCase):
    def _late_order_exception(self):
        self.backdate(self.po_awaiting, "mto_state_since", days=6)
        self.run_rule("awaiting_manufacturer")
        return self.open_for("awaiting_manufacturer", self.po_awaiting)

    # ------------------------------------------------------------------ webhooks

    @mute_logger("odoo.addons.payment_stripe_mto.controllers.main")
    def test_stripe_webhooks_refused_in_a_row_raise_an_exception(self):
        provider = self.env.ref("payment.payment_provider_stripe")
        provider.write(
            {
                "state": "test",
                "stripe_secret_key": "sk_test_cockpit",
                "stripe_publishable_key": "pk_test_cockpit",
                "stripe_webhook_secret": "whsec_right",
            }
        )
        for _attempt in range(5):
            response = self.url_open(
                "/payment/stripe/webhook",
                data=b'{"id": "evt_1"}',
                headers={"Stripe-Signature": "t=1,v1=forged", "Content-Type": "application/json"},
            )
            self.assertEqual(response.status_code, 400)
        counter = self.env["mto.cockpit.webhook.refusal"].search([("provider", "=", "stripe")])
        self.assertEqual(counter.refused_count, 5)
        exception = self.assert_opened_once("webhook_refused", counter)
        self.assertIn("5 Stripe webhooks", exception.name)
        self.env["mto.cockpit.webhook.refusal"]._mto_record("stripe", refused=False)
        counter.invalidate_recordset()
        self.assertEqual(counter.refused_count, 0)
        self.assert_resolved("webhook_refused", exception)

    # ------------------------------------------------------------------ escalation

    def test_owner_gets_an_activity_then_the_team_leader(self):
        exception = self._late_order_exception()
        self.Exception._mto_escalate()
        self.assertEqual(exception.activity_ids.user_id, self.operator)
        self.Exception._mto_escalate()
        self.assertEqual(len(exception.activity_ids), 1, "the owner is told once")
        exception.notified_on = fields.Datetime.now() - timedelta(hours=25)
        self.Exception._mto_escalate()
        self.assertEqual(exception.escalated_to_id, self.leader)
        self.assertEqual(exception.activity_ids.user_id, self.operator | self.leader)
        self.Exception._mto_escalate()
        self.assertEqual(len(exception.activity_ids), 2, "escalated once")
        self.po_awaiting.action_mto_accept()
        self.run_rule("awaiting_manufacturer")
        self.assertFalse(exception.activity_ids, "the activities close with the exception")

    def test_acknowledged_exception_does_not_escalate(self):
        exception = self._late_order_exception()
        self.Exception._mto_escalate()
        exception.with_user(self.leader).action_acknowledge()
        self.assertEqual(exception.state, "acknowledged")
        self.assertEqual(exception.user_id, self.leader)
        exception.notified_on = fields.Datetime.now() - timedelta(hours=25)
        self.Exception._mto_escalate()
        self.assertFalse(exception.escalated_on)

    def test_escalation_user_of_the_rule_replaces_the_leader(self):
        boss = new_test_user(self.env, "ops_boss", groups="base.group_user")
        self.rule("awaiting_manufacturer").escalation_user_id = boss
        exception = self._late_order_exception()
        self.Exception._mto_escalate()
        exception.notified_on = fields.Datetime.now() - timedelta(hours=25)
        self.Exception._mto_escalate()
        self.assertEqual(exception.escalated_to_id, boss)

    def test_daily_digest_per_team(self):
        exception = self._late_order_exception()
        self.Exception._cron_send_digest()
        mail = self.env["mail.mail"].search(
            [("model", "=", "crm.team"), ("res_id", "=", self.team.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("1 operational exceptions", mail.subject)
        self.assertIn(self.po_awaiting.name, mail.body_html)
        self.assertEqual(mail.recipient_ids, (self.leader | self.operator).partner_id)
        exception.action_resolve()
        self.Exception._cron_send_digest()
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [("model", "=", "crm.team"), ("res_id", "=", self.team.id)]
            ),
            1,
            "nothing to handle, no e-mail",
        )

    # ------------------------------------------------------------------ rights

    def test_staff_handle_exceptions_but_only_managers_change_rules(self):
        exception = self._late_order_exception()
        exception.with_user(self.operator).action_acknowledge()
        with self.assertRaises(AccessError):
            self.rule("awaiting_manufacturer").with_user(self.operator).threshold = 1
        self.rule("awaiting_manufacturer").with_user(self.production_manager).threshold = 1
        with self.assertRaises(AccessError):
            self.env["mto.cockpit.exception"].with_user(self.workshop_user).search([])

    # ------------------------------------------------------------------ status

    def test_status_needs_the_key_or_an_administrator(self):
        self.assertEqual(self.url_open(STATUS).status_code, 403)
        self.env["ir.config_parameter"].set_param("mto_cockpit.status_api_key", "s3cret-key")
        self.assertEqual(self.url_open(STATUS).status_code, 403)
        wrong = self.url_open(STATUS, headers={"X-Cockpit-Key": "s3cret-kez"})
        self.assertEqual(wrong.status_code, 403)
        self.assertNotIn("queue", wrong.text)
        self.authenticate(self.operator.login, self.operator.login)
        self.assertEqual(self.url_open(STATUS).status_code, 403, "staff are not operators")
        self.authenticate("admin", "admin")
        self.assertEqual(self.url_open(STATUS).status_code, 200)

    def test_status_reports_queue_exceptions_and_providers(self):
        self._late_order_exception()
        job = self.customer.with_delay().write({"comment": "x"})
        failed = self.customer.with_delay().write({"comment": "y"})
        failed.set_failed(exc_name="ValueError", exc_message="boom")
        failed.store()
        self.backdate(job.db_record(), "date_created", minutes=10)
        self.env["ir.config_parameter"].set_param("mto_cockpit.status_api_key", "s3cret-key")
        response = self.url_open(STATUS, headers={"X-Cockpit-Key": "s3cret-key"})
        self.assertEqual(response.status_code, 200)
        status = json.loads(response.text)
        self.assertGreaterEqual(status["queue"]["depth"], 1)
        self.assertGreaterEqual(status["queue"]["failed"], 1)
        self.assertGreaterEqual(status["queue"]["oldest_pending_age_seconds"], 590)
        counts = dict(
            self.Exception._read_group([("state", "!=", "resolved")], ["severity"], ["__count"])
        )
        self.assertGreaterEqual(counts["medium"], 1, "the late order's exception is medium")
        for severity in ("low", "medium", "high", "critical"):
            self.assertEqual(
                status["exceptions"]["open_by_severity"][severity], counts.get(severity, 0)
            )
        self.assertEqual(set(status["providers"]), {"stripe", "twilio", "dhl_express"})

    # ------------------------------------------------------------------ figures

    def test_cycle_report_times_an_order_from_payment_to_completion(self):
        order = self.po_awaiting
        order.action_mto_accept()
        order.mto_expected_date = fields.Date.today() + timedelta(days=3)
        self.backdate(order, "create_date", days=10)
        self.backdate(order, "mto_accepted_on", days=8)
        order.action_mto_start()
        order.action_mto_complete()
        self.env.flush_all()
        rows = self.env["mto.cockpit.cycle.report"].search([("purchase_id", "=", order.id)])
        self.assertEqual(len(rows), 1)
        self.assertAlmostEqual(rows.days_to_accept, 2, places=2)
        self.assertAlmostEqual(rows.days_in_production, 8, delta=0.01)
        self.assertEqual(rows.on_time_rate, 100.0)
        self.assertEqual(rows.waiting_amount, 0.0)
        self.assertEqual(rows.manufacturer_id, self.workshop)
        self.assertEqual(rows.categ_id, self.categ_tables)
        waiting = self.env["mto.cockpit.cycle.report"].search(
            [("purchase_id", "=", self.po_other.id)]
        )
        self.assertEqual(waiting.waiting_amount, self.sale_other.amount_untaxed)
        groups = self.env["mto.cockpit.cycle.report"].read_group(
            [("manufacturer_id", "=", self.workshop.id)], ["on_time_rate:avg"], []
        )
        self.assertEqual(groups[0]["on_time_rate"], 100.0)

    def test_open_exceptions_by_age(self):
        exception = self._late_order_exception()
        rows = self.env["mto.cockpit.exception.report"].search(
            [("exception_id", "=", exception.id)]
        )
        self.assertEqual(rows.kind, "awaiting_manufacturer")
        self.assertEqual(rows.age_bucket, "7_plus" if rows.age_days >= 7 else "3_7")
        self.assertGreater(rows.age_days, 5.9)
