"""Which catalogue pieces fit a room, and where: plain Python, no Odoo import.

The room is a rectangle seen from above, ``width`` along x and ``depth`` along y, in
centimetres, with four walls::

                 north (y = depth)
          +--------------------------+
    west  |                          |  east
  (x = 0) |                          | (x = width)
          +--------------------------+
                 south (y = 0)

A position along a wall is measured from its start: from x = 0 for the south and north
walls, from y = 0 for the west and east walls.

A piece stands with its back against a wall, its width along the wall and its depth into
the room. It fits a wall where a stretch of the wall at least as wide as the piece (plus the
side clearance on both sides) has, in front of it and for the piece's depth plus the front
clearance, nothing in the way: no existing piece, no door (its doorway and the floor its leaf
sweeps when it opens into the room, or the passage kept in front of it), no window lower
than the piece. The module's README gives the rules and the scoring in full; the tests check
them on rooms whose answer is known by hand.
"""

from dataclasses import dataclass, field

WALLS = ("south", "east", "north", "west")
EPSILON = 1e-6  # centimetres: 200 cm fits a 200 cm space exactly, 200.01 cm does not


class RoomError(ValueError):
    """A room or a piece that cannot be measured (a door outside its wall, a negative size)."""


@dataclass(frozen=True)
class Opening:
    """A door or window: ``offset`` from the start of its wall, ``width`` along it.

    ``swing`` for a door: ``"in"`` (the leaf sweeps a square of its width into the room),
    ``"out"`` or ``"sliding"`` (only the passage in front of it is kept free).
    ``sill_height`` for a window: pieces up to that height may stand under it.
    """

    kind: str
    wall: str
    offset: float
    width: float
    swing: str = "in"
    sill_height: float = 0.0


@dataclass(frozen=True)
class Obstacle:
    """A piece already in the room: its footprint, corner (x, y) and size."""

    x: float
    y: float
    width: float
    depth: float
    name: str = ""


@dataclass(frozen=True)
class Clearances:
    """Free space the client asks for: in front of each piece, on each of its sides, and in
    front of each door (the passage to walk through it)."""

    front: float = 60.0
    side: float = 0.0
    door_passage: float = 90.0


@dataclass(frozen=True)
class Room:
    width: float
    depth: float
    height: float = 0.0  # 0: not measured, any height passes
    openings: tuple = ()
    obstacles: tuple = ()
    clearances: Clearances = field(default_factory=Clearances)


@dataclass(frozen=True)
class Candidate:
    """A piece of the catalogue. A stocked variant has one size (``width``, ``depth``,
    ``height``); a made-to-order piece has ranges (``*_min``/``*_max``) and its nominal size
    in ``width``/``depth``/``height``, and is made to any whole ``step`` of centimetres."""

    key: object
    name: str
    width: float
    depth: float
    height: float = 0.0
    in_stock: bool = False
    made_to_order: bool = False
    width_min: float = 0.0
    width_max: float = 0.0
    depth_min: float = 0.0
    depth_max: float = 0.0
    step: float = 1.0


@dataclass(frozen=True)
class Placement:
    """Where the piece may stand: its left edge anywhere from ``offset_min`` to
    ``offset_max`` along ``wall`` (equal when it fits exactly)."""

    wall: str
    offset_min: float
    offset_max: float
    free_length: float


@dataclass(frozen=True)
class Suggestion:
    key: object
    name: str
    fits: bool
    width: float
    depth: float
    height: float
    in_stock: bool
    made_to_order: bool
    score: float
    placements: tuple
    reason: str


# ---------------------------------------------------------------------- geometry


def wall_length(room, wall):
    return room.width if wall in ("south", "north") else room.depth


def _depth_across(room, wall):
    """How far the room extends from ``wall`` to the opposite one."""
    return room.depth if wall in ("south", "north") else room.width


