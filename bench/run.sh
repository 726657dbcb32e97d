#!/usr/bin/env bash
# The benchmark suite of libsendsecure. Run it with:
#
#     bash bench/run.sh
#
# (not part of the tests: scripts/test.sh and `cargo test` never run it). It builds the library
# and the emulator in release mode, compiles bench/ss_bench.c and examples/c/submit_safebox.c,
# starts the emulator (port 0, --control, a temporary --data-dir), measures the library and,
# side by side in the same run, curl against the same emulator, and writes bench/RESULTS.md.
#
# Environment: BENCH_REPEAT (runs of every measurement, default 5; medians and min-max are
# reported), BENCH_QUICK=1 (small sizes for a smoke run: 64 MiB instead of 1 GiB, 200 calls
# instead of 2,000; the figures are then not comparable with the targets, and the report goes
# to target/bench/RESULTS-quick.md instead), BENCH_TMPDIR (where the temporary files go:
# default /dev/shm when it has ~4.5 GiB free, else /var/tmp).
# Missing tools (curl, GNU time, a C compiler, strip) are installed with apt-get when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. "$root/bench/common.sh"

REPEAT=${BENCH_REPEAT:-5}
QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then
  BIG_MIB=64; CALLS=200; THREAD_CALLS=20
else
  BIG_MIB=1024; CALLS=2000; THREAD_CALLS=200
fi
BIG_BYTES=$((BIG_MIB * 1024 * 1024))
MANY_N=32; MANY_SIZE=$((4 * 1024 * 1024)); LATENCY_MS=20
CONN_N=10; CONN_SIZE=$((1024 * 1024))
THREADS=16
USER_EMAIL=demo@acme.example

out=$root/target/bench        # binaries and the raw log (kept)
results=$root/bench/RESULTS.md
[ "$QUICK" = 1 ] && results=$out/RESULTS-quick.md
mkdir -p "$out"
# Temporary files (the 1 GiB attachment, the emulator's data directory, downloads): in memory
# when it has room (bench_tmpbase, bench/common.sh).
tmpbase=$(bench_tmpbase $(( (4 * BIG_MIB + 512) * 1024 )))   # peak: the file, one stored copy, one download
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
work=$(mktemp -d "$tmpbase/ssbench.XXXXXX")
raw=$work/raw
mkdir -p "$raw" "$work/data" "$work/many" "$work/conn" "$work/info"
log=$out/run.log
: >"$log"
emulator=

