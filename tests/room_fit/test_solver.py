"""room_fit's solver on rooms whose answer is worked out by hand (no Odoo)."""

import pytest

from tests.conftest import load_addon_file

solver = load_addon_file("room_fit", "solver.py")
Room, Opening, Obstacle, Clearances, Candidate = (
    solver.Room,
    solver.Opening,
    solver.Obstacle,
    solver.Clearances,
    solver.Candidate,
)

# No clearance at all unless a test asks for one: the figures stay those of the drawing.
NONE = Clearances(front=0, side=0, door_passage=0)


def _by_key(results):
    return {s.key: s for s in results}


def test_a_piece_as_wide_as_the_wall_fits_exactly_and_one_cm_more_does_not():
    # 200 x 150 room; the south and north walls are 200 cm, west and east 150 cm.
    room = Room(width=200, depth=150, clearances=NONE)
    exact = Candidate(key="exact", name="Exact", width=200, depth=50, in_stock=True)
    wide = Candidate(key="wide", name="Wide", width=201, depth=50, in_stock=True)
    results = _by_key(solver.suggest(room, [wide, exact]))
    assert results["exact"].fits
    walls = [(p.wall, p.offset_min, p.offset_max) for p in results["exact"].placements]
    assert walls == [("south", 0, 0), ("north", 0, 0)]  # not the 150 cm walls
    assert results["exact"].score == 1.0
    assert "exactly" in results["exact"].reason
    assert not results["wide"].fits
    assert results["wide"].reason == "201 cm wide: the widest free wall space is 200 cm."


def test_an_inward_door_swing_blocks_the_corner_of_the_next_wall():
    # 300 x 300 room; an 80 cm door on the west wall, 20 cm from the south corner, opening
    # inwards: its leaf sweeps x 0-80, y 20-100. A 60 cm deep sideboard on the south wall
    # (band y 0-60) meets that sweep, so the south wall is free only from x = 80.
    door = Opening(kind="door", wall="west", offset=20, width=80, swing="in")
    room = Room(width=300, depth=300, openings=(door,), clearances=NONE)
    assert solver.free_segments(room, "south", 60, 0) == [(80.0, 300.0)]
    sideboard = Candidate(key="sb", name="Sideboard", width=240, depth=60, in_stock=True)
    (result,) = solver.suggest(room, [sideboard])
    # 220 cm free on the south wall is too short; the north wall (300 cm) is free; the east
    # wall too; the west wall has the door in it.
    assert [p.wall for p in result.placements] == ["east", "north"]
    # the same door swinging out leaves the south wall whole
    out = Room(
        width=300,
        depth=300,
        openings=(Opening(kind="door", wall="west", offset=20, width=80, swing="out"),),
        clearances=NONE,
    )
    assert solver.free_segments(out, "south", 60, 0) == [(0.0, 300.0)]


def test_a_door_blocks_its_own_wall_and_the_passage_in_front_of_it():
    door = Opening(kind="door", wall="south", offset=100, width=90, swing="sliding")
    room = Room(
        width=400, depth=300, openings=(door,), clearances=Clearances(0, 0, door_passage=90)
    )
    assert solver.free_segments(room, "south", 50, 0) == [(0.0, 100.0), (190.0, 400.0)]
    # the passage (90 cm deep in front of the door) reaches a 100 cm deep band of the
    # west wall? No: it is 100 cm away from it along x.
    assert solver.free_segments(room, "west", 100, 0) == [(0.0, 300.0)]


def test_windows_let_low_pieces_under_them():
    window = Opening(kind="window", wall="north", offset=50, width=100, sill_height=90)
    room = Room(width=200, depth=200, openings=(window,), clearances=NONE)
    low = Candidate(key="low", name="Bench", width=200, depth=40, height=45, in_stock=True)
    tall = Candidate(key="tall", name="Bookcase", width=200, depth=40, height=200, in_stock=True)
    results = _by_key(solver.suggest(room, [low, tall]))
    assert "north" in [p.wall for p in results["low"].placements]
    assert "north" not in [p.wall for p in results["tall"].placements]


