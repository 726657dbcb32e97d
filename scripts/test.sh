#!/usr/bin/env bash
# Runs every test of the project: the Rust unit and integration tests of the library and the
# emulator, the C tests (compiled against the committed header, linked shared and static, run
# under valgrind), and the Python binding's tests (pytest, in a throwaway venv: needs python3
# with venv and PyPI for pytest). The tests start the emulator themselves on free ports.
set -euo pipefail
cd "$(dirname "$0")/.."
# Installs (as root, with apt-get) or names the missing tools before anything is built.
./scripts/require.sh
# The C tests link the built libraries: build them (and the emulator binary) first.
cargo build --workspace --locked
cargo test --workspace --locked "$@"
# The reliability and cancellation figures (fault-injection run, retries, stalls, a cancelled
# 1 GiB upload), shown: the run above passed them, this prints what they measured.
cargo test --locked --test reliability fault_injection -- --nocapture 2>/dev/null | grep -E '^(fault-injection|  )' || true

# Python binding: installed into a throwaway venv, tested against the emulator and the
# libraries built above.
venv="$(mktemp -d)"
trap 'rm -rf "$venv" bindings/python/build bindings/python/src/sendsecure.egg-info' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check pytest ./bindings/python
"$venv/bin/pytest" -q bindings/python/tests