def _band(room, wall, depth):
    """The strip of floor within ``depth`` of ``wall``, as (x0, y0, x1, y1)."""
    if wall == "south":
        return (0.0, 0.0, room.width, depth)
    if wall == "north":
        return (0.0, room.depth - depth, room.width, room.depth)
    if wall == "west":
        return (0.0, 0.0, depth, room.depth)
    return (room.width - depth, 0.0, room.width, room.depth)


def _along(wall, rect):
    """The interval a floor rectangle covers along ``wall``."""
    x0, y0, x1, y1 = rect
    return (x0, x1) if wall in ("south", "north") else (y0, y1)


def _overlaps(a, b):
    """Two rectangles share floor (touching edges do not count)."""
    return (
        a[0] < b[2] - EPSILON
        and b[0] < a[2] - EPSILON
        and a[1] < b[3] - EPSILON
        and (b[1] < a[3] - EPSILON)
    )


def _rect_in_front(room, wall, start, length, depth):
    """The floor rectangle of ``length`` from ``start`` along ``wall``, ``depth`` into the
    room."""
    end = start + length
    if wall == "south":
        return (start, 0.0, end, depth)
    if wall == "north":
        return (start, room.depth - depth, end, room.depth)
    if wall == "west":
        return (0.0, start, depth, end)
    return (room.width - depth, start, room.width, end)


def door_zone(room, opening):
    """Floor a door needs free: its leaf's sweep when it opens inwards (a square of its
    width: the quarter circle's bounding box) or the passage in front of it."""
    depth = room.clearances.door_passage
    if opening.swing == "in":
        depth = max(depth, opening.width)
    depth = min(depth, _depth_across(room, opening.wall))
    return _rect_in_front(room, opening.wall, opening.offset, opening.width, depth)


def check_room(room):
    """Refuse a room that cannot be reasoned about, with what is wrong."""
    if room.width <= 0 or room.depth <= 0:
        raise RoomError("The room's width and depth must be more than 0 cm.")
    for opening in room.openings:
        if opening.wall not in WALLS:
            raise RoomError(f"Unknown wall {opening.wall!r}: use one of {', '.join(WALLS)}.")
        if opening.kind not in ("door", "window"):
            raise RoomError(f"Unknown opening {opening.kind!r}: a door or a window.")
        if opening.width <= 0 or opening.offset < 0:
            raise RoomError("An opening's width must be more than 0 cm and its offset at least 0.")
        if opening.offset + opening.width > wall_length(room, opening.wall) + EPSILON:
            raise RoomError(
                f"The {opening.kind} at {opening.offset:g} cm on the {opening.wall} wall is "
                f"{opening.width:g} cm wide: it goes past the end of the wall "
                f"({wall_length(room, opening.wall):g} cm)."
            )
    for obstacle in room.obstacles:
        if obstacle.width <= 0 or obstacle.depth <= 0 or obstacle.x < 0 or obstacle.y < 0:
            raise RoomError("An existing piece needs a position at least 0 and a size above 0.")
        if (
            obstacle.x + obstacle.width > room.width + EPSILON
            or obstacle.y + obstacle.depth > room.depth + EPSILON
        ):
            raise RoomError(f"The existing piece {obstacle.name or ''} is outside the room.")


def blocked_intervals(room, wall, depth, height):
    """Stretches of ``wall`` where a piece ``depth`` deep (front clearance included) and
    ``height`` tall cannot stand, with what blocks each one."""
    band = _band(room, wall, depth)
    blocked = []
    for opening in room.openings:
        if opening.kind == "door":
            zone = door_zone(room, opening)
            if opening.wall == wall or _overlaps(zone, band):
                what = f"the door on the {opening.wall} wall" + (
                    " and its swing" if opening.swing == "in" else ""
                )
                if opening.wall == wall:
                    blocked.append((opening.offset, opening.offset + opening.width, what))
                if _overlaps(zone, band):
                    start, end = _along(wall, zone)
                    blocked.append((start, end, what))
        elif opening.wall == wall and (not height or height > opening.sill_height + EPSILON):
            blocked.append(
                (
                    opening.offset,
                    opening.offset + opening.width,
                    f"the window on the {wall} wall (sill at {opening.sill_height:g} cm)",
                )
            )
    for obstacle in room.obstacles:
        rect = (obstacle.x, obstacle.y, obstacle.x + obstacle.width, obstacle.y + obstacle.depth)
        if _overlaps(rect, band):
            start, end = _along(wall, rect)
            blocked.append((start, end, obstacle.name or "an existing piece"))
    return sorted(blocked, key=lambda item: (item[0], item[1], item[2]))


