# hotelvoice — developer commands. `make demo` and `make test` are all a newcomer needs.
PY       ?= $(shell command -v python3.11 || command -v python3)
VENV     := .venv
BIN      := $(VENV)/bin
SAM_VENV := .tools/sam
SAM_PIN  := aws-sam-cli==1.170.0
CHECKOV_VENV := .tools/checkov
CHECKOV_PIN  := checkov==3.3.30
export SAM_CLI_TELEMETRY := 0

UV_VENV  := .tools/uv
UV_PIN   := uv==0.13.8
LOCKS    := dev functions functions-tts agent asr

.PHONY: install demo test lint api console console-publish chromium bench load lambda-package lock clean

# The project venv, from the lock file (every package pinned and hash-checked), rebuilt when
# pyproject.toml or the lock changes; the project itself is installed editable on top.
$(BIN)/.installed: pyproject.toml locks/dev.txt
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --require-hashes -r locks/dev.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $@

# uv resolves the lock files; in its own venv, used only by `make lock`.
$(UV_VENV)/.installed: Makefile
	$(PY) -m venv $(UV_VENV)
	$(UV_VENV)/bin/python -m pip install -q "$(UV_PIN)"
	touch $@

# One lock per deployable (core + an extra of pyproject.toml) and one for development, for
# every platform we run on (Linux x86_64 and arm64, Python 3.11 and 3.12). Pins already in a
# lock stay unless pyproject.toml needs another; to move one on purpose:
#   .tools/uv/bin/uv pip compile pyproject.toml --universal --generate-hashes --extra dev \
#       --upgrade-package <name> -o locks/dev.txt   (then `make lock` for the others)
lock: $(UV_VENV)/.installed
	for extra in $(LOCKS); do \
		$(UV_VENV)/bin/uv pip compile pyproject.toml --quiet --universal --generate-hashes \
			--extra $$extra --custom-compile-command "make lock" -o locks/$$extra.txt || exit 1; \
	done

# The SAM CLI lives in its own venv: its pins clash with the project's.
$(SAM_VENV)/.installed: Makefile
	$(PY) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/python -m pip install -q --upgrade pip
	$(SAM_VENV)/bin/python -m pip install -q "$(SAM_PIN)"
	touch $@

# checkov (IaC security checks) in its own venv too; every finding it reports is either fixed
# or suppressed on its resource with a one-line reason (Metadata.checkov.skip).
$(CHECKOV_VENV)/.installed: Makefile
	$(PY) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install -q --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install -q "$(CHECKOV_PIN)"
	touch $@

# Prism (the PMS vendors' mock server, tests/pms_contract) from its committed lockfile: Node 20+.
# --ignore-scripts: no package needs one (the only one is @scarf/scarf's install telemetry).
PRISM_DIR := tests/pms_contract
$(PRISM_DIR)/node_modules/.installed: $(PRISM_DIR)/package.json $(PRISM_DIR)/package-lock.json
	npm ci --prefix $(PRISM_DIR) --no-audit --no-fund --ignore-scripts --no-update-notifier \
		--loglevel=error >/dev/null
	touch $@

# The front desk's console (console/: TypeScript, Vite) from its committed npm lockfile, built
# into console/dist, which `make api` serves at /console/.
CONSOLE_DIR := console
CONSOLE_SRC := $(shell find $(CONSOLE_DIR)/src $(CONSOLE_DIR)/index.html $(CONSOLE_DIR)/vite.config.ts -type f 2>/dev/null)
$(CONSOLE_DIR)/node_modules/.installed: $(CONSOLE_DIR)/package.json $(CONSOLE_DIR)/package-lock.json
	npm ci --prefix $(CONSOLE_DIR) --no-audit --no-fund --ignore-scripts --no-update-notifier \
		--loglevel=error >/dev/null
	touch $@

$(CONSOLE_DIR)/dist/index.html: $(CONSOLE_DIR)/node_modules/.installed $(CONSOLE_SRC)
	npm run --prefix $(CONSOLE_DIR) --silent build >/dev/null

console: $(CONSOLE_DIR)/dist/index.html

# Upload the built console to a deployed stack's bucket (AWS credentials needed):
#   make console-publish STACK=hotelvoice-prod [REGION=eu-central-1]
console-publish: install console
	$(BIN)/python -m local_mode.console_publish --stack $(STACK) $(if $(REGION),--region $(REGION))

# Debian's Chromium for the console's browser tests (Playwright drives /usr/bin/chromium).
chromium:
	@test -x /usr/bin/chromium || { apt-get update -q >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }

install: $(BIN)/.installed

demo: install
	$(BIN)/hotelvoice demo

api: install console
	$(BIN)/hotelvoice api

lint: install $(SAM_VENV)/.installed $(CHECKOV_VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/cfn-lint template.yaml iac/speech-plane.yaml
	$(SAM_VENV)/bin/sam validate --lint --region eu-central-1 --template template.yaml
	$(CHECKOV_VENV)/bin/checkov --quiet --compact --skip-download --framework cloudformation \
		-f template.yaml -f iac/speech-plane.yaml

# Two workers at most (xdist): a whole test file runs in one worker, in order, so module-
# and session-scoped fixtures and the scenario suite's closing bar test work as they do alone.
test: lint $(PRISM_DIR)/node_modules/.installed console chromium
	$(BIN)/pytest --numprocesses=auto --maxprocesses=2 --dist=loadfile

# Speech-plane benchmarks (TTS cache, ASR proxy): out/bench/speech.json and speech.png.
bench: install
	$(BIN)/python -m bench

# Concurrent calls through one real worker (WebRTC, in a network namespace: needs root):
# out/load/load.json and out/load/load.png.
load: install
	$(BIN)/python -m bench.worker_load

# The artifacts template.yaml's CodeUri points at: the code and, as requirements.txt for
# sam build, the lock of what they need: build/lambda for every function but TTS (no voice
# SDKs), build/lambda-tts for the TTS function.
lambda-package: install
	rm -rf build/lambda build/lambda-tts && mkdir -p build/lambda build/lambda-tts
	cp -r hotelvoice functions build/lambda/
	cp locks/functions.txt build/lambda/requirements.txt
	cp -r hotelvoice functions build/lambda-tts/
	cp locks/functions-tts.txt build/lambda-tts/requirements.txt

clean:
	rm -rf build out .pytest_cache .ruff_cache $(CONSOLE_DIR)/dist
