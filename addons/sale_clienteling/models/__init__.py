from . import (
    clienteling_handover,
    clienteling_note,
    clienteling_preference,
    crm_team_member,
    ir_rule,
    res_company,
    res_config_settings,
    res_partner,
    res_users,
)
