#!/usr/bin/env bash
# Runs every test of the project: the Rust unit and integration tests of the library and the
# emulator (which start the emulator themselves on free ports).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --locked "$@"