cleanup() {
  if [ -n "$emulator" ]; then
    kill "$emulator" 2>/dev/null || true
    wait "$emulator" 2>/dev/null || true
    cp "$work/emulator.log" "$out/emulator.log" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# Tools
need curl curl
need /usr/bin/time time
need cc gcc
need strip binutils

# ---------------------------------------------------------------------------------------------
# Build
say "building (release)"
cargo build --release --locked -p sendsecure -p sendsecure-emulator >&2
lib=$root/target/release
cflags=(-O2 -std=c11 -Wall -Wextra -Werror -pthread -I"$root/include")
info_call=ss_get_safebox_info
cc "${cflags[@]}" "$root/bench/ss_bench.c" -o "$out/ss_bench" \
   -L"$lib" -lsendsecure -Wl,-rpath,"$lib"
cc "${cflags[@]}" "$root/examples/c/submit_safebox.c" -o "$out/submit_safebox" \
   -L"$lib" -lsendsecure -Wl,-rpath,"$lib"
bench=$out/ss_bench

# ---------------------------------------------------------------------------------------------
# The emulator
"$lib/sendsecure-emulator" --listen 127.0.0.1:0 --control --data-dir "$work/data" \
  >"$work/emulator.out" 2>"$work/emulator.log" &
emulator=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$work/emulator.out" 2>/dev/null && break
  kill -0 "$emulator" 2>/dev/null || { cat "$work/emulator.log" >&2; die "the emulator did not start"; }
  sleep 0.1
done
endpoint=$(sed -n 's/^listening on //p' "$work/emulator.out")
[ -n "$endpoint" ] || die "the emulator did not start"
base=$(curl -fsS "$endpoint/services/acme/sendsecure/server/url")   # ends with /
say "emulator: $endpoint (pid $emulator)"

json_str() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
json_num() { sed -n "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p"; }

login=$(curl -fsS -X POST "${base}api/user_token" -H 'Content-Type: application/json' \
  -d '{"permalink":"acme","username":"demo","password":"demo-password","application_type":"bench","device_id":"b","device_name":"b"}')
token=$(printf '%s' "$login" | json_str token)
user_id=$(printf '%s' "$login" | json_num user_id)
[ -n "$token" ] || die "no token: $login"
export SS_ENDPOINT=$endpoint SS_ACCOUNT=acme SS_TOKEN=$token SS_USER_ID=$user_id SS_USER_EMAIL=$USER_EMAIL
# examples/c/submit_safebox logs in itself with the demo account's defaults.

latency() { curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/json' -d "{\"ms\":$1}" "$endpoint/_emulator/latency"; }
stat_field() { curl -fsS "$endpoint/_emulator/stats" | json_num "$1"; }
# connections after a process: let the emulator accept what the process opened last
conns_after() { sleep 0.3; stat_field connections; }
new_upload_url() { # E1, as curl would do it: prints the SafeBox's upload URL
  curl -fsS -H "Authorization-Token: $token" "${base}api/v2/safeboxes/new.json?user_email=$USER_EMAIL" | json_str upload_url
}
# runs the ss_bench command "$@" with output into $work/kv, appended to the raw log
run_bench() {
  echo "## ss_bench $*" >>"$log"
  "$bench" "$@" >"$work/kv" 2>>"$log" || { cat "$work/kv" >>"$log"; die "ss_bench $* failed (see $log)"; }
  cat "$work/kv" >>"$log"
}
# runs an external command (the curl baselines) under `ss_bench run`: wall, CPU (us resolution)
# and peak RSS of that process into $work/kv
run_cmd() {
  echo "## $*" >>"$log"
  "$bench" run "$@" >"$work/kv" 2>>"$log" || die "$* failed (see $log)"
  cat "$work/kv" >>"$log"
}
# GNU time of a command into $work/time ("wall user sys maxrss_kib"); wall from date (ns)
timed() {
  local t0 t1
  t0=$(now)
  /usr/bin/time -f '%e %U %S %M' -o "$work/gnutime" "$@"
  t1=$(now)
  read -r _ u s m <"$work/gnutime"
  echo "$(calc "$t1 - $t0") $u $s $m" >"$work/time"
  echo "## $* -> $(cat "$work/time")" >>"$log"
}

# ---------------------------------------------------------------------------------------------
# Inputs
say "creating the ${BIG_MIB} MiB attachment and the small ones"
big=$work/big.dat
head -c "$BIG_BYTES" /dev/urandom >"$big"
for i in $(seq 0 $((MANY_N - 1))); do head -c "$MANY_SIZE" /dev/urandom >"$work/many/att-$(printf %02d "$i").dat"; done
for i in $(seq 0 $((CONN_N - 1))); do head -c "$CONN_SIZE" /dev/urandom >"$work/conn/att-$(printf %02d "$i").dat"; done
# The CPU speed reference: a fixed CPU-bound job timed in every run, to show how steady the
# machine was (a virtual machine's CPU speed can vary while other guests run).
head -c $((64 * 1024 * 1024)) "$big" >"$work/ref.dat"
cpu_ref() {
  run_cmd sha256sum "$work/ref.dat"
  add cpu_ref "$(kv cpu_s "$work/kv")"
}
sync   # no writeback of earlier files (the build...) during the measurements
say "pre-touching $((2 * BIG_MIB)) MiB of memory in $tmpbase"
prefault $((2 * BIG_BYTES))
# The SafeBox read by the info calls: one message with one 4 KiB document.
run_bench submit-many 1 4096 0 "$work/info"
info_guid=$(kv guid "$work/kv")
info_url="${base}api/v2/safeboxes/$info_guid.json?locale=en&sections=participants%2Cmessages%2Csecurity_options%2Cdownload_activity%2Cevent_history"

# ---------------------------------------------------------------------------------------------
# 1 and 2: the 1 GiB attachment: upload through the library, through curl, through the C example;
# download back (the example's upload) through the library (and curl, for information).
# The emulator keeps every upload in its data directory: each one not downloaded is deleted at
# once, so that every transfer writes into memory freed just before (see prefault) and the
# order of a pair does not matter.
drop_uploads() { find "$work/data" -type f -size +8k -delete; }
for r in $(seq "$REPEAT"); do
  say "${BIG_MIB} MiB upload and download, run $r/$REPEAT"
  cpu_ref
  upload_lib() {
    run_bench upload "$big"
    add up_lib_wall "$(kv wall_s "$work/kv")"
    add up_lib_cpu "$(kv cpu_s "$work/kv")"
    add up_lib_rss "$(kv maxrss_kib "$work/kv")"
    local stored
    stored=$(curl -fsS "$endpoint/_emulator/safeboxes/$(kv guid "$work/kv")")
    case $stored in
      *"\"size\":$BIG_BYTES,"*) ;;
      *) die "library upload: the emulator does not have the whole file: $stored" ;;
    esac
    drop_uploads
  }
  upload_curl() {
    local url
    url=$(new_upload_url)
    run_cmd curl -fsS -o "$work/curl.out" -F "file=@$big" "$url"
    grep -q document_guid "$work/curl.out" || die "curl upload failed: $(cat "$work/curl.out")"
    add up_curl_wall "$(kv wall_s "$work/kv")"
    add up_curl_cpu "$(kv cpu_s "$work/kv")"
    add up_curl_rss "$(kv maxrss_kib "$work/kv")"
    drop_uploads
  }
  if [ $((r % 2)) = 1 ]; then upload_lib; upload_curl; else upload_curl; upload_lib; fi
  add up_ratio_thr "$(calc "$(tail -n1 "$raw/up_curl_wall") / $(tail -n1 "$raw/up_lib_wall")")"
  add up_ratio_cpu "$(calc "$(tail -n1 "$raw/up_lib_cpu") / $(tail -n1 "$raw/up_curl_cpu")")"

  # The C example, unchanged (it logs in, submits, draws a progress bar on stderr).
  timed "$out/submit_safebox" "$big" >"$work/example.out" 2>/dev/null
  read -r w u s m <"$work/time"
  add ex_wall "$w"; add ex_rss "$m"
  guid=$(sed -n 's/^SafeBox GUID: //p' "$work/example.out")
  doc=$(curl -fsS "$endpoint/_emulator/safeboxes/$guid" | json_str id)
  [ -n "$doc" ] || die "no document in SafeBox $guid"

  # Download back the example's upload. The download's file needs memory not used since the
  # start of the run (given back to the host meanwhile): touch it first, untimed.
  prefault "$BIG_BYTES"
  download_lib() {
    run_bench download "$guid" "$doc" "$work/down.dat"
    [ "$(kv bytes "$work/kv")" = "$BIG_BYTES" ] || die "library download: wrong size"
    add down_lib_wall "$(kv wall_s "$work/kv")"
    add down_lib_cpu "$(kv cpu_s "$work/kv")"
    add down_lib_rss "$(kv maxrss_kib "$work/kv")"
    rm -f "$work/down.dat"
  }
  download_curl() {
    local url
    url=$(curl -fsS -H "Authorization-Token: $token" \
      "${base}api/v2/safeboxes/$guid/documents/$doc/url.json?user_email=$USER_EMAIL" | json_str url)
    run_cmd curl -fsS -o "$work/down.dat" "$url"
    [ "$(stat -c %s "$work/down.dat")" = "$BIG_BYTES" ] || die "curl download: wrong size"
    add down_curl_wall "$(kv wall_s "$work/kv")"
    add down_curl_cpu "$(kv cpu_s "$work/kv")"
    add down_curl_rss "$(kv maxrss_kib "$work/kv")"
    rm -f "$work/down.dat"
  }
  if [ $((r % 2)) = 1 ]; then download_lib; download_curl; else download_curl; download_lib; fi
  add down_ratio_thr "$(calc "$(tail -n1 "$raw/down_curl_wall") / $(tail -n1 "$raw/down_lib_wall")")"
  drop_uploads
