from . import models
from .http import post_load
