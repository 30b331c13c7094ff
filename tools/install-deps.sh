#!/bin/sh
# Installs what shmview needs to build, test and run, from Debian 12's
# packages. Does nothing when everything is there already. Uses sudo when not
# run as root.
set -eu

packages="meson ninja-build pkg-config gcc libc6-dev libgtk-4-dev libglib2.0-dev
libglib2.0-bin libpng-dev libxxhash-dev libjson-glib-dev gettext xvfb xauth libgl1-mesa-dri fonts-wqy-microhei
desktop-file-utils appstream imagemagick xdotool x11-utils python3 man-db
clang libclang-rt-14-dev valgrind xxhash procps
g++ qt6-base-dev qtbase5-examples
libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev gstreamer1.0-tools
gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad"

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "Installing:$missing"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
# The package lists have a lock of their own, which DPkg::Lock::Timeout does
# not cover: wait for another apt-get to finish with them.
tries=0
until $sudo apt-get update -q -o DPkg::Lock::Timeout=300; do
  tries=$((tries + 1))
  [ $tries -lt 30 ] || exit 1
  sleep 10
done
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 $missing
