from . import test_private_appointments
