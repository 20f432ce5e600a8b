# Shared by the scripts in this folder: where things are, and installing what is missing.
# shellcheck shell=bash

QG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
QG_APT_PACKAGES=(pkg-config libxml2-dev libyaml-dev libicu-dev liblzma-dev zlib1g-dev libpq-dev libcurl4-openssl-dev)
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
    "$QG_VENV/bin/python" -m pip install -q --disable-pip-version-check -r <(grep -Ev '^[^#].*# no-deps' "$requirements") >&2
    local -a nodeps
    mapfile -t nodeps < <(grep -E '^[^#].*# no-deps' "$requirements" | sed 's/ *#.*//')
    if [ "${#nodeps[@]}" -gt 0 ]; then
      "$QG_VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps "${nodeps[@]}" >&2
    fi
    cp "$requirements" "$stamp"
  fi
}

# Real requirements files from the sdists of projects that keep theirs in a requirements/ folder
# (celery, kombu, amqp, vine, billiard): part of the pip corpus test's truth. Downloaded once into
# the venv, nothing committed; offline, the test runs on the hand-written corpus alone. Prints the folder.
qg_requirements_corpus() {
  local folder="$QG_VENV/corpus/requirements"
  if [ ! -f "$folder/.complete" ]; then
    rm -rf "$folder" && mkdir -p "$folder/sdists"
    if "$QG_VENV/bin/python" -m pip download -q --disable-pip-version-check --no-deps --no-binary :all: -d "$folder/sdists" \
         celery==5.4.0 kombu==5.4.2 amqp==5.2.0 vine==5.1.0 billiard==4.2.1 >&2 2>/dev/null; then
      "$QG_VENV/bin/python" - "$folder" <<'PY_EXTRACT'
import pathlib, re, sys, tarfile
folder = pathlib.Path(sys.argv[1])
for sdist in sorted((folder / "sdists").glob("*.tar.gz")):
    with tarfile.open(sdist) as archive:
        members = [m for m in archive.getmembers() if m.isfile() and re.search(r"(^|/)requirements[^/]*(/.*)?\.txt$", m.name)]
        archive.extractall(folder, members=members, filter="data")
PY_EXTRACT
      touch "$folder/.complete"
    else
      qg_say "could not download the requirements corpus (offline?); the pip comparison uses the hand-written files only"
    fi
  fi
  echo "$folder"
}

# Release builds link everything statically but libc: the Swift runtime (--static-swift-stdlib)
# and the C libraries. Start-up is a benchmarked figure, and loading Foundation's and libxml2's
# shared ICU cost more than the rest of a build-target run. SwiftPM takes its link flags from
# pkg-config, so pkg-config is pointed at files naming a folder that holds only the archives.
qg_static_pkgconfig() {
  local folder="$QG_ROOT/.build-static-libs"
  local lib_dir
  lib_dir="$(pkg-config --variable=libdir libxml-2.0)"
  mkdir -p "$folder/pkgconfig"
  for library in xml2 yaml icuuc icudata lzma z; do
    ln -sf "$lib_dir/lib$library.a" "$folder/lib$library.a"
  done
  cat > "$folder/pkgconfig/libxml-2.0.pc" <<PC
Name: libxml-2.0
Description: libxml2, linked statically by quality-gates' release build
Version: $(pkg-config --modversion libxml-2.0)
Cflags: $(pkg-config --cflags libxml-2.0)
Libs: -L$folder -lxml2 -licuuc -licudata -llzma -lz -lstdc++ -lm
PC
  cat > "$folder/pkgconfig/yaml-0.1.pc" <<PC
Name: yaml-0.1
Description: libyaml, linked statically by quality-gates' release build
Version: $(pkg-config --modversion yaml-0.1)
Cflags: $(pkg-config --cflags yaml-0.1)
Libs: -L$folder -lyaml
PC
  printf '%s\n' "$folder/pkgconfig"
}

# Builds the binary when it is missing or older than the sources, and prints its path. Release
# builds are static (above) in their own scratch folder; debug builds are the usual .build.
qg_build() {
  local configuration="$1"
  local -a flags=(-c "$configuration")
  local -a environment=()
  if [ "$configuration" = release ]; then
    # A position-dependent executable: the loader has no 47,000 relocations to apply to the
    # statically linked standard library at every start (0.5 ms of a 14 ms build run).
    flags+=(--static-swift-stdlib --scratch-path "$QG_ROOT/.build-release" -Xswiftc -Xclang-linker -Xswiftc -no-pie)
    environment=(PKG_CONFIG_PATH="$(qg_static_pkgconfig)")
  fi
  local folder bin helper
  folder="$(cd "$QG_ROOT" && env "${environment[@]}" swift build "${flags[@]}" --show-bin-path)"
  bin="$folder/quality-gates"
  # graphql_documents checks spawn the validator that sits beside the binary.
  helper="$folder/quality-gates-graphql"
  for product in "$bin" "$helper"; do
    if [ ! -x "$product" ] || [ -n "$(cd "$QG_ROOT" && find Sources Package.swift -newer "$product" -print -quit)" ]; then
      qg_say "building $(basename "$product") ($configuration)"
      # `|| return`: callers read the path with $(qg_build …), where set -e does not reach.
      (cd "$QG_ROOT" && env "${environment[@]}" swift build "${flags[@]}" --product "$(basename "$product")" >&2) || return 1
    fi
  done
  printf '%s\n' "$bin"
}

# Closes every file descriptor of the current (sub)shell but stdin, stdout and stderr, before it
# starts servers that stay running: they must not keep a descriptor their caller waits on
# (Foundation's Process, for one, learns that a child ended when a socket it passed down closes).
# Call it in a subshell: `(qg_close_inherited_fds; exec server …) &`.
qg_close_inherited_fds() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd="${fd##*/}"
    [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null
  done
  return 0
}
