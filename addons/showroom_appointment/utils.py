"""Pure helpers for slot computation: intervals are (start, stop) pairs of aware datetimes.

Nothing here imports Odoo, so the arithmetic can be checked by hand in a test.
"""

from datetime import datetime, time, timedelta

import pytz


def merge(intervals):
    """Sorted, overlapping or touching intervals joined."""
    merged = []
    for start, stop in sorted(intervals):
        if start >= stop:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged


def intersect(left, right):
    """Times in both lists of intervals."""
    left, right = merge(left), merge(right)
    result, i, j = [], 0, 0
    while i < len(left) and j < len(right):
        start = max(left[i][0], right[j][0])
        stop = min(left[i][1], right[j][1])
        if start < stop:
            result.append((start, stop))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return result


def subtract(intervals, removed):
    """Times of ``intervals`` outside every interval of ``removed``."""
    result = []
    removed = merge(removed)
    for start, stop in merge(intervals):
        cursor = start
        for r_start, r_stop in removed:
            if r_stop <= cursor or r_start >= stop:
                continue
            if r_start > cursor:
                result.append((cursor, r_start))
            cursor = max(cursor, r_stop)
            if cursor >= stop:
                break
        if cursor < stop:
            result.append((cursor, stop))
    return result


def slot_starts(free, tz, duration, step, not_before=None, not_after=None):
    """Starts of the slots of ``duration`` that fit in the ``free`` intervals, in UTC.

    Starts fall on the showroom's wall clock every ``step`` from midnight (10:00, 10:30...),
    whatever the UTC offset of that day: a Paris showroom opens at 10:00 in winter and in
    summer. Wall-clock times that do not exist (the hour skipped when clocks go forward) are
    skipped; an ambiguous one (clocks going back) is taken in its first occurrence.
    ``not_before``/``not_after`` (aware) bound the starts.
    """
    tz = pytz.timezone(tz) if isinstance(tz, str) else tz
    step_minutes = int(step.total_seconds() // 60)
    if step_minutes <= 0 or duration <= timedelta(0):
        raise ValueError("The slot step and duration must be positive.")
    starts = []
    for start, stop in merge(free):
        local = start.astimezone(tz)
        day = local.date()
        minutes = local.hour * 60 + local.minute + (1 if local.second or local.microsecond else 0)
        minutes = -(-minutes // step_minutes) * step_minutes  # rounded up to the step
        while True:
            day_offset, minute_of_day = divmod(minutes, 24 * 60)
            wall = datetime.combine(day + timedelta(days=day_offset), time()) + timedelta(
                minutes=minute_of_day
            )
            minutes += step_minutes
            try:
                candidate = tz.localize(wall, is_dst=None)
            except pytz.NonExistentTimeError:
                continue
            except pytz.AmbiguousTimeError:
                candidate = tz.localize(wall, is_dst=True)
            candidate = candidate.astimezone(pytz.utc)
            if candidate + duration > stop:
                break
            if candidate < start:
                continue
            if not_before and candidate < not_before:
                continue
            if not_after and candidate > not_after:
                break
            starts.append(candidate)
    return sorted(set(starts))
