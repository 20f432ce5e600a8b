# Shared by the scripts in this folder: where things are, and installing what is missing.
# shellcheck shell=bash

QG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
QG_APT_PACKAGES=(pkg-config libxml2-dev libyaml-dev)
QG_VENV="$QG_ROOT/.venv-test"

qg_say() { printf '%s\n' "$*" >&2; }

# Installs the Debian packages that are not installed yet (apt-get update once, only when needed).
qg_ensure_apt() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  qg_say "installing ${missing[*]} (apt-get)"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}

# Makes the Python venv for test fixtures and benchmarks, installing the listed requirements.
qg_ensure_venv() {
  local requirements="$QG_ROOT/scripts/lib/test-requirements.txt"
  local stamp="$QG_VENV/.requirements"
  if [ ! -x "$QG_VENV/bin/python" ]; then
    qg_say "creating $QG_VENV"
    python3 -m venv "$QG_VENV" >&2 || { qg_ensure_apt python3-venv && python3 -m venv "$QG_VENV" >&2; }
  fi
  if ! cmp -s "$requirements" "$stamp"; then
    qg_say "installing test requirements into $QG_VENV (pip)"
    "$QG_VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements" >&2
    cp "$requirements" "$stamp"
  fi
}

# Builds the binary in the given configuration when it is missing or older than the sources;
# prints its path.
qg_build() {
  local configuration="$1"
  local bin_dir
  bin_dir="$(cd "$QG_ROOT" && swift build -c "$configuration" --show-bin-path)"
  local bin="$bin_dir/quality-gates"
  if [ ! -x "$bin" ] || [ -n "$(cd "$QG_ROOT" && find Sources Package.swift -newer "$bin" -print -quit)" ]; then
    qg_say "building quality-gates ($configuration)"
    (cd "$QG_ROOT" && swift build -c "$configuration" --product quality-gates >&2)
  fi
  printf '%s\n' "$bin"
}
