from odoo import _, api, fields, models

# code: (label, model the template renders, who receives it)
STAGES = {
    "order_confirmed": ("Order confirmed", "sale.order", "customer"),
    "payment_received": ("Payment received", "sale.order", "customer"),
    "manufacturer_accepted": ("Manufacturer accepted", "purchase.order", "customer"),
    "in_production": ("In production", "purchase.order", "customer"),
    "quality_passed": ("Quality passed", "purchase.order", "customer"),
    "shipped": ("Shipped", "stock.picking", "customer"),
    "delivered": ("Delivered", "sale.order", "customer"),
    "payment_link": ("Payment needed", "sale.order", "customer"),
    "manufacturer_new_order": ("New order for the manufacturer", "purchase.order", "manufacturer"),
}


class MtoSmsStage(models.Model):
    """One SMS of the made-to-order journey, switched on or off per company.

    The stage's template renders on the record of the stage (a sales order, a manufacturer's
    order or a delivery) and the SMS is posted in the chatter of the order the person knows:
    the sales order for a customer, the purchase order for a manufacturer.
    """

    _name = "mto.sms.stage"
    _description = "Made-to-Order SMS Stage"
    _order = "company_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    code = fields.Selection(
        [(code, label) for code, (label, _model, _who) in STAGES.items()],
        string="Stage",
        required=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, ondelete="cascade"
    )
    enabled = fields.Boolean(
        string="Send", help="Text this stage's message to the customer (or manufacturer)."
    )
    template_id = fields.Many2one("sms.template", string="SMS Template", required=True)
    recipient = fields.Selection(
        [("customer", "Customer"), ("manufacturer", "Manufacturer")],
        compute="_compute_recipient",
    )

    _sql_constraints = [
        ("company_code_unique", "unique(company_id, code)", "One message per stage and company."),
    ]

    @api.depends("code")
    def _compute_recipient(self):
        for stage in self:
            stage.recipient = STAGES[stage.code][2] if stage.code else False

    @api.model
    def _mto_create_missing_stages(self, companies=None):
        """Give each company every stage, switched off, with the module's template."""
        companies = companies or self.env["res.company"].sudo().search([])
        existing = {
            (stage.company_id.id, stage.code)
            for stage in self.sudo().with_context(active_test=False).search([])
        }
        vals_list = []
        for company in companies:
            for sequence, (code, (label, _model, _who)) in enumerate(STAGES.items()):
                if (company.id, code) in existing:
                    continue
                template = self.env.ref(f"sms_twilio_mto.sms_template_{code}", False)
                if template:
                    vals_list.append(
                        {
                            "name": label,
                            "code": code,
                            "sequence": sequence,
                            "company_id": company.id,
                            "template_id": template.id,
                        }
                    )
        return self.sudo().create(vals_list)

    @api.model
    def _mto_stage(self, code, company):
        """The enabled stage ``code`` of ``company``, or an empty recordset."""
        return self.sudo().search(
            [("code", "=", code), ("company_id", "=", company.id), ("enabled", "=", True)],
            limit=1,
        )

    def _mto_send(self, record, partner, post_on=None, **render_context):
        """Text ``partner`` this stage's message about ``record``; posted on ``post_on``.

        Nothing is sent to a number that opted out (the chatter says so). Returns whether an
        SMS was queued.
        """
        self.ensure_one()
        post_on = (post_on or record).sudo()
        if not partner:
            return False
        if partner.phone_sanitized_blacklisted:
            post_on.message_post(
                body=_(
                    'SMS "%(stage)s" not sent: %(partner)s opted out of SMS.',
                    stage=self.name,
                    partner=partner.display_name,
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
            return False
        template = self.template_id.sudo().with_context(**render_context)
        body = template._render_field("body", record.ids, compute_lang=True)[record.id]
        post_on._message_sms(body, partner_ids=partner.ids)
        return True

    @api.model
    def _mto_notify(self, code, record, partner, post_on=None, **render_context):
        """Send stage ``code`` about ``record`` when its company switched it on."""
        stage = self._mto_stage(code, record.company_id)
        return bool(stage) and stage._mto_send(record, partner, post_on=post_on, **render_context)
