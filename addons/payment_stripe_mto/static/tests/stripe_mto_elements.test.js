import { beforeEach, describe, expect, test } from "@odoo/hoot";
import { patchTranslations } from "@web/../tests/web_test_helpers";
import {
    customerMessage,
    mountExpressCheckout,
    mountStripeForm,
    prepareElementsOptions,
} from "@payment_stripe_mto/js/stripe_mto_elements";

describe.current.tags("desktop");

beforeEach(() => patchTranslations());

/** A stand-in for Stripe.js Elements: records what is created, mounted and listened to. */
class FakeElements {
    constructor(options) {
        this.options = options;
        this.created = [];
        this.updates = [];
    }
    update(options) {
        this.updates.push(options);
    }
    create(type, options) {
        const element = {
            type,
            options,
            handlers: {},
            mountedOn: null,
            on(event, handler) {
                this.handlers[event] = handler;
            },
            mount(container) {
                this.mountedOn = container;
            },
        };
        this.created.push(element);
        return element;
    }
}

test("payment methods come from the dashboard, not from a list", () => {
    const options = prepareElementsOptions(
        { currency_name: "eur", minor_amount: "120000" },
        "payment",
        true
    );
    expect(options).toEqual({
        appearance: { theme: "stripe" },
        currency: "eur",
        mode: "payment",
        amount: 120000,
        setupFutureUsage: "off_session",
    });
    expect("paymentMethodTypes" in options).toBe(false);
});

test("the card is saved only with the customer's consent", () => {
    const options = prepareElementsOptions(
        { currency_name: "eur", minor_amount: "5000" },
        "payment",
        false
    );
    expect("setupFutureUsage" in options).toBe(false);
});

test("manual capture, when the merchant chose it, matches the PaymentIntent", () => {
    const manual = prepareElementsOptions(
        { currency_name: "usd", minor_amount: "5000", capture_method: "manual" },
        "payment",
        false
    );
    expect(manual.captureMethod).toBe("manual");
    const automatic = prepareElementsOptions(
        { currency_name: "usd", minor_amount: "5000", capture_method: "automatic" },
        "payment",
        false
    );
    expect("captureMethod" in automatic).toBe(false);
});

test("declines are told in plain words", () => {
    expect(customerMessage({ type: "card_error", decline_code: "insufficient_funds" })).toBe(
        "Your card has insufficient funds. Please use another card or contact your bank."
    );
    expect(customerMessage({ type: "card_error", code: "card_declined", decline_code: "fraudulent" })).toBe(
        "Your card was declined. Please use another card or contact your bank."
    );
    expect(customerMessage({ type: "invalid_request_error", code: "payment_intent_authentication_failure" })).toBe(
        "Your bank could not confirm this payment. Please try again or use another card."
    );
    expect(customerMessage({ type: "api_error", message: "req_123 lock_timeout" })).not.toInclude(
        "req_123"
    );
});

test("the express checkout shares the payment element's group and confirms through it", () => {
    const elements = new FakeElements();
    const container = document.createElement("div");
    let confirmed = 0;
    const express = mountExpressCheckout(elements, container, () => confirmed++);
    expect(express.type).toBe("expressCheckout");
    expect(express.mountedOn).toBe(container);
    express.handlers.ready({ availablePaymentMethods: undefined });
    expect(container.classList.contains("d-none")).toBe(true);
    express.handlers.ready({ availablePaymentMethods: { applePay: true } });
    expect(container.classList.contains("d-none")).toBe(false);
    express.handlers.confirm({});
    expect(confirmed).toBe(1);
});

/** A stand-in for the object `Stripe(publishableKey)` returns: no script is loaded. */
class FakeStripeJS {
    constructor() {
        this.groups = [];
    }
    elements(options) {
        const group = new FakeElements(options);
        this.groups.push(group);
        return group;
    }
}

const VALUES = {
    currency_name: "eur",
    minor_amount: "120000",
    is_tokenization_required: false,
    billing_details: { name: "Claire Dubois", email: "claire@example.com" },
};

function paymentPage() {
    const page = document.createElement("div");
    const container = document.createElement("div");
    const checkbox = document.createElement("input");
    checkbox.type = "checkbox";
    page.append(container, checkbox);
    return { page, container, checkbox };
}

test("the payment form: one group, payment element and express checkout above it", () => {
    const stripeJS = new FakeStripeJS();
    const { page, container, checkbox } = paymentPage();
    let expressConfirmed = 0;
    const elements = mountStripeForm(stripeJS, VALUES, {
        mode: "payment",
        container,
        tokenizeCheckbox: checkbox,
        onExpressConfirm: () => expressConfirmed++,
        onLoadError: () => {},
    });
    expect(stripeJS.groups).toHaveLength(1);
    expect(elements.options.mode).toBe("payment");
    expect(elements.options.amount).toBe(120000);
    expect("paymentMethodTypes" in elements.options).toBe(false);
    expect("setupFutureUsage" in elements.options).toBe(false);
    const [payment, express] = elements.created;
    expect(payment.type).toBe("payment");
    expect(payment.mountedOn).toBe(container);
    expect(payment.options.defaultValues.billingDetails.email).toBe("claire@example.com");
    expect(express.type).toBe("expressCheckout");
    expect(page.firstElementChild).toBe(express.mountedOn);
    express.handlers.confirm({});
    expect(expressConfirmed).toBe(1);
});

test("ticking the consent box saves the card for off-session use, unticking stops it", () => {
    const stripeJS = new FakeStripeJS();
    const { container, checkbox } = paymentPage();
    const elements = mountStripeForm(stripeJS, VALUES, {
        mode: "payment",
        container,
        tokenizeCheckbox: checkbox,
        onExpressConfirm: () => {},
        onLoadError: () => {},
    });
    checkbox.checked = true;
    checkbox.dispatchEvent(new Event("input"));
    checkbox.checked = false;
    checkbox.dispatchEvent(new Event("input"));
    expect(elements.updates).toEqual([
        { setupFutureUsage: "off_session" },
        { setupFutureUsage: null },
    ]);
});

test("a form that cannot load says so in plain words; setup mode has no wallet button", () => {
    const stripeJS = new FakeStripeJS();
    const { container } = paymentPage();
    const messages = [];
    const elements = mountStripeForm(stripeJS, VALUES, {
        mode: "setup",
        container,
        onExpressConfirm: () => {},
        onLoadError: (message) => messages.push(message),
    });
    expect(elements.options.setupFutureUsage).toBe("off_session");
    expect(elements.created.map((element) => element.type)).toEqual(["payment"]);
    elements.created[0].handlers.loaderror({ error: { message: "pk_test invalid" } });
    expect(messages).toEqual([
        "Your payment could not be processed. Please try again or contact us to complete your order.",
    ]);
});
