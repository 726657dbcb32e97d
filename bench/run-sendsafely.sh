#!/usr/bin/env bash
# The SendSafely benchmark of libsendsecure. Run it with:
#
#     bash bench/run-sendsafely.sh
#
# (not part of the tests). It builds the emulator and bench/sendsafely (the measuring program
# `sendsafely-bench`, which uses the library's Rust API) in release mode, starts
# `sendsecure-emulator --service sendsafely --control` (port 0, a temporary --data-dir), and in
# every run uploads a 1 GiB file encrypted by the library and by `gpg --symmetric | curl -T -`,
# downloads it back by the library and by `curl | gpg --decrypt`, and runs the library again
# limited to one core (`taskset -c 0`, one crypto thread). It writes bench/RESULTS-sendsafely.md.
#
# Environment: BENCH_REPEAT (runs, default 5; medians and min-max are reported), BENCH_QUICK=1
# (a 64 MiB file; the report then goes to target/bench/RESULTS-sendsafely-quick.md),
# BENCH_TMPDIR (temporary files; default /dev/shm when it has room, else /var/tmp).
# Missing tools (curl, gpg, taskset, sha256sum) are installed with apt-get when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. "$root/bench/common.sh"

REPEAT=${BENCH_REPEAT:-5}
QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then BIG_MIB=64; else BIG_MIB=1024; fi
BIG_BYTES=$((BIG_MIB * 1024 * 1024))
RSS_LIMIT_MIB=32

out=$root/target/bench
results=$root/bench/RESULTS-sendsafely.md
[ "$QUICK" = 1 ] && results=$out/RESULTS-sendsafely-quick.md
mkdir -p "$out"
# peak: the file, the library's stored segments, the baseline's stored copy, one download
tmpbase=$(bench_tmpbase $(( (4 * BIG_MIB + 512) * 1024 )))
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
work=$(mktemp -d "$tmpbase/ssbench-sf.XXXXXX")
raw=$work/raw
mkdir -p "$raw" "$work/data" "$work/gnupg"
chmod 700 "$work/gnupg"
export GNUPGHOME=$work/gnupg
log=$out/run-sendsafely.log
: >"$log"
emulator=

