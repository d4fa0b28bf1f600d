"""Plain-Python pieces shared by the connector clients: no import from ``odoo`` here.

Clients import the submodule (``from odoo.addons.connector_common.tools.retry import ...``):
pytest loads them without running this package's ``__init__``.
"""
