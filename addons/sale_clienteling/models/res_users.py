from odoo import _, api, models
from odoo.osv import expression

# Users in these groups fulfil or account for every order: an assistant who also works in
# one of them keeps the access that work needs (the groups of modules not installed are
# skipped).
FULFILMENT_GROUPS = (
    "stock.group_stock_user",
    "account.group_account_invoice",
    "purchase.group_purchase_user",
    "mrp.group_mrp_user",
)


class ResUsers(models.Model):
    _inherit = "res.users"

    def _clienteling_fulfilment_groups(self):
        """Groups whose members see every client's documents (override to change)."""
        return FULFILMENT_GROUPS

    def _clienteling_is_restricted(self):
        """A sales assistant ("own documents only") of a company that keeps its clients
        private: they see only their own clients.

        Every company of the user counts, not only the active ones: the active companies
        come from the request, and an assistant must not lift the restriction by choosing
        another company.
        """
        self.ensure_one()
        user = self.sudo()
        if user._is_superuser() or user.share:
            return False
        if not any(user.company_ids.mapped("clienteling_privacy")):
            return False
        if not user.has_group("sales_team.group_sale_salesman") or user.has_group(
            "sales_team.group_sale_salesman_all_leads"
        ):
            return False
        return not any(
            user.has_group(xmlid)
            for xmlid in self._clienteling_fulfilment_groups()
            if self.env.ref(xmlid, raise_if_not_found=False)
        )

    def _clienteling_own_clients_domain(self):
        """Domain on res.partner: the clients this user is responsible for: theirs, and
        for a sales team leader, those of the team's members (judged on the commercial
        entity, so a client's addresses and contacts go with it)."""
        self.ensure_one()
        teams = self.env["crm.team"].sudo().search([("user_id", "=", self.id)])
        users = self | teams.member_ids
        return [("commercial_partner_id.user_id", "in", users.ids)]

    def _clienteling_visible_partners_domain(self):
        """Domain on res.partner: what a restricted assistant may see: their own clients,
        the company's people and companies, and suppliers who are not clients."""
        self.ensure_one()
        return expression.OR(
            [
                [("partner_share", "=", False)],
                [("ref_company_ids", "!=", False)],
                self._clienteling_own_clients_domain(),
                [
                    ("commercial_partner_id.supplier_rank", ">", 0),
                    ("commercial_partner_id.customer_rank", "=", 0),
                ],
            ]
        )

    @staticmethod
    def _clienteling_on(path, partner_domain, empty):
        if not path:
            return partner_domain
        domain = [(path, "any", partner_domain)]
        if empty:
            domain = expression.OR([[(path, "=", False)], domain])
        return domain

    def _clienteling_visible(self, path="", empty=True):
        """Record rule domain (global rules): records whose partner at ``path`` the user
        may see; everything when the user is not restricted. ``empty``: records without a
        partner stay visible."""
        if not self._clienteling_is_restricted():
            return list(expression.TRUE_DOMAIN)
        partners = self._clienteling_visible_partners_domain()
        return self._clienteling_on(path, partners, empty)

    def _clienteling_own(self, path="", always=False):
        """Record rule domain (group rules): records of the user's own clients. Only for
        restricted users, unless ``always``; nothing otherwise, so a group rule using it
        adds nothing to Odoo's own rules of the same group."""
        if not always and not self._clienteling_is_restricted():
            return list(expression.FALSE_DOMAIN)
        return self._clienteling_on(path, self._clienteling_own_clients_domain(), False)

    # ------------------------------------------------------------------ guest orders

    @api.model
    def signup(self, values, token=None):
        """A signup token was sent to the partner's e-mail: using it proves the address.
        The guest orders under that address (the one the token went to, not one typed in
        the signup form) are then linked to the partner, in its user's company."""
        proven = self.env["res.partner"]
        email = False
        if token:
            proven = self.env["res.partner"]._signup_retrieve_partner(token, check_validity=True)
            email = proven and proven.email_normalized
        result = super().signup(values, token=token)
        user = proven.user_ids[:1]
        if email and user and user.company_id.clienteling_link_guests:
            proven._clienteling_link_guests(
                user.company_id, _("E-mail confirmed by signing up"), email=email
            )
        return result
