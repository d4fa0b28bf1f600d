/** @odoo-module */
/* global Stripe */

import { _t } from "@web/core/l10n/translation";
import paymentForm from "@payment/js/payment_form";
import { StripeOptions } from "@payment_stripe/js/stripe_options";
import { customerMessage, mountStripeForm } from "@payment_stripe_mto/js/stripe_mto_elements";

paymentForm.include({
    /**
     * Odoo's Stripe form limits the Payment Element to one payment method type: here the
     * merchant's dashboard decides (automatic payment methods), and the Express Checkout
     * Element (wallets, one-click methods) sits beside it in the same Elements group.
     *
     * @override method from @payment_stripe/js/payment_form
     */
    async _prepareInlineForm(providerId, providerCode, paymentOptionId, paymentMethodCode, flow) {
        if (providerCode !== "stripe") {
            return this._super(...arguments);
        }
        this.stripeElements ??= {};
        if (flow === "token") {
            return;
        }
        this._setPaymentFlow("direct");
        if (this.stripeElements[paymentOptionId]) {
            return;
        }
        const radio = document.querySelector('input[name="o_payment_radio"]:checked');
        const inlineForm = this._getInlineForm(radio);
        const container = inlineForm.querySelector('[name="o_stripe_element_container"]');
        this.stripeInlineFormValues = JSON.parse(container.dataset["stripeInlineFormValues"]);
        this.stripeJS ??= Stripe(
            this.stripeInlineFormValues["publishable_key"],
            new StripeOptions()._prepareStripeOptions(container.dataset)
        );
        this.stripeElements[paymentOptionId] = mountStripeForm(
            this.stripeJS,
            this.stripeInlineFormValues,
            {
                mode: this.paymentContext["mode"],
                container,
                tokenizeCheckbox: inlineForm.querySelector(
                    'input[name="o_payment_tokenize_checkbox"]'
                ),
                onExpressConfirm: () =>
                    this._initiatePaymentFlow(
                        providerCode,
                        paymentOptionId,
                        paymentMethodCode,
                        "direct"
                    ),
                onLoadError: (message) =>
                    this._displayErrorDialog(_t("Cannot display the payment form"), message),
            }
        );
    },

    /**
     * Errors the customer can act on, in plain words.
     *
     * @override method from @payment_stripe/js/payment_form
     */
    async _processDirectFlow(providerCode, paymentOptionId, paymentMethodCode, processingValues) {
        if (providerCode !== "stripe") {
            return this._super(...arguments);
        }
        const { error } = await this._stripeConfirmIntent(processingValues, paymentOptionId);
        if (error) {
            this._displayErrorDialog(_t("Payment not completed"), customerMessage(error));
            this._enableButton();
        }
    },
});
