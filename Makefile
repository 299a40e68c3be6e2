# Atende — one command to run, one command to test. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help
WEB_DEPS := web/node_modules/.package-lock.json
# A real socket.io-client that the Rust integration tests drive.
SOCKET_DEPS := crates/atende/tests/socket-client/node_modules/.package-lock.json

.PHONY: help run dev web test test-rust test-rust-sqlite test-rust-postgres test-web e2e lint fmt clean

help: ## List targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-20s %s\n", $$1, $$2}'

run: web ## Build web app + server (release) and start on http://127.0.0.1:8080 with SQLite in ./data
	cargo run --release -p atende -- serve

dev: web ## Same as run, with a debug build (faster to compile)
	cargo run -p atende -- serve

$(WEB_DEPS): web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

$(SOCKET_DEPS): crates/atende/tests/socket-client/package-lock.json
	cd crates/atende/tests/socket-client && npm ci --no-audit --no-fund
	@touch $@

web: $(WEB_DEPS) ## Build the web app into web/dist
	cd web && npm run build

test: test-rust test-web e2e ## Every test: Rust (SQLite and PostgreSQL), web unit tests, browser e2e

test-rust: test-rust-sqlite test-rust-postgres

test-rust-sqlite: $(SOCKET_DEPS) ## Rust unit + integration tests on SQLite
	cargo test --workspace

test-rust-postgres: $(SOCKET_DEPS) ## Integration tests on PostgreSQL (127.0.0.1:5432 or ATENDE_TEST_POSTGRES)
	@bash scripts/test-postgres.sh

test-web: $(WEB_DEPS) ## Web: typecheck, lint, unit tests
	cd web && npm run typecheck && npm run lint && npm run api:check && npm test

e2e: web ## Browser test: real server + headless Chromium
	@bash scripts/e2e.sh

lint: $(WEB_DEPS) ## cargo fmt --check, clippy -D warnings, tsc, eslint
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cd web && npm run typecheck && npm run lint

fmt: ## Format Rust code
	cargo fmt --all

clean: ## Remove build outputs (not ./data)
	cargo clean
	rm -rf web/dist
