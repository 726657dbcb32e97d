# Shell helpers shared by bench/run.sh and bench/run-sendsafely.sh (sourced, not run). The
# caller sets `raw` (the directory of raw samples, one file per metric, one value per line) and
# `work` (its temporary directory) before using add, stats, cell or prefault.

say() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

# need COMMAND PACKAGE: installs PACKAGE with apt-get when COMMAND is missing and we are root.
apt_updated=0
need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || die "$1 is missing: install the package $2"
  if [ "$apt_updated" = 0 ]; then
    say "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    apt_updated=1
  fi
  say "installing $2"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >&2
}

# bench_tmpbase KIB: where the temporary files go: BENCH_TMPDIR, else memory (/dev/shm) when it
# has KIB free (so that the disk, its writeback and ext4's discards when the GiB files are
# deleted, does not enter the figures of the client), else /var/tmp.
bench_tmpbase() {
  if [ -n "${BENCH_TMPDIR:-}" ]; then
    echo "$BENCH_TMPDIR"
  elif [ -d /dev/shm ] && [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -ge "$1" ]; then
    echo /dev/shm
  else
    echo /var/tmp
  fi
}

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
kv() { sed -n "s/^$1=//p" "$2"; }
add() { echo "$2" >>"$raw/$1"; }

# Pre-touch memory the run will use (the temporary files live in memory): on a virtual machine,
# the first use of a guest page costs a fault in the host, which would land on whichever
# transfer first needs more memory than before (measured: 4 s of CPU instead of 1 for a 1 GiB
# download). Freed pages are reused afterwards.
prefault() { # BYTES
  head -c "$1" /dev/zero >"$work/prefault.dat"
  rm -f "$work/prefault.dat"
}

stats() { # METRIC -> "median min max"
  sort -g "$raw/$1" | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.10g %.10g %.10g\n", m, v[1], v[NR] }'
}
med() { stats "$1" | cut -d' ' -f1; }
maxof() { stats "$1" | cut -d' ' -f3; }
# cell METRIC DECIMALS [SCALE]: "median (min–max)", values multiplied by SCALE
cell() {
  stats "$1" | awk -v d="$2" -v k="${3:-1}" '{ printf "%.*f (%.*f–%.*f)", d, $1 * k, d, $2 * k, d, $3 * k }'
}
yes_no() { if awk "BEGIN { exit !($1) }"; then echo yes; else echo "**no**"; fi; }

# The first rows of the machine table of a report.
machine_rows() {
  echo "| CPU | $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), $(nproc) logical CPUs (\`nproc\`) |"
  echo "| memory | $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) |"
  echo "| kernel | $(uname -srm) |"
  echo "| rustc | $(rustc --version) |"
}

# The commit measured, flagged when the tree has changes.
bench_commit() {
  local commit
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [ -n "$(git status --porcelain 2>/dev/null)" ]; then commit="$commit (with uncommitted changes)"; fi
  echo "$commit"
}