def test_existing_pieces_and_front_clearance():
    # a 100 cm armchair in the south-west corner, 80 deep; the client wants 60 cm in front.
    chair = Obstacle(x=0, y=0, width=100, depth=80, name="Armchair")
    room = Room(width=300, depth=250, obstacles=(chair,), clearances=Clearances(60, 0, 0))
    # west wall: a 50 cm deep piece + 60 cm in front needs x 0-110, the chair (y 0-80) blocks
    assert solver.free_segments(room, "west", 110, 0) == [(80.0, 250.0)]
    # the room is 250 deep: a 200 cm deep piece with 60 cm in front fits no south wall
    deep = Candidate(key="deep", name="Bed", width=160, depth=200, in_stock=True)
    (result,) = solver.suggest(room, [deep])
    assert [p.wall for p in result.placements] == ["east", "west"]


def test_in_stock_first_then_made_to_order_sized_to_the_space():
    room = Room(width=250, depth=150, clearances=NONE)
    stocked = Candidate(key="s", name="Stocked", width=200, depth=50, in_stock=True)
    ordered = Candidate(key="o", name="Ordered", width=200, depth=50, in_stock=False)
    table = Candidate(
        key="t",
        name="Table",
        width=180,
        depth=90,
        made_to_order=True,
        width_min=120,
        width_max=300,
        depth_min=80,
        depth_max=100,
    )
    results = solver.suggest(room, [table, ordered, stocked])
    # in stock first; then the table, made to fill the wall (1.0), before the stocked piece
    # that is not in stock and takes 200 of the 250 cm (0.8)
    assert [s.key for s in results] == ["s", "t", "o"]
    assert [s.score for s in results] == [0.8, 1.0, 0.8]
    made = results[1]
    # the longest wall is 250 cm: the table is made 250 wide, at its nominal 90 cm depth
    assert (made.width, made.depth) == (250, 90)
    assert made.made_to_order and made.fits
    assert "250 x 90 cm" in made.reason


def test_made_to_order_falls_back_to_its_smallest_depth_and_says_why_not():
    room = Room(width=100, depth=100, clearances=Clearances(front=20, side=0, door_passage=0))
    table = Candidate(
        key="t",
        name="Table",
        width=90,
        depth=90,
        made_to_order=True,
        width_min=80,
        width_max=120,
        depth_min=70,
        depth_max=95,
    )
    (result,) = solver.suggest(room, [table])
    assert (result.width, result.depth) == (100, 70)  # 90 + 20 > 100, 70 + 20 fits
    small = Room(width=70, depth=70, clearances=NONE)
    (result,) = solver.suggest(small, [table])
    assert not result.fits
    assert result.reason.startswith("Even at its smallest size (80 x 70 cm)")


def test_the_answer_does_not_depend_on_the_order_of_the_catalogue():
    door = Opening(kind="door", wall="east", offset=10, width=90)
    room = Room(width=420, depth=310, openings=(door,))
    pieces = [
        Candidate(key=i, name=f"Piece {i % 3}", width=60 + 13 * i, depth=40 + i, in_stock=i % 2)
        for i in range(12)
    ]
    first = solver.suggest(room, pieces)
    again = solver.suggest(room, list(reversed(pieces)))
    assert first == again


@pytest.mark.parametrize(
    "opening, message",
    [
        (Opening(kind="door", wall="ceiling", offset=0, width=80), "Unknown wall"),
        (Opening(kind="door", wall="south", offset=150, width=80), "goes past the end"),
        (Opening(kind="hatch", wall="south", offset=0, width=80), "Unknown opening"),
    ],
)
def test_rooms_that_cannot_be_measured_are_refused_with_what_is_wrong(opening, message):
    room = Room(width=200, depth=200, openings=(opening,))
    with pytest.raises(solver.RoomError, match=message):
        solver.suggest(room, [])
