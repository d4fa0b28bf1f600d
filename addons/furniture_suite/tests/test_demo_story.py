import re

from odoo.tests import HttpCase, tagged

WORKSHOPS = {
    "workshop@atelier-bois.example": "mto_production.partner_atelier_bois",
    "workshop@nordic-joinery.example": "mto_production.partner_nordic_joinery",
}
CUSTOMERS = ("dupont", "moretti", "hansen", "lambert", "weber")
# What a workshop's portal shows and does: orders awaiting it and after
WORKSHOP_STATES = {"awaiting", "accepted", "in_production", "completed", "rework", "declined"}


@tagged("post_install", "-at_install")
class TestDemoStory(HttpCase):
    def _customers(self):
        return self.env["res.partner"].concat(
            *(self.env.ref(f"furniture_suite.customer_{key}") for key in CUSTOMERS)
        )

    def test_production_queue_shows_every_state(self):
        """What the back office opens first: the queue, with an order in every state."""
        action = self.env.ref("mto_production.action_mto_production_queue")
        self.assertEqual(action.domain, "[('mto_state', '!=', False)]")
        orders = self.env["purchase.order"].search([("mto_state", "!=", False)])
        self.assertEqual(
            set(orders.mapped("mto_state")),
            {
                "to_validate",
                "awaiting",
                "accepted",
                "in_production",
                "completed",
                "declined",
                "rework",
            },
        )
        self.assertTrue(orders.filtered("mto_is_late"), "A late order is highlighted")
        self.assertTrue(orders.mto_piece_ids, "Accepted orders have their piece codes")

    def test_inspections_in_every_state(self):
        states = set(self.env["mto.quality.inspection"].search([]).mapped("state"))
        self.assertEqual(states, {"todo", "passed", "failed", "deviation", "scrapped"})

    def test_admin_sees_the_production_menu(self):
        self.authenticate("admin", "admin")
        menus = self.url_open("/web/webclient/load_menus/1").json()
        names = {menu["name"] for menu in menus.values() if isinstance(menu, dict)}
        self.assertIn("Production", names)
        self.assertIn("Production Queue", names)

    def test_demo_logins_work(self):
        for login, password in (
            ("workshop@atelier-bois.example", "workshop"),
            ("workshop@nordic-joinery.example", "workshop"),
            ("quality@furniture.example", "quality"),
            ("assistant1@maison-valmont.example", "assistant"),
            ("assistant2@maison-valmont.example", "assistant"),
            ("manager@maison-valmont.example", "manager"),
        ):
            self.authenticate(login, password)
            response = self.url_open("/my" if login.startswith("workshop") else "/odoo")
            self.assertEqual(response.status_code, 200, login)
            self.assertNotIn("/web/login", response.url, login)

    def test_two_manufacturers_each_work_their_own_orders_in_every_state(self):
        """The isolation story has two tenants with data: each workshop's portal user finds
        its own orders, in every state a workshop sees, and none of the other's."""
        Order = self.env["purchase.order"]
        seen = {}
        for login, manufacturer_xmlid in WORKSHOPS.items():
            manufacturer = self.env.ref(manufacturer_xmlid)
            user = self.env["res.users"].search([("login", "=", login)])
            self.assertTrue(user.has_group("base.group_portal"), login)
            self.assertEqual(user.commercial_partner_id, manufacturer, login)
            own = Order.search([("partner_id", "=", manufacturer.id), ("mto_state", "!=", False)])
            self.assertEqual(set(own.mapped("mto_state")) & WORKSHOP_STATES, WORKSHOP_STATES)
            readable = Order.with_user(user).search([])
            self.assertEqual(readable, own.filtered(lambda o: o.mto_state != "to_validate"))
            seen[login] = readable

            self.authenticate(login, "workshop")
            page = self.url_open("/my/production?filterby=all").text
            shown = {int(i) for i in re.findall(r"/my/production/(\d+)", page)}
            self.assertEqual(shown, set(readable.ids), login)
            for order in readable:
                self.assertIn(order.name, page, login)
        first, second = seen.values()
        self.assertFalse(first & second)

    def test_the_company_is_the_retailer_in_euros(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(company.name, "Maison Valmont")
        self.assertEqual(company.country_id, self.env.ref("base.fr"))
        self.assertTrue(company.vat and company.street and company.email and company.phone)
        self.assertEqual(company.currency_id, self.env.ref("base.EUR"))
        story = self.env["sale.order"].search([("partner_id", "in", self._customers().ids)])
        self.assertEqual(story.currency_id, company.currency_id)
        self.assertEqual(story.invoice_ids.currency_id, company.currency_id)
        self.assertEqual(story.mto_purchase_ids.currency_id, company.currency_id)

    def test_every_customer_can_be_reached(self):
        """Each demo customer has what a manufacturer must never learn: name, e-mail, phone
        and street (the portal isolation tests look for each in what a workshop reads)."""
        for customer in self._customers():
            for field in ("name", "email", "phone", "street", "city", "country_id"):
                self.assertTrue(customer[field], f"{customer.name}: {field}")
            self.assertTrue(customer.sale_order_ids, customer.name)

    def test_cockpit_shows_open_exceptions_with_owners(self):
        exceptions = self.env["mto.cockpit.exception"].search([("state", "=", "open")])
        self.assertGreaterEqual(
            set(exceptions.mapped("kind")),
            {
                "awaiting_manufacturer",
                "rework_stuck",
                "completion_overdue",
                "not_inspected",
                "payment_exception",
                "sms_failed",
            },
        )
        self.assertTrue(all(exceptions.mapped("user_id")), "each exception has an owner")
        self.assertIn(self.env.ref("mto_production.user_quality"), exceptions.user_id)
        self.assertTrue(exceptions.activity_ids, "owners got their activities")

    def test_paris_showroom_takes_appointments(self):
        """The three kinds of appointment are booked online, and clients have some."""
        types = self.env["showroom.appointment.type"].search(
            [("showroom_id", "=", self.env.ref("showroom_appointment.showroom_paris").id)]
        )
        self.assertEqual(
            set(types.mapped("location")), {"showroom", "home"}, "at the showroom and at home"
        )
        self.assertEqual(len(types.filtered("is_published")), 3)
        self.assertEqual(self.url_open("/appointment").status_code, 200)
        page = self.url_open(types[0].booking_url)
        self.assertEqual(page.status_code, 200)
        dupont = self.env.ref("furniture_suite.customer_dupont")
        self.assertEqual(dupont.showroom_appointment_count, 2)
        self.assertTrue(all(dupont.showroom_appointment_ids.mapped("event_id")))
