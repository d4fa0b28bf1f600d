-- A neutralized database never reaches the real Twilio: no credentials, no sender, no API root.
UPDATE res_company
   SET twilio_account_sid = NULL,
       twilio_auth_token = NULL,
       twilio_messaging_service_sid = NULL,
       twilio_api_base_url = NULL;
DELETE FROM sms_twilio_sender;
