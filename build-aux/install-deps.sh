#!/usr/bin/env bash
# Installs every Debian package dbtrigger needs to build, test and run.
# Idempotent: packages already present are skipped. Works as root (CI) or
# through sudo (a developer's machine).
set -euo pipefail

packages=(
  # build
  meson ninja-build pkg-config gcc clang libclang-rt-14-dev gettext
  # libraries
  libglib2.0-dev libjson-glib-dev libcurl4-openssl-dev libssl-dev
  libgtk-4-dev libadwaita-1-dev libsecret-1-dev
  # packaging the handler, running the console headless, checks
  zip unzip patchelf xvfb xauth dbus libgtk-4-bin
  desktop-file-utils appstream libglib2.0-bin valgrind libxml2-utils
  # the local stack's helpers
  curl procps
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all Debian packages present"
fi

# Tools that are not Debian packages.
here="$(cd "$(dirname "$0")" && pwd)"
"$here/tools.sh" check