done

# ---------------------------------------------------------------------------------------------
# 3: 32 attachments of 4 MiB with 20 ms of latency per request.
many_run() { # many_run SUFFIX: the three variants of measurement 3, samples named *SUFFIX
  run_bench submit-many "$MANY_N" "$MANY_SIZE" 1 "$work/many"
  add "many_c1$1" "$(kv wall_s "$work/kv")"
  run_bench submit-many "$MANY_N" "$MANY_SIZE" 0 "$work/many"
  add "many_def$1" "$(kv wall_s "$work/kv")"
  default_concurrency=$(kv concurrency "$work/kv")
  local c
  for c in 4 16; do   # what a smaller or a larger default gives (for information)
    run_bench submit-many "$MANY_N" "$MANY_SIZE" "$c" "$work/many"
    add "many_c$c$1" "$(kv wall_s "$work/kv")"
    add "many_speedup_c$c$1" "$(calc "$(tail -n1 "$raw/many_c1$1") / $(tail -n1 "$raw/many_c$c$1")")"
  done
  local t0 t1 url f
  t0=$(now)
  url=$(new_upload_url)
  for f in "$work"/many/att-*.dat; do
    curl -fsS -o /dev/null -F "file=@$f" "$url"
  done
  t1=$(now)
  add "many_curl$1" "$(calc "$t1 - $t0")"
  add "many_speedup$1" "$(calc "$(tail -n1 "$raw/many_c1$1") / $(tail -n1 "$raw/many_def$1")")"
  add "many_vs_curl$1" "$(calc "$(tail -n1 "$raw/many_curl$1") / $(tail -n1 "$raw/many_def$1")")"
  find "$work/data" -type f -size +8k -delete
}
for r in $(seq "$REPEAT"); do
  say "32 x 4 MiB with ${LATENCY_MS} ms latency (and without, for reference), run $r/$REPEAT"
  latency "$LATENCY_MS"
  many_run ""
  latency 0
  many_run _l0