def free_segments(room, wall, depth, height):
    """[(start, end)] of ``wall`` free for a piece ``depth`` deep (front clearance
    included) and ``height`` tall, in order along the wall."""
    length = wall_length(room, wall)
    if depth > _depth_across(room, wall) + EPSILON:
        return []
    segments = []
    cursor = 0.0
    for start, end, _what in blocked_intervals(room, wall, depth, height):
        if start > cursor + EPSILON:
            segments.append((cursor, min(start, length)))
        cursor = max(cursor, end)
    if length > cursor + EPSILON:
        segments.append((cursor, length))
    return segments


# ---------------------------------------------------------------------- placing pieces


def _placements(room, width, depth, height):
    """Every (wall, free segment) where a piece of this size stands, as Placements."""
    clear = room.clearances
    found = []
    for wall in WALLS:
        for start, end in free_segments(room, wall, depth + clear.front, height):
            needed = width + 2 * clear.side
            if end - start + EPSILON >= needed:
                found.append(
                    Placement(
                        wall=wall,
                        offset_min=round(start + clear.side, 2),
                        offset_max=round(max(end - clear.side - width, start + clear.side), 2),
                        free_length=round(end - start, 2),
                    )
                )
    return found


def _fill(width, placement, side):
    """Share of the free stretch the piece takes (1.0: it fills it exactly)."""
    return round(min(1.0, (width + 2 * side) / placement.free_length), 4)


def _floor_to_step(value, step):
    step = step or 1.0
    return round((int((value + EPSILON) / step)) * step, 2)


def _widest_free(room, depth, height):
    widest = 0.0
    for wall in WALLS:
        for start, end in free_segments(room, wall, depth + room.clearances.front, height):
            widest = max(widest, end - start)
    return widest


def _why_not(room, candidate, width, depth):
    clear = room.clearances
    if room.height and candidate.height > room.height + EPSILON:
        return f"{candidate.height:g} cm tall: the room is {room.height:g} cm high."
    deepest = max(room.width, room.depth)
    if depth + clear.front > deepest + EPSILON:
        return (
            f"{depth:g} cm deep with {clear.front:g} cm free in front: no wall has that much "
            "room in front of it."
        )
    widest = _widest_free(room, depth, candidate.height)
    needed = width + 2 * clear.side
    if not widest:
        return (
            f"No wall has free space {depth + clear.front:g} cm deep ({depth:g} cm of piece and "
            f"{clear.front:g} cm in front): doors, windows or pieces are in the way."
        )
    return (
        f"{needed:g} cm wide"
        + (f" with {clear.side:g} cm each side" if clear.side else "")
        + f": the widest free wall space is {widest:g} cm."
    )


