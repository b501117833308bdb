# Shortcuts for the scripts the README documents.
.PHONY: run test bench readme

run:  ## serve Odoo with the addon and demo data
	bash scripts/run.sh

test:  ## fresh database, all tests and linters; ends with "N passed, N failed"
	bash scripts/test.sh

bench:  ## benchmarks: the profile refresh (make bench ARGS="--partners 100000 --orders 1000000") or the reminders (make bench ARGS="--reminders --customers 100000 --salespeople 20")
	bash scripts/bench.sh $(ARGS)

readme:  ## regenerate README.rst and static/description/index.html
	bash -c 'source scripts/lib.sh && find_odoo_src && ensure_venv && "$$VENV/bin/python" scripts/gen_readme.py'
