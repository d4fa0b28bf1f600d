from . import test_room_fit_api
