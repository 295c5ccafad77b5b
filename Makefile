# paramsecrets: one Rust core, three native packages, one emulator.
# `make demo` builds everything and runs the examples in the local Lambda (scripts/local-lambda);
# `make test` builds and runs every suite. `make help` lists the rest.

SHELL := /bin/bash
CARGO ?= cargo
export PARAMSECRETS_EMULATOR ?= $(CURDIR)/target/debug/paramsecrets-emulator

.PHONY: help test demo bench bench-quick layers layers-test sam-lint sam-local-test loadtest-smoke emulator rust-check rust-test python-test node-test java-test examples-test lambda-test local-lambda arm64 test-arm64 release release-test release-lint docs docs-test leak-test soak soak-smoke

help: ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /  make \1\t/' | expand -t 24

emulator: ## build the local extension emulator (target/debug/paramsecrets-emulator)
	@echo "==> building the emulator"
	$(CARGO) build -p paramsecrets-emulator

LAYER_ARCH ?= x86_64
SAM_TOOLS := $(or $(PARAMSECRETS_CACHE),$(HOME)/.cache/paramsecrets)/sam-tools

layers: ## Lambda layers: dist/layers/paramsecrets-{emulator-extension,python,nodejs,java}-<arch>.zip
	@scripts/build-emulator-layer.sh
	$(MAKE) -C bindings-python wheel
	$(MAKE) -C bindings-node build
	$(MAKE) -C bindings-java jar
	@scripts/layers/build.sh --arch $(LAYER_ARCH)

layers-test: layers ## unpack each layer (packages, emulator extension) into an empty folder and use it from there
	@echo "==> layers"
	@python3 scripts/layers/check.py --arch $(LAYER_ARCH) python nodejs java emulator

sam-local-test: layers ## the SAM application's functions, packaged as sam build does, in the local Lambda with their layers on /opt
	@echo "==> examples/sam functions in the local Lambda"
	@examples/sam/check-local.py

loadtest-smoke: layers ## a few seconds of the Artillery load path: local function URL -> local Lambda environments
	@echo "==> load test smoke (Artillery -> local function URL)"
	@bench/replication/loadtest.py --smoke

$(SAM_TOOLS)/.installed: examples/sam/requirements.txt
	python3 -m venv $(SAM_TOOLS)
	$(SAM_TOOLS)/bin/pip install -q --disable-pip-version-check -r examples/sam/requirements.txt
	touch $@

sam-lint: $(SAM_TOOLS)/.installed ## cfn-lint the SAM application (examples/sam), informational checks included
	@echo "==> cfn-lint examples/sam/template.yaml"
	$(SAM_TOOLS)/bin/cfn-lint --include-checks I -- examples/sam/template.yaml

rust-check: ## cargo fmt --check and clippy -D warnings over the workspace
	@echo "==> rustfmt and clippy"
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

rust-test: emulator ## every crate's tests: core (unit, faults, concurrency, properties, conformance), emulator, bindings, bench
	@echo "==> Rust tests"
	$(CARGO) test --workspace

python-test: emulator ## the Python package: wheel, pytest on Python 3.10-3.13 (incl. conformance)
	@echo "==> Python package"
	$(MAKE) -C bindings-python test

node-test: emulator ## the Node package: npm ci, napi build, node:test on Node 22 and 24 (incl. conformance)
	@echo "==> Node package"
	$(MAKE) -C bindings-node test

java-test: emulator ## the Java package: native lib (JNI), jar, JUnit on Java 17, 21 and 25 (incl. conformance)
	@echo "==> Java package"
	$(MAKE) -C bindings-java test

local-lambda: ## install the local Lambda's AWS parts (RIE, the three runtime interface clients; cached)
	@scripts/local-lambda/install.sh

examples-test: emulator layers local-lambda ## the walkthrough handlers in the local Lambda as smoke tests (real MariaDB)
	@echo "==> examples (smoke tests)"
	@scripts/examples-test.sh

