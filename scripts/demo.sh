#!/usr/bin/env bash
# The main job: builds libsendsecure and the emulator, starts the emulator, compiles the C
# example examples/c/submit_safebox.c against the header and the shared library, submits a
# SafeBox with two attachments (progress bar on stderr), and stops the emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/target/demo
mkdir -p "$out"

command -v cc >/dev/null || { echo "a C compiler (cc) is required: apt-get install gcc" >&2; exit 1; }
cargo build --release --locked -p sendsecure -p sendsecure-emulator
cc -std=c11 -Wall -Wextra -Werror -O2 -I"$root/include" "$root/examples/c/submit_safebox.c" \
   -o "$out/submit_safebox" -L"$root/target/release" -lsendsecure -Wl,-rpath,"$root/target/release"

"$root/target/release/sendsecure-emulator" --listen 127.0.0.1:0 >"$out/emulator.out" 2>"$out/emulator.log" &
emulator=$!
trap 'kill "$emulator" 2>/dev/null; wait "$emulator" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q '^listening on ' "$out/emulator.out" 2>/dev/null && break
  kill -0 "$emulator" 2>/dev/null || { cat "$out/emulator.log" >&2; exit 1; }
  sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$out/emulator.out")
[ -n "$url" ] || { echo "the emulator did not start" >&2; exit 1; }
echo "emulator: $url (demo account acme / demo)"

head -c $((24 * 1024 * 1024)) /dev/urandom >"$out/scan.dat"
printf 'Quarterly figures\n' >"$out/notes.txt"
SS_ENDPOINT=$url "$out/submit_safebox" "$out/scan.dat" "$out/notes.txt"