cleanup() {
  if [ -n "$emulator" ]; then
    kill "$emulator" 2>/dev/null || true
    wait "$emulator" 2>/dev/null || true
    cp "$work/emulator.log" "$out/emulator-sendsafely.log" 2>/dev/null || true
  fi
  # the gpg-agent gpg started for this GNUPGHOME, and only it
  gpgconf --homedir "$GNUPGHOME" --kill gpg-agent 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# Tools
need curl curl
need gpg gnupg
need taskset util-linux
need sha256sum coreutils

# ---------------------------------------------------------------------------------------------
# Build
say "building (release)"
cargo build --release --locked -p sendsecure-emulator -p sendsafely-bench >&2
bin=$root/target/release
bench=$bin/sendsafely-bench

# ---------------------------------------------------------------------------------------------
# The emulator: the demo organisation, with segments of any size accepted (max_segment_bytes),
# since the baseline stores the whole gpg message as the one part of its file.
"$bin/sendsecure-emulator" --service sendsafely --print-demo-config |
  sed "s/^max_segment_bytes = .*/max_segment_bytes = $((2 * BIG_BYTES))/" >"$work/emulator.toml"
grep -q "^max_segment_bytes = $((2 * BIG_BYTES))\$" "$work/emulator.toml" || die "max_segment_bytes not set"
"$bin/sendsecure-emulator" --service sendsafely --listen 127.0.0.1:0 --control \
  --config "$work/emulator.toml" --data-dir "$work/data" \
  >"$work/emulator.out" 2>"$work/emulator.log" &
emulator=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$work/emulator.out" 2>/dev/null && break
  kill -0 "$emulator" 2>/dev/null || { cat "$work/emulator.log" >&2; die "the emulator did not start"; }
  sleep 0.1
done
SS_HOST=$(sed -n 's/^listening on //p' "$work/emulator.out")
[ -n "$SS_HOST" ] || die "the emulator did not start"
export SS_HOST SS_API_KEY=demo-api-key SS_API_SECRET=demo-api-secret
say "emulator: $SS_HOST (pid $emulator)"

# runs sendsafely-bench "$@" with output into $work/kv, appended to the raw log; with
# ONE_CORE=1 pinned to CPU 0 with one crypto thread
run_bench() {
  echo "## sendsafely-bench $* (one core: ${ONE_CORE:-0})" >>"$log"
  local pin=()
  [ "${ONE_CORE:-0}" = 1 ] && pin=(taskset -c 0 env BENCH_CRYPTO_THREADS=1)
  "${pin[@]}" "$bench" "$@" >"$work/kv" 2>>"$log" || { cat "$work/kv" >>"$log"; die "sendsafely-bench $* failed (see $log)"; }
  grep -v '^link=' "$work/kv" >>"$log"
}
# the gpg | curl baselines, under `sendsafely-bench run sh -c …`: wall, CPU of every process
# (sh, gpg, curl), largest peak RSS
run_cmd() {
  echo "## $*" >>"$log"
  "$bench" run "$@" >"$work/kv" 2>>"$log" || die "$* failed (see $log)"
  cat "$work/kv" >>"$log"
}
# records the wall, CPU and peak RSS of $work/kv under PREFIX
add_run() {
  add "${1}_wall" "$(kv wall_s "$work/kv")"
  add "${1}_cpu" "$(kv cpu_s "$work/kv")"
  add "${1}_rss" "$(kv maxrss_kib "$work/kv")"
}
same_file() { cmp -s "$big" "$1" || die "$1 differs from the uploaded file"; }
# removes every stored segment (uploads already read back): the next transfers reuse that memory
drop_stored() { find "$work/data" -type f -delete; }

GPG=(gpg --batch --quiet --no-tty --pinentry-mode loopback --no-symkey-cache)

# ---------------------------------------------------------------------------------------------
# Inputs
say "creating the ${BIG_MIB} MiB file"
big=$work/big.dat
head -c "$BIG_BYTES" /dev/urandom >"$big"
head -c $((64 * 1024 * 1024)) "$big" >"$work/ref.dat"
cpu_ref() {
  run_cmd sha256sum "$work/ref.dat"
  add cpu_ref "$(kv cpu_s "$work/kv")"
}
sync
say "pre-touching $((3 * BIG_MIB)) MiB of memory in $tmpbase"
prefault $((3 * BIG_BYTES))
# What GnuPG writes with these options (cipher, S2K, integrity protection), for the report.
head -c 1024 /dev/zero >"$work/sample.dat"
echo sample-passphrase >"$work/sample.pass"
"${GPG[@]}" --passphrase-file "$work/sample.pass" --symmetric --cipher-algo AES256 -z 0 \
  -o "$work/sample.gpg" "$work/sample.dat"
gpg_packets=$("${GPG[@]}" --passphrase-file "$work/sample.pass" --list-packets "$work/sample.gpg" 2>&1 |
  grep -E '^(:|	)' | sed 's/^[[:space:]]*//' | paste -sd' ' | sed 's/|/\\|/g')

# ---------------------------------------------------------------------------------------------
# The runs: in each, the library (all cores, then one core) and the baseline back to back, for
# the upload and then the download of the same file.
for r in $(seq "$REPEAT"); do
  cpu_ref
  say "upload, run $r/$REPEAT: library"
  run_bench upload "$big"
  add_run up_lib
  link=$(kv link "$work/kv")
  add up_lib_parts "$(kv parts "$work/kv")"
  add up_lib_crypto_threads "$(kv crypto_threads "$work/kv")"
  add up_lib_concurrency "$(kv transfer_concurrency "$work/kv")"
  say "upload, run $r/$REPEAT: library on one core"
  ONE_CORE=1 run_bench upload "$big"
  add_run up_one
  link_one=$(kv link "$work/kv")

  say "upload, run $r/$REPEAT: gpg | curl"
  "$bench" baseline-url "$BIG_BYTES" >"$work/baseline.kv" 2>>"$log" || die "baseline-url failed (see $log)"
  kv passphrase "$work/baseline.kv" >"$work/pass"
  run_cmd sh -c "$(printf '%q ' "${GPG[@]}") --passphrase-file '$work/pass' --symmetric --cipher-algo AES256 -z 0 -o - <'$big' | curl -fsS -T - '$(kv upload_url "$work/baseline.kv")'"
  add_run up_base
  "$bench" baseline-finish "$(kv package_id "$work/baseline.kv")" "$(kv package_code "$work/baseline.kv")" \
    "$(kv server_secret "$work/baseline.kv")" "$(kv keycode "$work/baseline.kv")" \
    "$(kv file_id "$work/baseline.kv")" >"$work/finish.kv" 2>>"$log" || die "baseline-finish failed (see $log)"
  add up_base_stored "$(find "$work/data" -type f -path "*$(kv file_id "$work/baseline.kv")*" -printf '%s\n' | head -n1)"

  say "download, run $r/$REPEAT: library"
  run_bench download "$link" "$work/down.dat"
  add_run down_lib
  same_file "$work/down.dat"; rm -f "$work/down.dat"
  say "download, run $r/$REPEAT: library on one core"
  ONE_CORE=1 run_bench download "$link_one" "$work/down.dat"
  add_run down_one
  same_file "$work/down.dat"; rm -f "$work/down.dat"
  say "download, run $r/$REPEAT: curl | gpg --decrypt"
  run_cmd sh -c "curl -fsS '$(kv download_url "$work/finish.kv")' | $(printf '%q ' "${GPG[@]}") --passphrase-file '$work/pass' --decrypt -o '$work/down.dat'"
  add_run down_base
  same_file "$work/down.dat"; rm -f "$work/down.dat"
  drop_stored
done
cpu_ref

# ---------------------------------------------------------------------------------------------
# Report
mib=$((1024 * 1024))
gib_per_big=$(calc "$BIG_BYTES / 1073741824")
for side in up_lib up_one up_base down_lib down_one down_base; do
  while read -r w; do calc "$BIG_BYTES / $mib / $w"; echo; done <"$raw/${side}_wall" >"$raw/${side}_mibs"
  while read -r c; do calc "$c / $gib_per_big"; echo; done <"$raw/${side}_cpu" >"$raw/${side}_cpu_gib"
done
# per-run ratios of throughput (the inverse ratio of wall times)
ratio() { paste -d' ' "$raw/$2_wall" "$raw/$1_wall" | while read -r a b; do calc "$a / $b"; echo; done >"$raw/$3"; }
ratio up_lib up_base up_vs_base
ratio up_lib up_one up_vs_one
ratio down_lib down_base down_vs_base
ratio down_lib down_one down_vs_one

m_up_base=$(med up_vs_base); m_up_one=$(med up_vs_one)
m_down_base=$(med down_vs_base); m_down_one=$(med down_vs_one)
rss_up=$(calc "$(maxof up_lib_rss) / 1024"); rss_down=$(calc "$(maxof down_lib_rss) / 1024")
rss_up_one=$(calc "$(maxof up_one_rss) / 1024"); rss_down_one=$(calc "$(maxof down_one_rss) / 1024")
commit=$(bench_commit)
quick_note=""
[ "$QUICK" = 1 ] && quick_note=" **Quick mode (BENCH_QUICK=1): a ${BIG_MIB} MiB file, figures not comparable with the targets.**"
kib=0.0009765625

tmp_results=$work/RESULTS-sendsafely.md
{
cat <<EOF
# libsendsecure benchmark results: SendSafely

Written by \`bash bench/run-sendsafely.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'); every figure
comes from that run (raw samples at the end), none is edited by hand.$quick_note The SendSecure
benchmark is in [RESULTS.md](RESULTS.md).

Each figure is the **median of $REPEAT runs, with the spread (min–max)** in parentheses. In each
run the library (all cores, then one core) and the baseline are measured back to back against
the same emulator (\`sendsecure-emulator --service sendsafely --control\`, release build, on the
same machine: it shares the CPUs with the client being measured). Ratios are the medians of the
per-run ratios.

## Machine

| | |
|---|---|
$(machine_rows)
| GnuPG | $(gpg --version | head -n1), $(gpg --version | sed -n 's/^libgcrypt /libgcrypt /p') |
| curl | $(curl --version | head -n1 | cut -d' ' -f1-2) |
| library | libsendsecure $(grep -m1 '^version' Cargo.toml | cut -d'"' -f2), commit $commit, release profile |
| date | $(date -u '+%Y-%m-%d %H:%M:%S UTC') |
| CPU speed reference | \`sha256sum\` of 64 MiB, CPU s: $(cell cpu_ref 3), measured $(wc -l <"$raw/cpu_ref") times during the run (its spread is the machine's own variation) |
| run | BENCH_REPEAT=$REPEAT, BENCH_QUICK=$QUICK; temporary files in $tmpbase ($(df -P "$tmpbase" | awk 'NR == 2 { print $1 }')); load average before the run: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg) |

## Targets

| target | measured (median) | met |
|---|---|---|
| upload throughput ≥ 2× \`gpg \| curl\` | $(printf %.2f "$m_up_base")× | $(yes_no "$m_up_base >= 2") |
| upload throughput ≥ 1.7× the library on one core | $(printf %.2f "$m_up_one")× | $(yes_no "$m_up_one >= 1.7") |
| peak RSS ≤ $RSS_LIMIT_MIB MiB, upload of ${BIG_MIB} MiB | $(printf %.1f "$(calc "$(med up_lib_rss) / 1024")") MiB (max $(printf %.1f "$rss_up")) | $(yes_no "$rss_up <= $RSS_LIMIT_MIB") |
| download throughput ≥ 2× \`curl \| gpg --decrypt\` | $(printf %.2f "$m_down_base")× | $(yes_no "$m_down_base >= 2") |
| download throughput ≥ 1.7× the library on one core | $(printf %.2f "$m_down_one")× | $(yes_no "$m_down_one >= 1.7") |
| peak RSS ≤ $RSS_LIMIT_MIB MiB, download of ${BIG_MIB} MiB | $(printf %.1f "$(calc "$(med down_lib_rss) / 1024")") MiB (max $(printf %.1f "$rss_down")) | $(yes_no "$rss_down <= $RSS_LIMIT_MIB") |

"met" for the RSS targets uses the worst run, the others the median.

## What is measured

- **Library** (\`sendsafely-bench upload FILE\`, bench/sendsafely): a client of the demo user
  with the default options (\`transfer_concurrency\` $(head -n1 "$raw/up_lib_concurrency"), \`crypto_threads\` 0: one per
  core, here $(head -n1 "$raw/up_lib_crypto_threads")), a package created (untimed), then
  \`upload_files\` of the file with a progress callback, timed: S19 registration, the file cut
  into $(head -n1 "$raw/up_lib_parts") segments of 2.5 MiB, each encrypted (OpenPGP, AES-256,
  SHA-256 S2K, MDC) and PUT to its storage URL (S20 in batches of 25, S21), S22. Then the
  package is finalized (untimed) and its secure link read back by \`sendsafely-bench download
  LINK OUT\`: \`open_link\` (S6) and \`download_file\` to a path (S24, S26, every segment fetched
  (S27), decrypted and written in order), timed. Wall and CPU (user+sys, every thread,
  getrusage) of those calls; peak RSS of the process (ru_maxrss).
- **Library on one core**: the same two commands under \`taskset -c 0\` with
  \`crypto_threads\` 1 (the emulator keeps both cores).
- **Upload baseline**: a package and a file registered with **one part** (S19 with \`parts\`
  1, S20), untimed (\`sendsafely-bench baseline-url\`); then, timed as a whole (wall; CPU of
  sh, gpg and curl; the largest peak RSS among them):
  \`gpg --batch --pinentry-mode loopback --no-symkey-cache --passphrase-file P --symmetric --cipher-algo AES256 -z 0 -o - <FILE | curl -fsS -T - UPLOAD_URL\`,
  the whole file one OpenPGP message streamed (chunked) to that one storage URL (S21), with the
  passphrase the library would use for that package. GnuPG writes: $gpg_packets.
  The emulator is started with \`max_segment_bytes\` $((2 * BIG_BYTES)) so that it takes that
  one segment (the library's segments are 2.5 MiB whatever the limit). Then (untimed) the file
  is marked complete (S22), the package finalized and the part's download URL asked (S26).
- **Download baseline**: \`curl -fsS DOWNLOAD_URL | gpg … --passphrase-file P --decrypt -o OUT\`
  of that stored message (S27), timed as a whole.
- Every output is compared with the file (\`cmp\`, untimed); the stored segments are deleted at
  the end of each run. The emulator stores each segment in memory (tmpfs), computing its
  SHA-256, for both sides alike.

## Upload of a ${BIG_MIB} MiB file

| figure | library | library, one core | \`gpg \| curl\` | library / gpg | library / one core |
|---|---|---|---|---|---|
| wall time (s) | $(cell up_lib_wall 3) | $(cell up_one_wall 3) | $(cell up_base_wall 3) | | |
| throughput (MiB/s) | $(cell up_lib_mibs 0) | $(cell up_one_mibs 0) | $(cell up_base_mibs 0) | $(cell up_vs_base 2) | $(cell up_vs_one 2) |
| CPU user+sys per GiB (s) | $(cell up_lib_cpu_gib 3) | $(cell up_one_cpu_gib 3) | $(cell up_base_cpu_gib 3) | | |
| peak RSS (MiB) | $(cell up_lib_rss 1 $kib) | $(cell up_one_rss 1 $kib) | $(cell up_base_rss 1 $kib) | | |

Bytes stored by the baseline (one OpenPGP message): $(cell up_base_stored 0).

## Download of the same file

| figure | library | library, one core | \`curl \| gpg -d\` | library / gpg | library / one core |
|---|---|---|---|---|---|
| wall time (s) | $(cell down_lib_wall 3) | $(cell down_one_wall 3) | $(cell down_base_wall 3) | | |
| throughput (MiB/s) | $(cell down_lib_mibs 0) | $(cell down_one_mibs 0) | $(cell down_base_mibs 0) | $(cell down_vs_base 2) | $(cell down_vs_one 2) |
| CPU user+sys per GiB (s) | $(cell down_lib_cpu_gib 3) | $(cell down_one_cpu_gib 3) | $(cell down_base_cpu_gib 3) | | |
| peak RSS (MiB) | $(cell down_lib_rss 1 $kib) | $(cell down_one_rss 1 $kib) | $(cell down_base_rss 1 $kib) | | |

Peak RSS of the library on one core: upload max $(printf %.1f "$rss_up_one") MiB, download max
$(printf %.1f "$rss_down_one") MiB.

## Raw samples

One value per run, in run order (seconds, KiB, MiB/s or ratios as named; \`_rss\` in KiB).

| metric | samples |
|---|---|
EOF
for f in "$raw"/*; do
  printf '| %s | %s |\n' "$(basename "$f")" "$(paste -sd' ' "$f")"
done
} >"$tmp_results"
mv "$tmp_results" "$results"
say "wrote $results (raw log: $log)"
