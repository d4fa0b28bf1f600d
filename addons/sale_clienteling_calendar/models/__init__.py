from . import calendar_event, mail_message
