from . import (
    carrier_dhl_rating,
    delivery_carrier,
    dhl_express_booking,
    dhl_express_rate_cache,
    product_template,
    res_partner,
    stock_picking,
)
