-- DHL Express: no real credentials and no production server outside production
UPDATE delivery_carrier
   SET dhl_api_key = NULL,
       dhl_api_secret = NULL,
       dhl_account_number = NULL,
       dhl_api_base_url = NULL,
       prod_environment = false
 WHERE delivery_type = 'dhl_express';
DELETE FROM dhl_express_rate_cache;
