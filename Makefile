# Shortcuts for dev.py, which needs only Python 3.11+ and pip.
PYTHON ?= python3

.PHONY: analyze test bench
analyze:
	$(PYTHON) dev.py analyze
test:
	$(PYTHON) dev.py test
bench:
	$(PYTHON) dev.py test --co -q >/dev/null && .venv/bin/python benchmarks/bench.py
