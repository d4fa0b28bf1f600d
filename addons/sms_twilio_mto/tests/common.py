from odoo.addons.mto_production.tests.common import MtoProductionCase
from odoo.addons.sms_twilio.tests.common import trap_jobs, twilio_company_values

__all__ = ["trap_jobs"]


class MtoSmsCase(MtoProductionCase):
    """The made-to-order retailer texting through Twilio, every stage switched on.

    SMS jobs are trapped, never run: these tests are about which message goes to whom.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(twilio_company_values())
        cls.stages = cls.env["mto.sms.stage"].search([("company_id", "=", cls.company.id)])
        cls.stages.enabled = True
        cls.workshop_contact = cls.env["res.partner"].create(
            {
                "name": "Workshop Foreman",
                "parent_id": cls.workshop.id,
                "type": "contact",
                "mobile": "+33 6 12 34 56 78",
            }
        )

    def _texts(self, partner):
        """Bodies of the SMS sent to ``partner``, oldest first."""
        return (
            self.env["sms.sms"].search([("partner_id", "=", partner.id)], order="id").mapped("body")
        )

    def _validated_purchase(self, order):
        self._measure(order.order_line, width=220, height=75)
        self._attach(order.order_line, self.doc_cad)
        self._pay(order)
        purchase = self._purchase_orders(order)
        purchase.with_user(self.sales_manager).action_mto_validate()
        return purchase
