from . import (
    fastapi_endpoint,
    product,
    storefront_api_key,
    storefront_checkout,
    storefront_client_token,
    storefront_service,
)
from . import res_lang
