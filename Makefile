# The suite's front door. Every target goes through tools/suite.py (standard-library Python).
PYTHON ?= python3
SUITE := $(PYTHON) tools/suite.py

.PHONY: run test setup lint bench odoo prod-smoke backup restore reliability help
help:
	@echo "make run    set up what is missing, create the demo database, start Odoo on :8069"
	@echo "make test   set up what is missing, lint, run every test on a fresh database"
	@echo "make setup  install system packages, Odoo 18 source, virtualenv, database role"
	@echo "make lint   ruff + pylint-odoo mandatory checks"
	@echo "make bench  benchmarks, as ratios against stock Odoo 18 measured in the same run"
	@echo "make prod-smoke  the image's entrypoint and prod config on this machine (no Docker)"
	@echo "make odoo ARGS='-d furniture -u mto_production --stop-after-init'"
	@echo "make backup ARGS='--database furniture --output furniture.tar'"
	@echo "make restore ARGS='--input furniture.tar --database furniture_restored'"
	@echo "make reliability  faults, lifecycle and backups on real processes (slow set too)"

run:
	@$(SUITE) run
test:
	@$(SUITE) test
setup:
	@$(SUITE) setup
lint:
	@$(SUITE) lint
bench:
	@$(SUITE) bench $(ARGS)
odoo:
	@$(SUITE) odoo $(ARGS)
prod-smoke:
	@$(SUITE) prod-smoke $(ARGS)
backup:
	@$(SUITE) backup $(ARGS)
restore:
	@$(SUITE) restore $(ARGS)
reliability:
	@$(SUITE) reliability $(ARGS)
