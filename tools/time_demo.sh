#!/usr/bin/env bash
# `make demo`'s job, timed on this checkout and on a reference commit, back to back on one machine.
#   git worktree add /work/ref bf5e095 && bash tools/time_demo.sh /work/ref [main-first]
# Prints one line per run: which checkout, seconds. Run it alone: two heavy jobs on 2 cores slow both.
set -euo pipefail
REF=${1:?the reference checkout (a git worktree)}
HERE=$(git rev-parse --show-toplevel)
PY=${PY:-$HERE/.venv/bin/python}
one() {  # $1: checkout; the package is imported from it (python -m from its root)
  local out; out=$(mktemp -d)
  local start; start=$(date +%s.%N)
  (cd "$1" && "$PY" -m mulki_nb.cli run --benchmark offline --method zero-shot,continual-ft,mulki --out "$out" >/dev/null 2>&1)
  echo "$(cd "$1" && git rev-parse --short HEAD) $(echo "$(date +%s.%N) - $start" | bc)"
  rm -rf "$out"
}
if [ "${2:-}" = main-first ]; then one "$HERE"; one "$REF"; else one "$REF"; one "$HERE"; fi
