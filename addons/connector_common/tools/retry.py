"""When to try an outside call again (see docs/connectors.md, "What is retried where")."""

import email.utils
import time

# A user's click waits for one immediate retry of a call that books nothing only when the
# provider asks for at most this many seconds; anything longer is the user's (or a job's) to
# retry later. Background jobs wait as long as the provider asks, through queue_job.
USER_RETRY_MAX_WAIT = 2


def parse_retry_after(value, now=None):
    """``Retry-After`` as whole seconds (a delay or an HTTP date), ``None`` when absent or
    unreadable. A date in the past is 0. ``now``: the current Unix time, for tests."""
    if value is None:
        return None
    value = str(value).strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():
        return int(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    return max(0, round(moment.timestamp() - (time.time() if now is None else now)))
