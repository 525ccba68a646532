# Two commands set everything up on a fresh machine: `make demo` and `make test`.
# Both create the virtual environment and install the project into it first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_OUT := out/demo
SAMPLES := $(sort $(wildcard samples/seed/seed*)) $(sort $(wildcard samples/generated/*)) $(sort $(wildcard samples/scans/*))

.PHONY: demo test lint unit eval golden docs samples bench fuzz clean

# LibreOffice Writer converts .doc and RTF files for their reader; without it they end with the
# error converter_missing, and everything else works. Installed as root where apt-get exists.
CONVERTER_PACKAGE := libreoffice-writer-nogui
CONVERTER_NOTE := .doc and RTF files will end with the error converter_missing

# The tests of the PostgreSQL catalog start a private server with PostgreSQL's own programs
# (tests/conftest.py); the catalog itself only needs a server to connect to.
DATABASE_PACKAGE := postgresql
DATABASE_NOTE := the PostgreSQL catalog tests will skip (and fail under .ci/run)
HAS_INITDB := command -v initdb || ls /usr/lib/postgresql/*/bin/initdb

# The tests open the HTML of `extractor inspect` and `extractor report` in headless Chromium
# (Debian's, driven by Playwright; Playwright's own browser download is never used).
BROWSER_PACKAGE := chromium
BROWSER_NOTE := the browser tests of the HTML report will skip (and fail under .ci/run)

# The PDF reader's tests draw their tables in a CJK font (tests/test_pdf.py) and skip without it.
FONT_PACKAGE := fonts-droid-fallback
FONT_FILE := /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf
FONT_NOTE := the PDF reader tests that draw Chinese text will skip (and fail under .ci/run)

# OCR (the ocr extra) brings OpenCV, whose wheel links libGL and GLib from the system.
OPENCV_PACKAGES := libgl1 libglib2.0-0
OPENCV_NOTE := scanned pages and images cannot be read by OCR (and the OCR tests fail)

# $(call apt_provide,CHECK,PACKAGE,WHY,NOTE): when CHECK fails, install PACKAGE with apt-get
# (as root), else print NOTE, which says what will not work without it.
define apt_provide
@{ $(1); } >/dev/null 2>&1 || { \
  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
    echo "installing $(2), $(3)"; \
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
      --no-install-recommends $(2); } >/dev/null \
    || echo "note: apt-get could not install $(2); $(4)"; \
  else \
    echo "note: $(2) is not installed (apt-get install $(2)); $(4)"; \
  fi; \
}
endef

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,ocr]'
	$(call apt_provide,command -v soffice,$(CONVERTER_PACKAGE),which reads .doc and RTF files,$(CONVERTER_NOTE))
	$(call apt_provide,$(HAS_INITDB),$(DATABASE_PACKAGE),for the tests of the PostgreSQL catalog,$(DATABASE_NOTE))
	$(call apt_provide,command -v chromium,$(BROWSER_PACKAGE),for the tests of the HTML report,$(BROWSER_NOTE))
	$(call apt_provide,test -f $(FONT_FILE),$(FONT_PACKAGE),for the tests of the PDF reader,$(FONT_NOTE))
	$(call apt_provide,$(BIN)/python -c 'import cv2',$(OPENCV_PACKAGES),which OpenCV needs for OCR,$(OPENCV_NOTE))
	touch $(STAMP)

## demo: parse every bundled sample (the simulated scans in samples/scans by OCR), write its JSON and the CSV datasets into out/demo, print a summary;
## then the same samples as a batch into out/demo/batch (catalog.sqlite) and its CSV / Parquet export;
## last the run's HTML report, every document inspected (PDF pages with their detected cells)
demo: $(STAMP)
	rm -rf $(DEMO_OUT)
	$(BIN)/extractor parse $(SAMPLES) --to json --to csv --out $(DEMO_OUT)
	@echo "one JSON result per sample and indicators/funds/fields.csv in $(DEMO_OUT)/"
	$(BIN)/extractor batch samples/seed samples/generated samples/scans --out $(DEMO_OUT)/batch
	$(BIN)/extractor export $(DEMO_OUT)/batch --to csv
	@if $(BIN)/python -c 'import pyarrow' 2>/dev/null; then \
	  $(BIN)/extractor export $(DEMO_OUT)/batch --to parquet; \
	else echo "pyarrow is not installed: no Parquet export"; fi
	@echo "the batch catalog is $(DEMO_OUT)/batch/catalog.sqlite, its export in $(DEMO_OUT)/batch/export/"
	$(BIN)/extractor report $(DEMO_OUT)/batch --inspect

## test: lint, type-check and run the whole test suite
test: lint unit

lint: $(STAMP)
	$(BIN)/ruff check extractor tests samples
	$(BIN)/ruff format --check extractor tests samples
	$(BIN)/mypy extractor

unit: $(STAMP)
	$(BIN)/pytest -q

## fuzz: atheris on the readers (.xls and RTF too), the value parser and the crawl's URL and robots.txt
## handling, FUZZ_SECONDS (60) per target; crashes in out/fuzz/
FUZZ_SECONDS ?= 60
fuzz: $(STAMP)
	$(BIN)/pip install --quiet -e '.[fuzz]'
	$(BIN)/python -m tests.fuzz --seconds $(FUZZ_SECONDS)

## eval: score the pipeline against every truth case under golden/ (real ones need ../shared)
eval: $(STAMP)
	$(BIN)/python -m extractor.evaluate

## bench: pages/s and peak memory of the pipeline per PDF backend beside bare pdfplumber, camelot and the
## pypdfium2 floor, batch with 1 and 2 workers, report --inspect beside the way it was done before, rows/s of a
## long merged .docx and HTML table, stitching one ruled table of 100 and 400 pages, OCR of scanned corpus pages;
## prints the table and writes out/bench/results.json (needs
## ../shared/corpus/real; installs the bench extra)
bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench.run

## golden: rewrite the golden outputs from the current code (review the diff like code)
golden: $(STAMP)
	$(BIN)/python -m tests.goldens --update

## docs: rewrite docs/kinds.md from the vocabulary (review the diff like code)
docs: $(STAMP)
	$(BIN)/python -m tests.kinds_doc --update

## samples: regenerate samples/seed and samples/generated (CJK fonts installed via apt where missing).
## LibreOffice outputs (.doc, LibreOffice PDFs) carry a timestamp, so they are kept unless
## LIBREOFFICE=1 is given; review the diff and run `make golden` when the seed changed.
samples: $(STAMP)
	test -f $(FONT_FILE) || { apt-get update -q && apt-get install -y -q --no-install-recommends fonts-droid-fallback fonts-wqy-microhei; }
	$(BIN)/python samples/make_seed_samples.py $(if $(LIBREOFFICE),,--skip-libreoffice)
	$(BIN)/python samples/generate_cases.py $(if $(LIBREOFFICE),,--skip-libreoffice)
	$(BIN)/python samples/make_scans.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
