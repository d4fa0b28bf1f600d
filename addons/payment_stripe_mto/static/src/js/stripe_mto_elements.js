/** @odoo-module */

import { _t } from "@web/core/l10n/translation";

/**
 * Options of `stripe.elements()` for the Payment Element and the Express Checkout Element.
 *
 * No `paymentMethodTypes`: the methods shown are those enabled in the merchant's Stripe
 * dashboard that suit the amount, currency and customer's country (automatic payment
 * methods), as the PaymentIntent created by the server (automatic_payment_methods).
 *
 * @param {Object} values - the provider's inline form values (currency_name, minor_amount,
 *     capture_method)
 * @param {string} mode - "payment" or "setup"
 * @param {boolean} saveForLater - the customer ticked the box to save the card
 * @returns {Object}
 */
export function prepareElementsOptions(values, mode, saveForLater) {
    const options = {
        appearance: { theme: "stripe" },
        currency: values.currency_name,
    };
    if (mode === "payment") {
        options.mode = "payment";
        options.amount = parseInt(values.minor_amount);
        if (saveForLater) {
            options.setupFutureUsage = "off_session";
        }
        if (values.capture_method === "manual") {
            // Odoo's "Capture Amount Manually": must match the PaymentIntent's.
            options.captureMethod = "manual";
        }
    } else {
        options.mode = "setup";
        options.setupFutureUsage = "off_session";
    }
    return options;
}

const GENERIC_DECLINE = () =>
    _t("Your card was declined. Please use another card or contact your bank.");

/** What the customer can do, by Stripe decline or error code. */
const MESSAGES = {
    insufficient_funds: () =>
        _t("Your card has insufficient funds. Please use another card or contact your bank."),
    expired_card: () => _t("Your card has expired. Please use another card."),
    incorrect_cvc: () =>
        _t("The security code (CVC) of your card is incorrect. Please check it and try again."),
    invalid_cvc: () =>
        _t("The security code (CVC) of your card is incorrect. Please check it and try again."),
    incorrect_number: () => _t("The card number is incorrect. Please check it and try again."),
    invalid_number: () => _t("The card number is incorrect. Please check it and try again."),
    card_velocity_exceeded: () =>
        _t("Your card's spending limit has been reached. Please use another card or contact your bank."),
    processing_error: () =>
        _t("An error occurred while processing your card. Please try again in a moment."),
    authentication_required: () =>
        _t("Your bank asks you to confirm this payment. Please try again and approve it."),
    payment_intent_authentication_failure: () =>
        _t("Your bank could not confirm this payment. Please try again or use another card."),
};

/**
 * Plain words for an error returned by Stripe.js, never a code: the customer reads what
 * to do. Stripe's own message is kept for form validation errors (already worded for
 * people and translated by Stripe.js).
 *
 * @param {Object} error - `error` of a Stripe.js result
 * @returns {string}
 */
export function customerMessage(error) {
    if (!error) {
        return "";
    }
    const byCode = MESSAGES[error.decline_code] || MESSAGES[error.code];
    if (byCode) {
        return byCode();
    }
    if (error.type === "card_error") {
        return GENERIC_DECLINE();
    }
    if (error.type === "validation_error" && error.message) {
        return error.message;
    }
    return _t(
        "Your payment could not be processed. Please try again or contact us to complete your order."
    );
}

/**
 * Mount the Express Checkout Element (Apple Pay, Google Pay, Link, PayPal, ... as the
 * merchant enables them) in the same Elements group as the Payment Element, so that one
 * `confirmPayment({ elements })` confirms whichever the customer used.
 *
 * @param {Object} elements - the Stripe.js Elements group
 * @param {HTMLElement} container
 * @param {Function} onConfirm - called when the customer approved in their wallet
 * @returns {Object} the element
 */
export function mountExpressCheckout(elements, container, onConfirm) {
    const express = elements.create("expressCheckout", {
        buttonHeight: 44,
    });
    express.on("ready", ({ availablePaymentMethods }) => {
        // Nothing to show when no wallet is available on this device.
        container.classList.toggle("d-none", !availablePaymentMethods);
    });
    express.on("confirm", onConfirm);
    express.mount(container);
    return express;
}

/**
 * Build the whole Stripe form in `container`: one Elements group holding the Payment
 * Element and, for payments, the Express Checkout Element placed above it.
 *
 * @param {Object} stripeJS - the `Stripe(publishableKey)` object
 * @param {Object} values - the provider's inline form values
 * @param {Object} params
 * @param {string} params.mode - "payment" or "setup"
 * @param {HTMLElement} params.container - where the Payment Element goes
 * @param {HTMLInputElement} [params.tokenizeCheckbox] - the "save my card" box, if shown
 * @param {Function} params.onExpressConfirm - the customer approved in their wallet
 * @param {Function} params.onLoadError - the Payment Element could not load
 * @returns {Object} the Elements group
 */
export function mountStripeForm(stripeJS, values, params) {
    const { mode, container, tokenizeCheckbox, onExpressConfirm, onLoadError } = params;
    const saveForLater = tokenizeCheckbox
        ? tokenizeCheckbox.checked
        : Boolean(values.is_tokenization_required);
    const elements = stripeJS.elements(prepareElementsOptions(values, mode, saveForLater));
    const paymentElement = elements.create("payment", {
        defaultValues: { billingDetails: values.billing_details },
    });
    paymentElement.on("loaderror", () => onLoadError(customerMessage({ type: "api_error" })));
    paymentElement.mount(container);
    if (tokenizeCheckbox) {
        // Explicit consent: the card is saved for later only while the box is ticked.
        tokenizeCheckbox.addEventListener("input", () => {
            elements.update({
                setupFutureUsage: tokenizeCheckbox.checked ? "off_session" : null,
            });
        });
    }
    if (mode === "payment") {
        const expressContainer = document.createElement("div");
        expressContainer.className = "o_stripe_mto_express_checkout mb-3";
        container.before(expressContainer);
        mountExpressCheckout(elements, expressContainer, onExpressConfirm);
    }
    return elements;
}
