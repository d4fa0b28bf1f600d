from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestDemoStory(HttpCase):
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
            ("quality@furniture.example", "quality"),
        ):
            self.authenticate(login, password)
            response = self.url_open("/my" if login.startswith("workshop") else "/odoo")
            self.assertEqual(response.status_code, 200, login)
            self.assertNotIn("/web/login", response.url, login)

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
