# The README's two promises: `make start` runs the portal, `make test` passes the tests.
SHELL := /bin/bash

.PHONY: start test e2e bootstrap sandbox bench reliability lint tsc clean help

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

bootstrap: ## Install Node 22, Yarn 4, dev-service packages and dependencies (idempotent)
	@scripts/bootstrap

start: bootstrap ## Run the portal: http://localhost:3000 (backend :7007, sandbox cluster :6443)
	@scripts/start-dev

test: ## Type-check, lint and run every unit and integration test
	@scripts/test

e2e: bootstrap ## Run the user journeys in Chromium against a portal of their own (free ports)
	@e2e-tests/scripts/run

sandbox: bootstrap ## Run only the sandbox cluster on http://127.0.0.1:6443
	@packages/sandbox-cluster/bin/sandbox-cluster --port 6443

bench: bootstrap ## Run every benchmark (each starts its own portal, sandboxes, PostgreSQL); writes bench/RESULTS.md
	@. scripts/env.sh && bench/run $(BENCH)

reliability: bootstrap ## Load, faults, replicas, crash and fuzz suites against real backends on PostgreSQL (~4 min)
	@scripts/reliability

tsc: bootstrap ## Type-check
	@. scripts/env.sh && yarn tsc --noEmit

lint: bootstrap ## Lint every package, and check that package.json files list what is imported
	@. scripts/env.sh && yarn backstage-cli repo lint && yarn lint:deps

clean: ## Remove dependencies, build output, the toolchain, .data/ and the dev databases
	-@scripts/services/dr-target.sh stop
	rm -rf node_modules packages/*/node_modules plugins/*/node_modules \
	  packages/*/dist plugins/*/dist dist-types .tools .data "$$(scripts/services/pg-data-dir)"
