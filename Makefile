# Garment Studio. Newcomers need two commands: `make demo` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv test test-fast demo fuzz bench extension lint clean train-vision

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[blender,dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check garment_addon headless tests bench tools

test: $(STAMP) lint
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not blender and not slow"

fuzz: $(STAMP)  # fresh random property cases (50x the suite's examples), then every bad-input family on every command
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_drafting.py tests/test_language.py -k "whole_range or plausible_bodies_draft or any_text"
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_inputs.py -k "any_spec or any_value"
	$(BIN)/python -m tests.fuzz_inputs

demo: $(STAMP)
	$(BIN)/python -m headless demo -o out

bench: $(STAMP)
	$(BIN)/python -m bench

# Retrain the photo classifier from scratch (CPU torch): two ensemble members side by side, one
# thread each (as the shipped weights were trained), then combined: temperatures and the refusal
# threshold from the train calibration slice. Writes garment_addon/core/vision/model/ (weights,
# train_log.txt, metrics.json, reference.json). About 25 min on a quiet 2-core machine.
train-vision: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[train]'
	rm -f .cache/vision/member_*.pt
	for k in 0 1; do $(BIN)/python tools/train_vision.py --member $$k --threads 1 & done; wait
	$(BIN)/python tools/train_vision.py --member 2
	$(BIN)/python tools/train_vision.py --combine

extension: $(STAMP)
	$(BIN)/python tools/build_extension.py

clean:
	rm -rf out dist build .pytest_cache
