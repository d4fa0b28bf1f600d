def receive_made_order(order):
    """The workshop makes ``order`` (accepts, starts, completes it) and the retailer receives
    every piece; returns the quality inspections the pieces now wait for."""
    order.action_mto_accept()
    order.action_mto_start()
    order.action_mto_complete()
    receipt = order.picking_ids.filtered(lambda p: p.picking_type_code == "incoming")
    for move in receipt.move_ids:
        move.quantity = move.product_uom_qty
        move.picked = True
    receipt.button_validate()
    return order.mto_piece_ids.mto_inspection_id
