from . import (
    fastapi_endpoint,
    product,
    res_lang,
    storefront_api_key,
    storefront_checkout,
    storefront_client_token,
    storefront_service,
    storefront_service_account,
    storefront_service_order,
)
