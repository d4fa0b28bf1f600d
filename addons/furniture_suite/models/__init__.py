from . import furniture_suite_demo