done

# ---------------------------------------------------------------------------------------------
# 5: TCP connections accepted by the emulator during one full submit of 10 attachments by a
# fresh process (service discovery included), sequential and with the default concurrency,
# with and without the 20 ms latency (with it, the parallel uploads surely overlap).
# Reading the counters costs one connection each: measured, then subtracted.
s0=$(stat_field connections); s1=$(conns_after)
stats_cost=$((s1 - s0))
for lat in "$LATENCY_MS" 0; do
  latency "$lat"
  for r in $(seq "$REPEAT"); do
    say "connections of a 10-attachment submit (latency $lat ms), run $r/$REPEAT"
    for c in 1 0; do
      s0=$(stat_field connections)
      run_bench submit-many "$CONN_N" "$CONN_SIZE" "$c" "$work/conn" cold
      s1=$(conns_after)
      add "conn_c${c}_l${lat}" $((s1 - s0 - stats_cost))
    done
  done
done
find "$work/data" -type f -size +8k -delete

# ---------------------------------------------------------------------------------------------
# 4: per-call overhead: CALLS info calls through one client vs the same requests by one curl
# process reusing its connection.
{
  echo "header = \"Authorization-Token: $token\""
  for _ in $(seq "$CALLS"); do
    echo "url = \"$info_url\""
    echo 'output = "/dev/null"'
  done
} >"$work/curl-calls.cfg"
settings_url="${base}api/v2/enterprises/acme/settings.json?locale=en"
{
  echo "header = \"Authorization-Token: $token\""
  for _ in $(seq "$CALLS"); do
    echo "url = \"$settings_url\""
    echo 'output = "/dev/null"'
  done
} >"$work/curl-settings.cfg"
for r in $(seq "$REPEAT"); do
  say "$CALLS info calls, run $r/$REPEAT"
  cpu_ref
  s0=$(stat_field connections)
  run_bench calls "$CALLS" "$info_guid"
  s1=$(conns_after)
  add calls_lib_conn $((s1 - s0 - stats_cost))
  add calls_lib_us "$(kv per_call_us "$work/kv")"
  add calls_lib_cpu_us "$(calc "$(kv cpu_s "$work/kv") / $CALLS * 1e6")"
  s0=$(stat_field connections)
  run_cmd curl -fsS -K "$work/curl-calls.cfg"
  s1=$(conns_after)
  add calls_curl_conn $((s1 - s0 - stats_cost))
  add calls_curl_us "$(calc "$(kv wall_s "$work/kv") / $CALLS * 1e6")"
  add calls_curl_cpu_us "$(calc "$(kv cpu_s "$work/kv") / $CALLS * 1e6")"
  add calls_ratio "$(calc "$(tail -n1 "$raw/calls_lib_us") / $(tail -n1 "$raw/calls_curl_us")")"
  # for information: the same with a small answer (E5), the round trip without the decoding
  run_bench calls "$CALLS" "$info_guid" settings
  add e5_lib_us "$(kv per_call_us "$work/kv")"
  add e5_lib_cpu_us "$(calc "$(kv cpu_s "$work/kv") / $CALLS * 1e6")"
  run_cmd curl -fsS -K "$work/curl-settings.cfg"
  add e5_curl_us "$(calc "$(kv wall_s "$work/kv") / $CALLS * 1e6")"
  add e5_curl_cpu_us "$(calc "$(kv cpu_s "$work/kv") / $CALLS * 1e6")"
  add e5_ratio "$(calc "$(tail -n1 "$raw/e5_lib_us") / $(tail -n1 "$raw/e5_curl_us")")"
