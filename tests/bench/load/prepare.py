"""Generated data of the load benchmark, on top of the demo story (run by run.py).

In the benchmark's own copy of the demo database, committed in batches through the ORM:
- manufacturers, each with a portal user (and a contact with a mobile for its texts) and a
  made-to-order product it makes;
- back-office users (sales, purchase, inventory, accounting, validation, quality rights);
- purchase orders of every manufacturer in every production state (the portal lists);
- quotations for the load to confirm: made-to-order ones (the suite's flow; some to be paid
  by Stripe, with their transaction and a succeeded PaymentIntent made on the local fake
  Stripe) and stock MTO + Buy ones (what Odoo does without the suite);
- Twilio (texts at every made-to-order stage) and Stripe configured for the company.
Writes the plan the load driver reads (logins, order ids, Stripe intents) as JSON.
"""

import argparse
import json
import sys
import time
from pathlib import Path

from passlib.context import CryptContext

import odoo
from odoo import Command, api
from odoo.tools import config

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

TWILIO_SID = "AC" + "1" * 32
TWILIO_TOKEN = "load-bench-twilio-auth-token"
TWILIO_SERVICE = "MG" + "2" * 32
PASSWORD = "load-bench"
# Production states the generated orders are spread over, and Odoo's state for each.
GENERATED_STATES = {
    "to_validate": "draft",
    "awaiting": "sent",
    "accepted": "purchase",
    "in_production": "purchase",
    "completed": "purchase",
    "declined": "cancel",
    "rework": "purchase",
}
BATCH = 500


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--odoo-args", default="")
    parser.add_argument("--manufacturers", type=int, default=50)
    parser.add_argument("--orders", type=int, default=5000, help="generated purchase orders")
    parser.add_argument("--staff", type=int, default=10)
    parser.add_argument("--quotations", type=int, default=400, help="made-to-order quotations")
    parser.add_argument("--stock-quotations", type=int, default=200)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--plan", required=True)
    return parser.parse_args()


def say(message):
    print(f"[load] {message}", flush=True)


def fast_password(cr, user_ids):
    """Each login checks its hash on the server: Odoo's 600,000 rounds would make the 60 logins
    of the run the heaviest requests of all. A valid pbkdf2 hash with few rounds instead."""
    hashed = CryptContext(["pbkdf2_sha512"], pbkdf2_sha512__rounds=1000).hash(PASSWORD)
    cr.execute("UPDATE res_users SET password = %s WHERE id = ANY(%s)", [hashed, list(user_ids)])


