#!/usr/bin/env bash
# Makes sure the tools the tests need are here: installs the missing ones with apt-get when it
# can (root on Debian or Ubuntu), otherwise stops with one line naming them and the command
# that installs them. Run by ./scripts/test.sh before it builds anything, and by .ci/run.
set -euo pipefail

# command:Debian package
tools=(cc:gcc c++:g++ make:make valgrind:valgrind pkg-config:pkg-config cmake:cmake python3:python3 gpg:gnupg node:nodejs npm:npm)
missing=()
for tool in "${tools[@]}"; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool##*:}")
done
# The Python binding's tests run in a venv (Debian splits venv and ensurepip out of python3).
if command -v python3 >/dev/null 2>&1 && ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  missing+=(python3-venv)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "missing: ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
exit 1
