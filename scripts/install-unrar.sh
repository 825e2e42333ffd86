#!/usr/bin/env bash
# Install RARLAB's unrar so compressed and solid CBR comics can be read.
#
# Idempotent: does nothing when a RAR5-capable unrar is already on PATH. Otherwise, when running
# as root (or with passwordless sudo), enables Debian's non-free component and installs the
# `unrar` package. It never installs `unrar-free`: that package cannot decode RAR5 and takes over
# /usr/bin/unrar. When nothing can be installed it prints one warning and exits 0, because the
# server still works; compressed RAR is then reported unavailable.
set -euo pipefail

SOURCES_DEB822=/etc/apt/sources.list.d/debian.sources
SOURCES_LIST=/etc/apt/sources.list

warn() {
    echo "install-unrar: warning: $*; compressed RAR (.cbr) comics will be unreadable" >&2
    exit 0
}

# RARLAB's banner reads "UNRAR 6.21 freeware ... Alexander Roshal"; RAR5 arrived in version 5.
unrar_ok() {
    local banner major
    command -v unrar >/dev/null 2>&1 || return 1
    banner="$(unrar 2>/dev/null | grep -m1 -i '^unrar ' || true)"
    [[ "$banner" == *Roshal* ]] || return 1
    major="$(sed -E 's/^UNRAR ([0-9]+).*/\1/I' <<<"$banner")"
    [[ "$major" =~ ^[0-9]+$ ]] && ((major >= 5))
}

if unrar_ok; then
    exit 0
fi

if [[ "$(id -u)" -eq 0 ]]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    warn "unrar is missing and this user cannot install packages"
fi

command -v apt-get >/dev/null 2>&1 || warn "unrar is missing and apt-get is not available"

# Add `non-free` as a whole word (not to be confused with `non-free-firmware`) to every
# Components: line of a deb822 source that lacks it.
enable_nonfree_deb822() {
    "${SUDO[@]}" sed -i -E \
        '/^Components:/{/(^|[[:space:]])non-free([[:space:]]|$)/!s/[[:space:]]*$/ non-free/}' \
        "$SOURCES_DEB822"
}

# Same for one-line `deb URI suite components...` entries.
enable_nonfree_list() {
    "${SUDO[@]}" sed -i -E \
        '/^deb[[:space:]]/{/[[:space:]]non-free([[:space:]]|$)/!s/[[:space:]]*$/ non-free/}' \
        "$SOURCES_LIST"
}

if [[ -f "$SOURCES_DEB822" ]]; then
    enable_nonfree_deb822
elif [[ -f "$SOURCES_LIST" ]]; then
    enable_nonfree_list
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq || warn "apt-get update failed"
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends unrar \
    || warn "apt-get install unrar failed"

# A previously installed unrar-free may still own /usr/bin/unrar through alternatives.
if ! unrar_ok && [[ -x /usr/bin/unrar-nonfree ]] && command -v update-alternatives >/dev/null; then
    "${SUDO[@]}" update-alternatives --set unrar /usr/bin/unrar-nonfree >/dev/null 2>&1 || true
fi

unrar_ok || warn "unrar was installed but does not report RAR5 support"
echo "install-unrar: $(unrar 2>/dev/null | grep -m1 -i '^unrar ')"
