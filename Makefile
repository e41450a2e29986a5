# Two commands do all the set-up on a fresh Debian/Ubuntu machine with Python 3.11:
#   make run    — create .venv, install, open the app with the sample library
#   make test   — create .venv, install with test tools, run lint, import contracts and tests
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

# Shared libraries Qt's xcb platform plugin needs at run time (most desktops have them
# already), and the Debian packages that hold them.
QT_LIBS = libEGL.so.1 libGL.so.1 libxkbcommon.so.0 libxkbcommon-x11.so.0 libxcb-cursor.so.0 \
          libxcb-icccm.so.4 libxcb-keysyms.so.1 libxcb-image.so.0 libxcb-render-util.so.0 \
          libxcb-shape.so.0 libxcb-xinerama.so.0 libxcb-randr.so.0 libfontconfig.so.1 \
          libdbus-1.so.3
QT_DEBS = libgl1 libegl1 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0 \
          libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
          libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-cursor0 fonts-dejavu-core

.PHONY: run test lint bench system-deps clean dist app screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,datasette]'
	touch $(STAMP)

# Each library of QT_LIBS is looked up in the linker cache; when any is missing the
# packages are installed (as root) or the apt-get line is printed; a failed apt-get
# (offline) only warns, since `make test` runs offscreen and needs none of them.
system-deps:
	@if command -v apt-get >/dev/null 2>&1; then \
	  known=$$($$(command -v ldconfig || echo /sbin/ldconfig) -p 2>/dev/null | awk '{print $$1}'); \
	  missing=; for lib in $(QT_LIBS); do \
	    printf '%s\n' "$$known" | grep -qxF "$$lib" || missing="$$missing $$lib"; done; \
	  if [ -n "$$missing" ]; then \
	    echo "Qt's libraries are missing:$$missing"; \
	    if [ "$$(id -u)" = 0 ]; then \
	      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(QT_DEBS) >/dev/null; } \
	      || echo "warning: apt-get failed; the app may not start (tests run offscreen without them)"; \
	    else echo "Qt needs: sudo apt-get install $(QT_DEBS)"; fi; fi; fi

run: system-deps $(STAMP)
	$(BIN)/aiviewer

test: system-deps $(STAMP)
	$(BIN)/ruff check aiviewer tests
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/aiviewer bench all

dist: $(STAMP)
	$(BIN)/python -m pip install --quiet build
	$(BIN)/python -m build

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache

# One-folder desktop app with PyInstaller: dist/app/aiviewer/aiviewer
app: $(STAMP)
	$(BIN)/python -m pip install --quiet 'pyinstaller>=6.10'
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist/app \
	  --workpath build/pyinstaller packaging/aiviewer.spec

# The README's screenshots, from the real app over the sample library (needs xvfb)
screenshots: $(STAMP)
	xvfb-run -a -s "-screen 0 1920x1080x24" $(BIN)/python packaging/screenshots.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python packaging/insights_screenshots.py
	xvfb-run -a -s "-screen 0 1920x1080x24" $(BIN)/python packaging/popover_screenshots.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python packaging/reader_screenshots.py
