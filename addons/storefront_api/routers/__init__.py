from .account import account_router
from .catalogue import catalogue_router
from .checkout import checkout_router
from .common import etag_response, storefront_errors
