# Two commands do everything on a fresh machine (Python 3.10+; Debian/Ubuntu for Fashion-MNIST):
#   make demo   -- the full continual sequence on the offline default benchmark
#   make test   -- every notebook and every test (installs headless Chromium for the page tests)
VENV   ?= .venv
PY     := $(VENV)/bin/python
# torch pinned to the build this project is tested with (installs from local disk on the dev machines)
TORCH  ?= torch==2.14.1 torchvision==0.29.1
OUT    ?= runs/demo
METHODS ?= zero-shot,continual-ft,mulki
FASHION := /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz

.PHONY: setup demo test data browser clean readme notebooks
setup: $(VENV)/.installed data

$(VENV)/.installed: settings.ini setup.py
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q $(TORCH)
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

data: $(FASHION)
$(FASHION):
	@if [ "$$(id -u)" = 0 ]; then apt-get install -y -q dataset-fashion-mnist >/dev/null || (apt-get update -q >/dev/null && apt-get install -y -q dataset-fashion-mnist >/dev/null); \
	elif command -v sudo >/dev/null; then sudo apt-get install -y -q dataset-fashion-mnist; \
	else echo "Fashion-MNIST missing: install the Debian package dataset-fashion-mnist"; exit 1; fi

# headless Chromium and its driver for the docs-page tests (Debian packages)
browser:
	@command -v chromedriver >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get install -y -q chromium chromium-driver >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q chromium chromium-driver >/dev/null); \
	elif command -v sudo >/dev/null; then sudo apt-get install -y -q chromium chromium-driver; \
	else echo "Chromium missing for the docs-page tests: install the Debian packages chromium and chromium-driver"; exit 1; fi; }

demo: setup
	$(VENV)/bin/mulki run --benchmark offline --method $(METHODS) --out $(OUT)

test: setup browser
	$(VENV)/bin/mulki panel --time-only  # reports (asserts nothing) the panel's callback time here
	$(PY) -m pytest -q tests/

readme: setup  # README.md is made from nbs/index.ipynb (nbdev_readme needs Quarto)
	$(PY) tools/make_readme.py

notebooks: setup  # re-run every notebook in place so the docs show fresh outputs
	$(PY) tools/run_notebooks.py && $(VENV)/bin/nbdev_clean && $(PY) tools/make_readme.py

clean:
	rm -rf $(VENV) runs _proc _docs
