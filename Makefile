# Ampdesk. On a fresh Debian machine: `make demo` or `make test`; both
# install what is missing first (scripts/install-deps.sh).
SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin
GO ?= go
BIN := bin/ampdesk
FUZZTIME ?= 30s

.PHONY: all build demo test unit e2e bench fuzz deps clean vet

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(GO) build -tags no_animations -o $(BIN) .

demo: build
	./$(BIN) --demo

test: deps
	@scripts/test.sh

unit: deps
	@scripts/test.sh --unit

e2e: build
	@scripts/test.sh --e2e

vet:
	$(GO) vet ./...

bench: build
	@scripts/bench.sh

fuzz: deps
	@scripts/fuzz.sh $(FUZZTIME)

clean:
	rm -rf bin test-artifacts
