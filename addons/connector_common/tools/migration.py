"""Helpers for the connectors' migration scripts (plain SQL on the cursor, no ORM)."""

from odoo.tools import SQL


def rename_field(cr, model, table, old, new):
    """Rename the stored field ``old`` of ``model`` to ``new`` before the module loads, so
    that the stored values are kept (the ORM would otherwise create an empty ``new`` column
    and drop nothing). Does nothing when ``old`` is gone or ``new`` exists already."""
    cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = %s AND column_name IN (%s, %s)
        """,
        [table, old, new],
    )
    if {row[0] for row in cr.fetchall()} != {old}:
        return False
    cr.execute(
        SQL(
            "ALTER TABLE %s RENAME COLUMN %s TO %s",
            SQL.identifier(table),
            SQL.identifier(old),
            SQL.identifier(new),
        )
    )
    cr.execute(
        "UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s",
        [new, model, old],
    )
    # The field's external id follows, or the update would delete the (renamed) field as
    # an external id its module no longer defines.
    prefix = f"field_{model.replace('.', '_')}__"
    cr.execute(
        "UPDATE ir_model_data SET name = %s WHERE model = 'ir.model.fields' AND name = %s",
        [prefix + new, prefix + old],
    )
    return True
