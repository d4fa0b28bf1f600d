/** @odoo-module */

import { registry } from "@web/core/registry";

/** What the page asked of the stand-in for Stripe.js (see ../stripe_js_stand_in.js). */
function standIn() {
    const record = window.__stripeStandIn;
    if (!record) {
        throw new Error("The stand-in for Stripe.js was not loaded.");
    }
    return record;
}

registry.category("web_tour.tours").add("stripe_mto_payment_form", {
    steps: () => [
        {
            content: "The Payment Element is mounted in Odoo's Stripe form",
            trigger:
                "[name=o_stripe_element_container] .o_stripe_stand_in_element[data-type=payment]",
            run() {
                const record = standIn();
                const [options] = record.elementsOptions;
                if (record.stripeCalls !== 1 || record.elementsOptions.length !== 1) {
                    throw new Error(`Stripe.js set up ${record.stripeCalls} times.`);
                }
                if ("paymentMethodTypes" in options || "payment_method_types" in options) {
                    throw new Error("The payment methods must come from the Stripe dashboard.");
                }
                if (options.mode !== "payment" || !(options.amount > 0) || !options.currency) {
                    throw new Error(`Unexpected Elements options: ${JSON.stringify(options)}`);
                }
            },
        },
        {
            content: "The Express Checkout Element (wallets) sits above it",
            trigger: ".o_stripe_mto_express_checkout .o_stripe_stand_in_element[data-type=expressCheckout]",
        },
        {
            content: "Pay",
            trigger: "button[name=o_payment_submit_button]:enabled",
            run: "click",
        },
        {
            content: "The decline is told in plain words, not as a code",
            trigger: ".modal-content:contains(Payment not completed):contains(insufficient funds)",
            run() {
                const [confirmation] = standIn().confirmations;
                if (!confirmation || !confirmation.clientSecret || !confirmation.withElements) {
                    throw new Error("The intent was not confirmed with the server's secret.");
                }
                if (document.querySelector(".modal-content").textContent.includes("card_declined")) {
                    throw new Error("A Stripe code was shown to the customer.");
                }
            },
        },
    ],
});
