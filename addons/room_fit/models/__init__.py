from . import fastapi_endpoint, storefront_service
