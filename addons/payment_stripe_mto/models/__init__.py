from . import (
    account_move,
    payment_provider,
    payment_stripe_event,
    payment_transaction,
    res_company,
    res_config_settings,
    sale_order,
    stock_picking,
)
