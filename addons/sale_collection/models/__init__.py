from . import payment_transaction, product_product, sale_collection, sale_order, sale_order_line
