from . import (
    account_move,
    payment_provider,
    payment_stripe_event,
    payment_transaction,
    res_company,
    sale_order,
)
