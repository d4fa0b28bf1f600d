from . import (
    mto_piece,
    mto_quality_checklist,
    mto_quality_defect,
    mto_quality_inspection,
    product,
    purchase_order,
    stock_move,
)