def main():
    args = parse_args()
    config.parse_config([*args.odoo_args.split(), "-d", args.database])
    # The suite's addons are importable once Odoo knows its addons path.
    from odoo.addons.payment_stripe_mto.tests.stripe_fake import (
        SECRET_KEY,
        WEBHOOK_SECRET,
        StripeFake,
    )

    registry = odoo.modules.registry.Registry(args.database)
    started = time.perf_counter()
    plan = {"password": PASSWORD, "base_url": args.base_url}
    with registry.cursor() as cr:
        env = api.Environment(
            cr,
            odoo.SUPERUSER_ID,
            {
                "tracking_disable": True,
                "mail_create_nolog": True,
                "mail_notrack": True,
                "no_reset_password": True,
            },
        )
        company = env.company
        env["ir.config_parameter"].set_param("web.base.url", args.base_url)
        env["ir.config_parameter"].set_param("web.base.url.freeze", "True")
        company.write(
            {
                "sms_provider": "twilio",
                "twilio_account_sid": TWILIO_SID,
                "twilio_auth_token": TWILIO_TOKEN,
                "twilio_messaging_service_sid": TWILIO_SERVICE,
                "twilio_timeout": 5,
            }
        )
        env["mto.sms.stage"].search([("company_id", "=", company.id)]).enabled = True
        provider = env.ref("payment.payment_provider_stripe")
        card = env.ref("payment.payment_method_card")
        provider.write(
            {
                "state": "test",
                "company_id": company.id,
                "stripe_publishable_key": "pk_test_51MtoFakePublishableKey",
                "stripe_secret_key": SECRET_KEY,
                "stripe_webhook_secret": WEBHOOK_SECRET,
                "payment_method_ids": [Command.link(card.id)],
            }
        )
        card.active = True
        warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        stock_routes = warehouse._mto_production_routes()
        category = env["product.category"].create({"name": "Load benchmark pieces"})
        portal = env.ref("base.group_portal")

        # ---------------------------------------------------------------- manufacturers
        makers = env["res.partner"].create(
            [
                {
                    "name": f"Load Workshop {i:03d}",
                    "is_company": True,
                    "is_manufacturer": True,
                    "email": f"workshop{i:03d}@load.example",
                    "mobile": f"+3361{i:07d}",
                }
                for i in range(args.manufacturers)
            ]
        )
        people = env["res.partner"].create(
            [
                {
                    "name": f"Foreman {i:03d}",
                    "parent_id": maker.id,
                    "type": "contact",
                    "email": f"foreman{i:03d}@load.example",
                    "mobile": f"+3362{i:07d}",
                }
                for i, maker in enumerate(makers)
            ]
        )
        maker_users = env["res.users"].create(
            [
                {
                    "login": f"load-maker-{i:03d}",
                    "partner_id": person.id,
                    "groups_id": [Command.set(portal.ids)],
                }
                for i, person in enumerate(people)
            ]
        )
        products = env["product.product"].create(
            [
                {
                    "name": f"Load piece by {maker.name}",
                    "type": "consu",
                    "is_storable": True,
                    "categ_id": category.id,
                    "list_price": 1200,
                    "taxes_id": [Command.clear()],
                    "mto_mode": "made_to_order",
                    "seller_ids": [Command.create({"partner_id": maker.id, "price": 500})],
                }
                for maker in makers
            ]
        )
        stock_products = env["product.product"].create(
            [
                {
                    "name": f"Load stock MTO piece by {maker.name}",
                    "type": "consu",
                    "is_storable": True,
                    "categ_id": category.id,
                    "list_price": 1200,
                    "taxes_id": [Command.clear()],
                    "route_ids": [Command.set(stock_routes.ids)],
                    "seller_ids": [Command.create({"partner_id": maker.id, "price": 500})],
                }
                for maker in makers
            ]
        )
        staff_groups = [
            env.ref(xmlid).id
            for xmlid in (
                "base.group_user",
                "sales_team.group_sale_manager",
                "purchase.group_purchase_manager",
                "stock.group_stock_manager",
                "account.group_account_manager",
                "mto_production.group_mto_manager",
                "mto_quality.group_quality_manager",
            )
        ]
        staff = env["res.users"].create(
            [
                {
                    "name": f"Load Back Office {i:02d}",
                    "login": f"load-staff-{i:02d}",
                    "email": f"staff{i:02d}@furniture.example",
                    "groups_id": [Command.set(staff_groups)],
                }
                for i in range(args.staff)
            ]
        )
        fast_password(cr, (maker_users | staff).ids)
        cr.commit()
        say(f"{len(makers)} manufacturers with portal users, {len(staff)} back-office users")

        # ---------------------------------------------------------------- purchase orders
        states = list(GENERATED_STATES)
        customers = env["res.partner"].create(
            [
                {"name": f"Load Customer {i:03d}", "mobile": f"+3363{i:07d}", "email": None}
                for i in range(20)
            ]
        )
        for start in range(0, args.orders, BATCH):
            vals = []
            for i in range(start, min(start + BATCH, args.orders)):
                index = i % len(makers)
                mto_state = states[(i // len(makers)) % len(states)]
                vals.append(
                    {
                        "partner_id": makers[index].id,
                        "mto_state": mto_state,
                        "origin": f"LOAD-{i:05d}",
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": products[index].id,
                                    "product_qty": 1,
                                    "price_unit": 500,
                                }
                            )
                        ],
                    }
                )
            # Created as drafts, then put in their state in SQL: confirming them one by one
            # would make thousands of receipts (minutes) that no page of the load reads; the
            # orders the load itself accepts get their real receipts.
            orders = env["purchase.order"].create(vals)
            by_state = {}
            for order in orders:
                by_state.setdefault(GENERATED_STATES[order.mto_state], []).append(order.id)
            env.flush_all()
            for state, ids in by_state.items():
                cr.execute("UPDATE purchase_order SET state = %s WHERE id = ANY(%s)", [state, ids])
                cr.execute(
                    "UPDATE purchase_order_line SET state = %s WHERE order_id = ANY(%s)",
                    [state, ids],
                )
            env.invalidate_all()
            cr.commit()
        say(f"{args.orders} manufacturer orders in {len(states)} production states")

        # ---------------------------------------------------------------- quotations
        def quotations(count, pieces):
            orders = env["sale.order"]
            for start in range(0, count, BATCH):
                orders |= env["sale.order"].create(
                    [
                        {
                            "partner_id": customers[i % len(customers)].id,
                            "order_line": [
                                Command.create(
                                    {
                                        "product_id": pieces[(i + k) % len(pieces)].id,
                                        "product_uom_qty": 1,
                                    }
                                )
                                for k in range(2)
                            ],
                        }
                        for i in range(start, min(start + BATCH, count))
                    ]
                )
                cr.commit()
            return orders

        suite_quotes = quotations(args.quotations, products)
        stock_quotes = quotations(args.stock_quotations, stock_products)
        # Every other made-to-order quotation is paid online by Stripe: its transaction and a
        # PaymentIntent Stripe made for it and the customer paid (the local fake Stripe).
        stripe = StripeFake().start()
        stripe_paid = {}
        try:
            for order in suite_quotes[1::2]:
                tx = env["payment.transaction"].create(
                    {
                        "provider_id": provider.id,
                        "payment_method_id": card.id,
                        "reference": env["payment.transaction"]._compute_reference(
                            "stripe", prefix=order.name
                        ),
                        "amount": order.amount_total,
                        "currency_id": order.currency_id.id,
                        "partner_id": order.partner_id.id,
                        "operation": "online_direct",
                        "sale_order_ids": [Command.set(order.ids)],
                    }
                )
                intent_id = stripe.add_payment_intent(
                    round(order.amount_total * 100),
                    order.currency_id.name.lower(),
                    metadata={"odoo_reference": tx.reference},
                )
                tx.provider_reference = intent_id
                stripe_paid[str(order.id)] = stripe.payment_intents[intent_id]
        finally:
            stripe.stop()
        cr.execute(
            "ANALYZE purchase_order, purchase_order_line, sale_order, sale_order_line, "
            "res_partner, mail_followers, payment_transaction"
        )
        cr.commit()
        say(
            f"{len(suite_quotes)} made-to-order quotations ({len(stripe_paid)} to be paid by "
            f"Stripe), {len(stock_quotes)} stock MTO + Buy quotations"
        )
        plan.update(
            {
                "makers": [user.login for user in maker_users],
                "staff": [user.login for user in staff],
                "suite_quotations": suite_quotes.ids,
                "stock_quotations": stock_quotes.ids,
                "stripe_paid": stripe_paid,
                "twilio": {
                    "account_sid": TWILIO_SID,
                    "auth_token": TWILIO_TOKEN,
                    "service_sid": TWILIO_SERVICE,
                    "company_id": company.id,
                },
                "webhook_secret": WEBHOOK_SECRET,
                "load_partner_ids": makers.ids,
            }
        )
    Path(args.plan).write_text(json.dumps(plan))
    say(f"data generated in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
