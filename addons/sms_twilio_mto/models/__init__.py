from . import (
    mto_sms_stage,
    purchase_order,
    res_company,
    res_config_settings,
    sale_order,
    stock_picking,
)
