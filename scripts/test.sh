#!/usr/bin/env bash
# Runs every test of the project: the Rust unit and integration tests of the library and the
# emulator, and the C tests (compiled against the committed header, linked shared and static,
# run under valgrind). The tests start the emulator themselves on free ports.
set -euo pipefail
cd "$(dirname "$0")/.."
# The C tests link the built libraries: build them (and the emulator binary) first.
cargo build --workspace --locked
cargo test --workspace --locked "$@"
