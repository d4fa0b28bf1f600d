from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

STATUSES = [
    ("prospect", "Prospect"),
    ("client", "Client"),
    ("vip", "VIP"),
    ("dormant", "Dormant"),
]
SALES = "sales_team.group_sale_salesman"


class ResPartner(models.Model):
    _inherit = "res.partner"

    # The profile is for the sales team: the warehouse and accounting need an address,
    # not a client's taste or spending.
    clienteling_preference_ids = fields.Many2many(
        "clienteling.preference", string="Preferences", groups=SALES
    )
    clienteling_note_ids = fields.One2many(
        "clienteling.note", "partner_id", "Private notes", groups=SALES
    )
    clienteling_status = fields.Selection(
        STATUSES,
        "Account status",
        compute="_compute_clienteling_history",
        search="_search_clienteling_status",
        compute_sudo=True,
        groups=SALES,
    )
    clienteling_order_count = fields.Integer(
        "Orders", compute="_compute_clienteling_history", compute_sudo=True, groups=SALES
    )
    clienteling_spent = fields.Monetary(
        "Spent",
        compute="_compute_clienteling_history",
        compute_sudo=True,
        groups=SALES,
        currency_field="clienteling_currency_id",
        help="Confirmed orders, without taxes, in the company's currency.",
    )
    clienteling_currency_id = fields.Many2one(
        "res.currency", compute="_compute_clienteling_history", compute_sudo=True, groups=SALES
    )
    clienteling_last_order_date = fields.Date(
        "Last order", compute="_compute_clienteling_history", compute_sudo=True, groups=SALES
    )
    clienteling_guest_count = fields.Integer(
        "Guest contacts",
        compute="_compute_clienteling_guest_count",
        groups=SALES,
        help="Contacts without an account under this client's e-mail, whose orders can be "
        "linked to this client.",
    )

    # ------------------------------------------------------------------ history, status

    def _clienteling_history(self):
        """{commercial partner id: (count, amount in company currency, last date)} of
        the confirmed orders of these partners' commercial entities."""
        company = self.env.company
        commercials = self.commercial_partner_id
        history = {p.id: [0, 0.0, False] for p in commercials}
        if not commercials:
            return history
        groups = self.env["sale.order"]._read_group(
            [
                ("partner_id.commercial_partner_id", "in", commercials.ids),
                ("state", "=", "sale"),
                ("company_id", "=", company.id),
            ],
            ["partner_id", "currency_id"],
            ["__count", "amount_untaxed:sum", "date_order:max"],
        )
        today = fields.Date.context_today(self)
        for partner, currency, count, amount, last in groups:
            row = history[partner.commercial_partner_id.id]
            row[0] += count
            row[1] += currency._convert(amount, company.currency_id, company, today)
            last = last and last.date()
            row[2] = max(row[2], last) if row[2] else last
        return history

    @api.model
    def _clienteling_status_of(self, count, spent, last):
        company = self.env.company
        if not count:
            return "prospect"
        dormant = fields.Date.context_today(self) - relativedelta(
            months=company.clienteling_dormant_months
        )
        if company.clienteling_dormant_months and last < dormant:
            return "dormant"
        if company.clienteling_vip_amount and spent >= company.clienteling_vip_amount:
            return "vip"
        return "client"

    def _compute_clienteling_history(self):
        history = self._clienteling_history()
        for partner in self:
            count, spent, last = history.get(partner.commercial_partner_id.id, (0, 0.0, False))
            partner.clienteling_order_count = count
            partner.clienteling_spent = spent
            partner.clienteling_last_order_date = last
            partner.clienteling_currency_id = self.env.company.currency_id
            partner.clienteling_status = self._clienteling_status_of(count, spent, last)

    def _search_clienteling_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(_("Search the account status by its value."))
        wanted = {value} if isinstance(value, str) else set(value or ())
        buyers = (
            self.env["sale.order"]
            .sudo()
            .search([("state", "=", "sale"), ("company_id", "=", self.env.company.id)])
            .partner_id.commercial_partner_id
        )
        history = buyers._clienteling_history()
        ids = [
            pid
            for pid, (count, spent, last) in history.items()
            if self._clienteling_status_of(count, spent, last) in wanted
        ]
        domain = [("commercial_partner_id", "in", ids)]
        if "prospect" in wanted:
            domain = expression.OR([domain, [("commercial_partner_id", "not in", buyers.ids)]])
        if operator in ("!=", "not in"):
            domain = ["!", *expression.normalize_domain(domain)]
        return domain

    def action_clienteling_orders(self):
        """The client's confirmed orders, from the profile's smart button."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [
            ("partner_id", "child_of", self.commercial_partner_id.id),
            ("state", "=", "sale"),
        ]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------ assistants

    @api.model_create_multi
    def create(self, vals_list):
        # A client an assistant adds is theirs: without it, a restricted assistant would
        # no longer see the contact they just created.
        user = self.env.user
        if not self.env.su and user._clienteling_is_restricted():
            for vals in vals_list:
                if not vals.get("parent_id") and not vals.get("user_id"):
                    vals["user_id"] = user.id
        return super().create(vals_list)

    # ------------------------------------------------------------------ guest orders

    def _clienteling_guest_domain(self, company, email):
        """Contacts that ordered as guests under ``email``: no account, not part of
        another client, in ``company`` (or shared by all companies)."""
        self.ensure_one()
        return [
            ("id", "!=", self.id),
            ("email_normalized", "=", email),
            ("user_ids", "=", False),
            ("parent_id", "=", False),
            ("child_ids", "=", False),
            ("is_company", "=", False),
            ("company_id", "in", [False, company.id]),
        ]

    def _clienteling_guest_documents(self, guests):
        """Orders, invoices and deliveries of ``guests`` ({model: records})."""
        partners = [("partner_id", "in", guests.ids)]
        return {
            "sale.order": self.env["sale.order"].sudo().search(partners),
            "account.move": self.env["account.move"].sudo().search(partners),
            "stock.picking": self.env["stock.picking"].sudo().search(partners),
        }

    def _clienteling_find_guests(self, company, email=None):
        """The guest contacts under ``email`` (by default this partner's) that may be
        linked: none of their documents belongs to another company (one company's orders
        never move to another's client); for a restricted assistant, only contacts that
        are theirs or nobody's."""
        self.ensure_one()
        email = email or self.email_normalized
        if not email:
            return self.browse()
        domain = self._clienteling_guest_domain(company, email)
        user = self.env.user
        if not self.env.su and user._clienteling_is_restricted():
            domain += [("user_id", "in", [False, user.id])]
        guests = self.sudo().with_context(active_test=False).search(domain)
        for records in self._clienteling_guest_documents(guests).values():
            foreign = records.filtered(lambda r: r.company_id != company)
            guests -= foreign.partner_id
        return guests

    def _compute_clienteling_guest_count(self):
        for partner in self:
            company = partner.company_id or self.env.company
            partner.clienteling_guest_count = len(
                partner._clienteling_find_guests(company)
                if partner.email_normalized and not partner.parent_id
                else ()
            )

    def _clienteling_link_guests(self, company, reason, email=None):
        """Attach the guest contacts of this partner's e-mail in ``company`` to this
        partner (they become its contacts, so their orders, invoices and deliveries show
        under it, in the back office and on its portal). Logged on both sides."""
        self.ensure_one()
        guests = self._clienteling_find_guests(company, email)
        if not guests:
            return guests
        documents = self._clienteling_guest_documents(guests)
        guests.write({"parent_id": self.id, "type": "other"})
        names = [r.display_name for records in documents.values() for r in records]
        self.sudo().message_post(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                _("%(reason)s: guest contacts linked to this client.", reason=reason),
                Markup().join(Markup("<li>%s</li>") % name for name in names)
                or Markup("<li>%s</li>") % _("no document yet"),
            ),
            subtype_xmlid="mail.mt_note",
        )
        for guest in guests:
            guest.sudo().message_post(
                body=_("%(reason)s: linked to %(client)s.", reason=reason, client=self.name),
                subtype_xmlid="mail.mt_note",
            )
        return guests

    def action_clienteling_link_guests(self):
        """By hand, from the client's form (staff who may change the client)."""
        self.ensure_one()
        self.check_access("write")
        if self.parent_id:
            raise UserError(_("Link guest orders to the client itself, not to its contact."))
        guests = self._clienteling_link_guests(
            self.company_id or self.env.company,
            _("Linked by %(user)s", user=self.env.user.name),
        )
        if not guests:
            raise UserError(_("No guest contact under %(email)s to link.", email=self.email or "-"))
        return True
