from . import test_download, test_faults, test_migration, test_storage