done
# The same response for both? (sizes of one answer)
lib_answer_bytes=$(curl -fsS -H "Authorization-Token: $token" "$info_url" | wc -c)

# ---------------------------------------------------------------------------------------------
# 6: threads sharing one client.
for r in $(seq "$REPEAT"); do
  say "$THREADS threads x $THREAD_CALLS calls, run $r/$REPEAT"
  run_bench threads 1 $((THREADS * THREAD_CALLS)) "$info_guid"
  add thr1 "$(kv calls_per_s "$work/kv")"
  run_bench threads "$THREADS" "$THREAD_CALLS" "$info_guid"
  add thrN "$(kv calls_per_s "$work/kv")"
  add thr_errors "$(kv errors "$work/kv")"
  add thr_ratio "$(calc "$(tail -n1 "$raw/thrN") / $(tail -n1 "$raw/thr1")")"
done

# ---------------------------------------------------------------------------------------------
# 7: size and start-up.
strip -o "$work/libsendsecure.so" "$lib/libsendsecure.so"
so_stripped=$(stat -c %s "$work/libsendsecure.so")
so_unstripped=$(stat -c %s "$lib/libsendsecure.so")
a_size=$(stat -c %s "$lib/libsendsecure.a")
for r in $(seq "$REPEAT"); do
  say "first call, run $r/$REPEAT"
  t0=$(now)
  run_bench first-call
  t1=$(now)
  add first_new_ms "$(calc "$(kv client_new_s "$work/kv") * 1000")"
  add first_call_ms "$(calc "$(kv first_call_s "$work/kv") * 1000")"
  add first_total_ms "$(calc "$(kv wall_s "$work/kv") * 1000")"
  add second_call_ms "$(calc "$(kv second_call_s "$work/kv") * 1000")"
  add first_process_ms "$(calc "($t1 - $t0) * 1000")"
  add first_rss "$(kv maxrss_kib "$work/kv")"
done

# ---------------------------------------------------------------------------------------------
# Report
mib=$((1024 * 1024))
gib_per_big=$(calc "$BIG_BYTES / 1073741824")
# derived per-run figures
while read -r w; do calc "$BIG_BYTES / $mib / $w"; echo; done <"$raw/up_lib_wall" >"$raw/up_lib_mibs"
while read -r w; do calc "$BIG_BYTES / $mib / $w"; echo; done <"$raw/up_curl_wall" >"$raw/up_curl_mibs"
while read -r c; do calc "$c / $gib_per_big"; echo; done <"$raw/up_lib_cpu" >"$raw/up_lib_cpu_gib"
while read -r c; do calc "$c / $gib_per_big"; echo; done <"$raw/up_curl_cpu" >"$raw/up_curl_cpu_gib"
while read -r w; do calc "$BIG_BYTES / $mib / $w"; echo; done <"$raw/down_lib_wall" >"$raw/down_lib_mibs"
while read -r w; do calc "$BIG_BYTES / $mib / $w"; echo; done <"$raw/down_curl_wall" >"$raw/down_curl_mibs"
while read -r c; do calc "$c / $gib_per_big"; echo; done <"$raw/down_lib_cpu" >"$raw/down_lib_cpu_gib"
while read -r c; do calc "$c / $gib_per_big"; echo; done <"$raw/down_curl_cpu" >"$raw/down_curl_cpu_gib"
thr_errors_total=$(awk '{ s += $1 } END { print s + 0 }' "$raw/thr_errors")

m_thr=$(med up_ratio_thr); m_cpu=$(med up_ratio_cpu)
m_ex_rss=$(calc "$(med ex_rss) / 1024"); m_up_rss=$(calc "$(med up_lib_rss) / 1024")
max_ex_rss=$(calc "$(stats ex_rss | cut -d' ' -f3) / 1024")
max_down_rss=$(calc "$(stats down_lib_rss | cut -d' ' -f3) / 1024")
m_down_rss=$(calc "$(med down_lib_rss) / 1024")
m_speedup=$(med many_speedup); m_vs_curl=$(med many_vs_curl)
m_calls=$(med calls_ratio)
conn_seq_max=$(sort -n "$raw/conn_c1_l${LATENCY_MS}" "$raw/conn_c1_l0" | tail -n1)
conn_par_max=$(sort -n "$raw/conn_c0_l${LATENCY_MS}" "$raw/conn_c0_l0" | tail -n1)

commit=$(bench_commit)
quick_note=""
[ "$QUICK" = 1 ] && quick_note=" **Quick mode (BENCH_QUICK=1): sizes reduced, figures not comparable with the targets.**"

