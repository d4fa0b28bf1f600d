-- A copied database never talks to the production Stripe account, nor trusts its webhooks.
UPDATE payment_provider
   SET stripe_webhook_secret = NULL,
       stripe_mto_api_base_url = NULL
 WHERE code = 'stripe';
