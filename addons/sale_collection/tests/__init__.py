from . import test_collection_portal, test_collection_race, test_restricted_collection
