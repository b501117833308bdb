# Shortcuts for the scripts the README documents.
.PHONY: run test readme

run:  ## serve Odoo with the addon and demo data
	bash scripts/run.sh

test:  ## fresh database, all tests and linters; ends with "N passed, N failed"
	bash scripts/test.sh

readme:  ## regenerate README.rst and static/description/index.html
	bash -c 'source scripts/lib.sh && find_odoo_src && ensure_venv && "$$VENV/bin/python" scripts/gen_readme.py'
