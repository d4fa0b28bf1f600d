from . import cli, models