lambda-test: layers local-lambda ## Lambda lifecycle in the local Lambda: INIT-time reads, prefetch, cold starts, SHUTDOWN; the Powertools providers
	@echo "==> Lambda lifecycle tests"
	@ls bindings-python/dist/paramsecrets-*_$$(uname -m).whl >/dev/null 2>&1 || $(MAKE) -C bindings-python wheel
	@ls bindings-node/paramsecrets.*.node >/dev/null 2>&1 || $(MAKE) -C bindings-node build
	@ls bindings-java/target/paramsecrets-*.jar >/dev/null 2>&1 || $(MAKE) -C bindings-java jar
	@python3 lambda-tests/run.py
	@echo "==> Powertools providers in the local Lambda"
	@python3 lambda-tests/powertools.py

test: rust-check release-lint rust-test python-test node-test java-test examples-test lambda-test sam-lint layers-test sam-local-test loadtest-smoke docs-test leak-test soak-smoke ## every suite
	@echo "==> all suites passed"

arm64: ## aarch64 (Graviton) artefacts beside the x86_64 ones: wheel, .node, jar with both libraries, emulator and its arm64 layer zip
	@scripts/arm64/setup.sh
	@scripts/arm64/build.sh
	@echo "==> the npm package's loader and x86_64 binary, the jar with both libraries"
	$(MAKE) -C bindings-node build
	$(MAKE) -C bindings-java jar

test-arm64: arm64 ## the Rust, Python, Node and Java suites on aarch64 under qemu-user (scripts/arm64/README.md)
	@scripts/arm64/test.sh

release: arm64 ## every artefact for x86_64 and aarch64 into dist/release/: sdist and wheels, npm packages, Maven bundles; SBOMs, SHA256SUMS
	@scripts/release/build.sh

release-test: emulator ## publish dist/release/ to local pypiserver, verdaccio and Maven servers, install as users do, rebuild the layers from those installs
	@scripts/release/test.sh

release-lint: ## one version everywhere (package.json files, CHANGELOG); actionlint on .github/workflows
	@echo "==> release metadata and workflow"
	@scripts/release/check-versions.py
	@$$(scripts/release/ensure-actionlint.sh) .github/workflows/*.yml

soak: emulator ## 30 min per language (Rust, Python, Node, Java, at once) against the emulator with restarts and store changes: target/soak/<lang>.{csv,png}, summary.md (soak/README.md)
	$(MAKE) -C bindings-python wheel
	$(MAKE) -C bindings-node build
	$(MAKE) -C bindings-java jar
	@soak/run.py

soak-smoke: emulator ## make soak for 2 minutes, all four languages at once
	@echo "==> soak smoke (2 min, all languages at once)"
	@ls bindings-python/dist/paramsecrets-*_$$(uname -m).whl >/dev/null 2>&1 || $(MAKE) -C bindings-python wheel
	@ls bindings-node/paramsecrets.linux-*.node >/dev/null 2>&1 || $(MAKE) -C bindings-node build
	@ls bindings-java/target/paramsecrets-*.jar >/dev/null 2>&1 || $(MAKE) -C bindings-java jar
	@soak/run.py --smoke

leak-test: emulator ## native leak checks: the Python and Node loops under valgrind memcheck (0 memory errors, 0 definite leaks of ours); the Java suite runs with -Xcheck:jni in java-test
	@echo "==> native leak checks (valgrind)"
	@scripts/leak/run.sh python node

docs: ## the documentation site (MkDocs Material, --strict) with the Python, Node and Java API references: target/docs/site
	@scripts/docs/build.sh

docs-test: docs emulator ## the site's and README's code samples against the emulator, the undocumented-public-name check, the site in headless Chromium (screenshots: target/docs/screenshots/)
	@scripts/docs/test.sh

demo: emulator ## build everything and run the walkthrough in the local Lambda (RIE, runtime clients, emulator layer)
	@scripts/demo.sh

bench: emulator ## every benchmark; writes bench/RESULTS.md
	@scripts/bench.sh full

bench-quick: emulator ## the same in under two minutes
	@scripts/bench.sh quick
