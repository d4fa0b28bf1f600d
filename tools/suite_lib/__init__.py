"""The parts of tools/suite.py, the suite's entry point: one module per concern.

Standard library only: it runs on the machine's own Python before the virtualenv exists.
"""
