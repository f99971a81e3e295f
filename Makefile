# Every target installs what it needs first, so each works on a fresh clone.
BUN  := node_modules/.bin/bun
DENO := node_modules/.bin/deno

.PHONY: all build release test lint format bench demo clean

all: build

# `npm ci`: exactly the lock file, which holds every platform's optional packages (biome's, deno's),
# so a fresh clone installs without rewriting it and its build is not "-dirty". A lock missing them
# (written by an npm that prunes) would make npm ci refuse: regenerate it with npm install.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

build: node_modules/.installed
	$(BUN) scripts/build.ts

release: node_modules/.installed
	$(BUN) scripts/build.ts --release

test: node_modules/.installed
	bash scripts/test.sh

lint: node_modules/.installed
	$(BUN) x biome check .
	$(BUN) x tsc --noEmit -p .
	$(BUN) scripts/check-oracles.ts

format: node_modules/.installed
	$(BUN) x biome check --write .

bench: node_modules/.installed build
	bash scripts/test-env.sh
	$(BUN) scripts/bench/run.ts

# The bundled example end to end: deploy, show it, ping across a link, fetch a published port, remove.
demo: node_modules/.installed build
	bash scripts/test-env.sh
	./dist/lab up -t examples/demo.clab.yml --reconfigure
	./dist/lab exec -t examples/demo.clab.yml --node r1 --cmd "ping -c 2 -W 1 10.0.12.2"
	curl -fsS http://127.0.0.1:8080/
	./dist/lab down -t examples/demo.clab.yml --cleanup

clean:
	rm -rf dist .test-results
