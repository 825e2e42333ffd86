#!/usr/bin/env bash
# Installs bagboard into ./.venv, plus the RAR tool where this user may install system packages.
#   scripts/setup.sh          the server
#   scripts/setup.sh --dev    the server and everything the tests and linters need
#   scripts/setup.sh --bench  the server, wrk (with apt) and py-spy, for bench/clu.py
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
bench=""
for arg in "$@"; do
  case "$arg" in
    --dev) extras="[dev]" ;;
    --bench) bench=1 ;;
    *) echo "usage: scripts/setup.sh [--dev] [--bench]" >&2; exit 2 ;;
  esac
done

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "bagboard needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)" >&2
  exit 1
fi

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"; else return 1; fi
}

# Debian and Ubuntu ship venv separately from Python itself.
if ! "$PYTHON" -m venv --help >/dev/null 2>&1 || ! "$PYTHON" -c 'import ensurepip' 2>/dev/null; then
  as_root apt-get install -y -qq python3-venv >/dev/null || {
    echo "python3 -m venv is unavailable: install the python3-venv package" >&2
    exit 1
  }
fi

bash scripts/install-unrar.sh || echo "warning: the RAR tool could not be installed; compressed CBR files will be unreadable" >&2

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}"
if [ -n "$extras" ]; then
  # The OPDS acceptance tests drive a real reader, ComicCatcher. Only its Qt-free client layer
  # is used, so it is installed without its dependencies (PyQt6, PyMuPDF...), then given the
  # two it needs. Two commands: --no-deps would otherwise also apply to httpx and pydantic.
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps "comiccatcher==0.7.5"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "httpx>=0.27" "pydantic>=2"
  # The web app's browser tests drive Debian's Chromium through its chromedriver (Selenium is
  # told where both are, so it never downloads a browser of its own).
  if ! { command -v chromium >/dev/null && command -v chromedriver >/dev/null; }; then
    { as_root apt-get update -qq && as_root apt-get install -y -qq chromium chromium-driver >/dev/null; } ||
      echo "warning: chromium and chromium-driver could not be installed; the browser tests (tests/system/test_web_*.py) need them" >&2
  fi
  # The durability tests watch a real server's system calls (the WAL synced before the answer).
  if ! command -v strace >/dev/null; then
    { as_root apt-get update -qq && as_root apt-get install -y -qq strace >/dev/null; } ||
      echo "warning: strace could not be installed; tests/system/test_durable_writes.py needs it" >&2
  fi
fi
if [ -n "$bench" ]; then
  if ! command -v wrk >/dev/null; then
    { as_root apt-get update -qq && as_root apt-get install -y -qq wrk >/dev/null; } || {
      echo "wrk could not be installed: install the wrk package to run the HTTP benchmarks" >&2
      exit 1
    }
  fi
  .venv/bin/python -m pip install --quiet --disable-pip-version-check py-spy
fi
echo "bagboard installed in $(pwd)/.venv" >&2
