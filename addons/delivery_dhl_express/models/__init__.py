from . import (
    delivery_carrier,
    delivery_carrier_rate,
    dhl_express_booking,
    dhl_express_rate_cache,
    product_template,
    res_partner,
    stock_picking,
)