def _stocked(room, candidate):
    placements = _placements(room, candidate.width, candidate.depth, candidate.height)
    if room.height and candidate.height > room.height + EPSILON:
        placements = []
    size = {"width": candidate.width, "depth": candidate.depth, "height": candidate.height}
    if not placements:
        return Suggestion(
            key=candidate.key,
            name=candidate.name,
            fits=False,
            in_stock=candidate.in_stock,
            made_to_order=False,
            score=0.0,
            placements=(),
            reason=_why_not(room, candidate, candidate.width, candidate.depth),
            **size,
        )
    best = max(placements, key=lambda p: _fill(candidate.width, p, room.clearances.side))
    score = _fill(candidate.width, best, room.clearances.side)
    exact = best.offset_min == best.offset_max
    reason = (
        f"Fits exactly against the {best.wall} wall at {best.offset_min:g} cm."
        if exact
        else f"Fits against the {best.wall} wall, its left edge from {best.offset_min:g} to "
        f"{best.offset_max:g} cm."
    )
    reason += " In stock." if candidate.in_stock else ""
    return Suggestion(
        key=candidate.key,
        name=candidate.name,
        fits=True,
        in_stock=candidate.in_stock,
        made_to_order=False,
        score=score,
        placements=tuple(placements),
        reason=reason,
        **size,
    )


def _made_to_order(room, candidate):
    """The largest width within the allowed range that a free stretch takes, at the nominal
    depth (within range), or at the smallest depth when the nominal one fits nowhere."""
    clear = room.clearances
    width_min = candidate.width_min or candidate.width
    width_max = candidate.width_max or candidate.width
    depth_min = candidate.depth_min or candidate.depth
    depth_max = candidate.depth_max or candidate.depth
    nominal_depth = min(max(candidate.depth, depth_min), depth_max)
    depths = [nominal_depth] + ([depth_min] if depth_min < nominal_depth else [])
    if room.height and candidate.height > room.height + EPSILON:
        depths = []
    for depth in depths:
        options = []
        for wall in WALLS:
            for start, end in free_segments(room, wall, depth + clear.front, candidate.height):
                width = _floor_to_step(min(width_max, end - start - 2 * clear.side), candidate.step)
                if width + EPSILON >= width_min:
                    options.append((width, wall, start, end))
        if options:
            # widest piece first; then the order of the walls, then along the wall
            options.sort(key=lambda o: (-o[0], WALLS.index(o[1]), o[2]))
            placements = tuple(
                Placement(
                    wall=wall,
                    offset_min=round(start + clear.side, 2),
                    offset_max=round(max(end - clear.side - width, start + clear.side), 2),
                    free_length=round(end - start, 2),
                )
                for width, wall, start, end in options
                if width == options[0][0]
            )
            width = options[0][0]
            best = placements[0]
            limit = (
                f"the largest allowed ({width_max:g} cm)"
                if abs(width - width_max) < EPSILON
                else f"the {best.free_length:g} cm free on the {best.wall} wall"
            )
            return Suggestion(
                key=candidate.key,
                name=candidate.name,
                fits=True,
                width=width,
                depth=depth,
                height=candidate.height,
                in_stock=False,
                made_to_order=True,
                score=_fill(width, best, clear.side),
                placements=placements,
                reason=(
                    f"Made to order {width:g} x {depth:g} cm against the {best.wall} wall: "
                    f"widths from {width_min:g} to {width_max:g} cm are made, {limit} sets it."
                ),
            )
    return Suggestion(
        key=candidate.key,
        name=candidate.name,
        fits=False,
        width=width_min,
        depth=depth_min,
        height=candidate.height,
        in_stock=False,
        made_to_order=True,
        score=0.0,
        placements=(),
        reason=f"Even at its smallest size ({width_min:g} x {depth_min:g} cm): "
        + _why_not(room, candidate, width_min, depth_min),
    )


def suggest(room, candidates):
    """Every candidate with whether it fits, where, and why; fitting pieces first, in-stock
    ones first among them, then the best fill of the free space, then name and key."""
    check_room(room)
    results = []
    for candidate in candidates:
        if candidate.width <= 0 or candidate.depth <= 0:
            raise RoomError(f"{candidate.name}: a piece needs a width and a depth above 0 cm.")
        if candidate.made_to_order:
            results.append(_made_to_order(room, candidate))
        else:
            results.append(_stocked(room, candidate))
    return sorted(
        results,
        key=lambda s: (not s.fits, not s.in_stock, -s.score, s.name, str(s.key)),
    )
