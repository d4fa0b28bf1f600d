"""18.0.1.1.0: Twilio's API address and timeout are fields of the company
(``twilio_api_base_url``, ``twilio_timeout``), like every connector's (docs/connectors.md),
no longer the system parameters ``sms_twilio.api_base_url`` and ``sms_twilio.timeout``.
A value set in a parameter moves to every company (the parameter was database-wide), then the
parameter goes."""

import logging

_logger = logging.getLogger(__name__)

# parameter -> (company column, conversion); a value that does not convert is dropped, as the
# old code ignored it
MOVED_PARAMETERS = {
    "sms_twilio.api_base_url": ("twilio_api_base_url", str),
    "sms_twilio.timeout": ("twilio_timeout", float),
}


def migrate(cr, version):
    for key, (column, convert) in MOVED_PARAMETERS.items():
        cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", [key])
        row = cr.fetchone()
        if row is None:
            continue
        try:
            value = convert(row[0].strip()) if row[0] and row[0].strip() else None
        except ValueError:
            _logger.warning("System parameter %s=%r is not valid: dropped", key, row[0])
            value = None
        if value is not None and not (isinstance(value, float) and value <= 0):
            # column names come from MOVED_PARAMETERS above, never from data
            cr.execute(f"UPDATE res_company SET {column} = %s", [value])
        cr.execute("DELETE FROM ir_config_parameter WHERE key = %s", [key])
