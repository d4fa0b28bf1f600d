/*
 * A stand-in for Stripe.js (https://js.stripe.com/v3/) for the browser tests: the payment
 * page of a test loads this file instead, so that no external script is ever loaded. It
 * mounts visible placeholders for the elements, records what the page asks of Stripe in
 * `window.__stripeStandIn`, and declines every payment for insufficient funds.
 */
(function () {
    "use strict";
    const record = {
        stripeCalls: 0,
        elementsOptions: [],
        created: [],
        updates: [],
        confirmations: [],
    };
    window.__stripeStandIn = record;

    const DECLINE = {
        type: "card_error",
        code: "card_declined",
        decline_code: "insufficient_funds",
        message: "Your card has insufficient funds.",
    };

    function createElement(type, options) {
        const handlers = {};
        record.created.push({ type, options });
        return {
            on(event, handler) {
                handlers[event] = handler;
            },
            mount(container) {
                const node = document.createElement("div");
                node.className = "o_stripe_stand_in_element";
                node.dataset.type = type;
                node.textContent = `Stripe ${type} element (stand-in)`;
                container.appendChild(node);
                if (handlers.ready) {
                    handlers.ready({ availablePaymentMethods: { googlePay: true } });
                }
            },
            update() {},
        };
    }

    window.Stripe = function (publishableKey, options) {
        record.stripeCalls += 1;
        record.publishableKey = publishableKey;
        record.stripeOptions = options;
        const confirm = async (confirmOptions) => {
            record.confirmations.push({
                clientSecret: confirmOptions.clientSecret,
                returnUrl: confirmOptions.confirmParams && confirmOptions.confirmParams.return_url,
                withElements: Boolean(confirmOptions.elements),
            });
            return { error: DECLINE };
        };
        return {
            elements(elementsOptions) {
                record.elementsOptions.push(elementsOptions);
                return {
                    create: createElement,
                    update(update) {
                        record.updates.push(update);
                    },
                    submit: async () => ({}),
                };
            },
            confirmPayment: confirm,
            confirmSetup: confirm,
        };
    };
})();