e5_rows="| for information: wall per \`ss_get_enterprise_settings\` call (µs), a $(curl -fsS -H "Authorization-Token: $token" "$settings_url" | wc -c)-byte answer | $(cell e5_lib_us 1) | $(cell e5_curl_us 1) | $(cell e5_ratio 2) | | |
| for information: client CPU per \`ss_get_enterprise_settings\` call (µs) | $(cell e5_lib_cpu_us 1) | $(cell e5_curl_cpu_us 1) | | | |
"
tmp_results=$work/RESULTS.md
{
cat <<EOF
# libsendsecure benchmark results

Written by \`bash bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'); every figure comes from
that run (raw samples at the end), none is edited by hand.$quick_note
The SendSafely benchmark (\`bench/run-sendsafely.sh\`) writes
[RESULTS-sendsafely.md](RESULTS-sendsafely.md).

Each figure is the **median of $REPEAT runs, with the spread (min–max)** in parentheses. In each
run the library and its baseline are measured back to back against the same emulator
(\`sendsecure-emulator --control\`, release build, on the same machine: it shares the CPUs with
the client being measured). Ratios are the medians of the per-run ratios.

## Machine

| | |
|---|---|
$(machine_rows)
| C compiler | $(cc --version | head -n1) |
| curl | $(curl --version | head -n1 | cut -d' ' -f1-2) |
| library | libsendsecure $(grep -m1 '^version' Cargo.toml | cut -d'"' -f2), commit $commit, release profile |
| date | $(date -u '+%Y-%m-%d %H:%M:%S UTC') |
| CPU speed reference | \`sha256sum\` of 64 MiB, CPU s: $(cell cpu_ref 3), measured $(wc -l <"$raw/cpu_ref") times during the run (its spread is the machine's own variation) |
| run | BENCH_REPEAT=$REPEAT, BENCH_QUICK=$QUICK; temporary files in $tmpbase ($(df -P "$tmpbase" | awk 'NR == 2 { print $1 }')); load average before the run: $load_before |

## Targets

| # | target | measured (median) | met |
|---|---|---|---|
| 1 | upload throughput ≥ 0.9× curl | $(printf %.2f "$m_thr")× | $(yes_no "$m_thr >= 0.9") |
| 1 | CPU per GiB ≤ 1.5× curl's | $(printf %.2f "$m_cpu")× | $(yes_no "$m_cpu <= 1.5") |
| 2 | peak RSS < 64 MiB, C example uploading ${BIG_MIB} MiB | $(printf %.1f "$m_ex_rss") MiB (max $(printf %.1f "$max_ex_rss")) | $(yes_no "$max_ex_rss < 64") |
| 2 | peak RSS < 64 MiB, downloading it back | $(printf %.1f "$m_down_rss") MiB (max $(printf %.1f "$max_down_rss")) | $(yes_no "$max_down_rss < 64") |
| 3 | default concurrency ≥ 4× faster than concurrency 1 | $(printf %.2f "$m_speedup")× | $(yes_no "$m_speedup >= 4") |
| 3 | default concurrency faster than 32 sequential curl calls | $(printf %.2f "$m_vs_curl")× faster | $(yes_no "$m_vs_curl > 1") |
| 4 | per-call overhead ≤ 1.25× curl keep-alive | $(printf %.2f "$m_calls")× | $(yes_no "$m_calls <= 1.25") |
| 5 | 1 TCP connection for a sequential submit | max $conn_seq_max | $(yes_no "$conn_seq_max == 1") |
| 5 | ≤ concurrency ($default_concurrency) connections for a parallel submit | max $conn_par_max | $(yes_no "$conn_par_max <= $default_concurrency") |
| 6 | $THREADS threads sharing one client: no error | $thr_errors_total errors | $(yes_no "$thr_errors_total == 0") |

"met" for the RSS and connection targets uses the worst run, the others the median.

## 1. Upload of a ${BIG_MIB} MiB attachment: library vs curl

Library: \`ss_submit_safebox\` of one file attachment, with a progress callback (\`ss_bench
upload\`; wall and CPU of that call: SafeBox initialization, the upload and the commit). curl:
\`curl -F file=@FILE UPLOAD_URL\` to the upload URL of a new SafeBox (E1 just before, untimed;
wall, CPU and peak RSS of the whole curl process, from \`ss_bench run\`: fork, exec, waitpid,
getrusage(RUSAGE_CHILDREN)). Both send one multipart body to the same emulator, which stores it
in memory (tmpfs) and computes its SHA-256; each stored upload is deleted right after. CPU is
user+sys of every thread of the process.

| figure | library | curl | library/curl | target | met |
|---|---|---|---|---|---|
| wall time (s) | $(cell up_lib_wall 3) | $(cell up_curl_wall 3) | | | |
| throughput (MiB/s) | $(cell up_lib_mibs 0) | $(cell up_curl_mibs 0) | $(cell up_ratio_thr 2) | ≥ 0.9 | $(yes_no "$m_thr >= 0.9") |
| CPU user+sys per GiB (s) | $(cell up_lib_cpu_gib 3) | $(cell up_curl_cpu_gib 3) | $(cell up_ratio_cpu 2) | ≤ 1.5 | $(yes_no "$m_cpu <= 1.5") |
| peak RSS (MiB) | $(cell up_lib_rss 1 0.0009765625) | $(cell up_curl_rss 1 0.0009765625) | | | |

## 2. Peak RSS with a ${BIG_MIB} MiB file

| process | peak RSS (MiB) | wall (s) | target | met |
|---|---|---|---|---|
| \`examples/c/submit_safebox FILE\` (unchanged C example: login, submit, progress bar), GNU time %M | $(cell ex_rss 1 0.0009765625) | $(cell ex_wall 3) | < 64 | $(yes_no "$max_ex_rss < 64") |
| \`ss_bench upload FILE\` (ru_maxrss) | $(cell up_lib_rss 1 0.0009765625) | $(cell up_lib_wall 3) | < 64 | $(yes_no "$(stats up_lib_rss | cut -d' ' -f3) / 1024 < 64") |
| \`ss_bench download\`: \`ss_download_document\` of the example's upload to a file (ru_maxrss) | $(cell down_lib_rss 1 0.0009765625) | $(cell down_lib_wall 3) | < 64 | $(yes_no "$max_down_rss < 64") |
| curl downloading the same document URL (for comparison) | $(cell down_curl_rss 1 0.0009765625) | $(cell down_curl_wall 3) | | |

Download throughput, for information: library $(cell down_lib_mibs 0) MiB/s with
$(cell down_lib_cpu_gib 3) CPU s/GiB; curl $(cell down_curl_mibs 0) MiB/s with
$(cell down_curl_cpu_gib 3) CPU s/GiB; ratio library/curl throughput $(cell down_ratio_thr 2).

## 3. 32 attachments of 4 MiB, ${LATENCY_MS} ms latency per request

\`ss_submit_safebox\` of $MANY_N file attachments of $((MANY_SIZE / mib)) MiB while the emulator adds
${LATENCY_MS} ms to every request (\`PUT /_emulator/latency\`). The client did its service
discovery and opened a connection before (one untimed call); the timed call initializes the
SafeBox, uploads and commits. curl: one E1 call then $MANY_N curl processes one after the other
(no commit), timed as a whole.

| figure | time (s) | speed-up of the default | target | met |
|---|---|---|---|---|
| library, \`upload_concurrency\` = 1 | $(cell many_c1 3) | $(cell many_speedup 2)× | ≥ 4× | $(yes_no "$m_speedup >= 4") |
| library, default concurrency ($default_concurrency) | $(cell many_def 3) | | | |
| $MANY_N sequential curl calls | $(cell many_curl 3) | $(cell many_vs_curl 2)× | > 1× | $(yes_no "$m_vs_curl > 1") |
| for information: library, \`upload_concurrency\` = 4 | $(cell many_c4 3) | (concurrency 4 vs 1) $(cell many_speedup_c4 2)× | | |
| for information: library, \`upload_concurrency\` = 16 | $(cell many_c16 3) | (concurrency 16 vs 1) $(cell many_speedup_c16 2)× | | |

The same without latency, for reference (what the transfer itself costs on this machine):

| figure | time (s) | speed-up of the default |
|---|---|---|
| library, \`upload_concurrency\` = 1 | $(cell many_c1_l0 3) | $(cell many_speedup_l0 2)× |
| library, default concurrency ($default_concurrency) | $(cell many_def_l0 3) | |
| library, \`upload_concurrency\` = 4 | $(cell many_c4_l0 3) | (4 vs 1) $(cell many_speedup_c4_l0 2)× |
| library, \`upload_concurrency\` = 16 | $(cell many_c16_l0 3) | (16 vs 1) $(cell many_speedup_c16_l0 2)× |
| $MANY_N sequential curl calls | $(cell many_curl_l0 3) | $(cell many_vs_curl_l0 2)× |

## 4. Per-call overhead

$CALLS \`$info_call\` calls through one client (after one untimed first call), vs the
same $CALLS GET requests made by one curl process reusing its connection (\`curl -K\` with
$CALLS \`url\` lines, whole process timed). URL: \`${info_url/$base/\{base\}}\` ($lib_answer_bytes bytes
per answer). Latency 0.

| figure | library | curl | library/curl | target | met |
|---|---|---|---|---|---|
| wall per call (µs) | $(cell calls_lib_us 1) | $(cell calls_curl_us 1) | $(cell calls_ratio 2) | ≤ 1.25 | $(yes_no "$m_calls <= 1.25") |
| client CPU per call (µs) | $(cell calls_lib_cpu_us 1) | $(cell calls_curl_cpu_us 1) | | | |
| TCP connections opened | $(cell calls_lib_conn 0) | $(cell calls_curl_conn 0) | | | |
$e5_rows
## 5. TCP connections of one submit of $CONN_N attachments

Connections accepted by the emulator (\`GET /_emulator/stats\` before, and 0.3 s after the
process has ended; the counter's own connection subtracted) while a fresh process creates a client and submits $CONN_N attachments
of $((CONN_SIZE / mib)) MiB: service discovery, enterprise settings, initialization, uploads,
commit.

| submit | connections | target | met |
|---|---|---|---|
| sequential (\`upload_concurrency\` = 1), ${LATENCY_MS} ms latency | $(cell conn_c1_l${LATENCY_MS} 0) | 1 | $(yes_no "$(sort -n "$raw/conn_c1_l${LATENCY_MS}" | tail -n1) == 1") |
| sequential, no latency | $(cell conn_c1_l0 0) | 1 | $(yes_no "$(sort -n "$raw/conn_c1_l0" | tail -n1) == 1") |
| default concurrency ($default_concurrency), ${LATENCY_MS} ms latency | $(cell conn_c0_l${LATENCY_MS} 0) | ≤ $default_concurrency | $(yes_no "$(sort -n "$raw/conn_c0_l${LATENCY_MS}" | tail -n1) <= $default_concurrency") |
| default concurrency, no latency | $(cell conn_c0_l0 0) | ≤ $default_concurrency | $(yes_no "$(sort -n "$raw/conn_c0_l0" | tail -n1) <= $default_concurrency") |

## 6. Threads sharing one client

$THREADS pthreads share one \`const ss_client *\`, each making $THREAD_CALLS \`$info_call\` calls
(started together by a barrier), vs 1 thread making the same $((THREADS * THREAD_CALLS)) calls alone.
Latency 0.

| figure | 1 thread | $THREADS threads | $THREADS threads / 1 thread | errors |
|---|---|---|---|---|
| calls per second | $(cell thr1 0) | $(cell thrN 0) | $(cell thr_ratio 2)× | $thr_errors_total of $((REPEAT * THREADS * THREAD_CALLS)) calls |

## 7. Size and start-up

| figure | value |
|---|---|
| \`libsendsecure.so\`, stripped (\`strip\`) | $so_stripped bytes ($(calc "$so_stripped / $mib" | xargs printf %.2f) MiB) |
| \`libsendsecure.so\` as built (release profile) | $so_unstripped bytes ($(calc "$so_unstripped / $mib" | xargs printf %.2f) MiB) |
| \`libsendsecure.a\` as built, unstripped | $a_size bytes ($(calc "$a_size / $mib" | xargs printf %.2f) MiB) |
| \`ss_client_new\` (ms) | $(cell first_new_ms 3) |
| first \`ss_get_enterprise_settings\` after it (ms): I/O threads start, discovery, connection, E5 | $(cell first_call_ms 3) |
| \`ss_client_new\` + first call (ms) | $(cell first_total_ms 3) |
| second call (ms), for comparison | $(cell second_call_ms 3) |
| whole \`ss_bench first-call\` process, exec to exit (ms) | $(cell first_process_ms 1) |
| peak RSS of that process (MiB) | $(cell first_rss 1 0.0009765625) |

## Raw samples

One value per run, in run order (seconds, KiB, µs or ms as named; \`_rss\` in KiB).

| metric | samples |
|---|---|
EOF
for f in "$raw"/*; do
  printf '| %s | %s |\n' "$(basename "$f")" "$(paste -sd' ' "$f")"
done
} >"$tmp_results"
mv "$tmp_results" "$results"
say "wrote $results (raw log: $log)"
