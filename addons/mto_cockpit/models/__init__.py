from . import (
    const,
    crm_team,
    mto_cockpit_exception,
    mto_cockpit_rule,
    mto_cockpit_webhook_refusal,
    purchase_order,
    sale_order,
)
