#!/bin/sh
# Installs the build into a temporary DESTDIR, checks that everything a user
# and a packager expect is there, then builds and runs a small C program
# against the installed library through pkg-config.
#   check-install.sh BUILDDIR SOURCEDIR [gstreamer]
# With "gstreamer", the GStreamer plugin is expected too, and gst-inspect-1.0
# must find its elements where it was installed.
set -eu
builddir=$1
srcdir=$2
gstreamer=${3:-}
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

meson install -C "$builddir" --destdir "$dest" --no-rebuild --quiet >/dev/null
prefix=$(meson introspect "$builddir" --buildoptions |
  python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
root="$dest$prefix"
app_id=io.github.shmview.Shmview

status=0
expect() {
  for pattern in "$@"; do
    # shellcheck disable=SC2086
    if ! ls $root/$pattern >/dev/null 2>&1; then
      echo "not installed: $prefix/$pattern"
      status=1
    fi
  done
}
# The library directory is lib/ or lib/<multiarch>/, as meson decides.
libdir=$(meson introspect "$builddir" --buildoptions |
  python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="libdir"][0])')
expect bin/shmview-ctl bin/shmview-bench \
  "$libdir/libshmview.so.1" "$libdir/libshmview.so.1.*" "$libdir/libshmview.so" \
  "$libdir/pkgconfig/shmview.pc" \
  include/shmview/shmview.h include/shmview/shmv-segment.h include/shmview/shmv-semaphore.h \
  include/shmview/shmv-channel.h include/shmview/shmv-channel-list.h include/shmview/shmv-watch.h \
  include/shmview/shmv-png.h include/shmview/shmv-error.h include/shmview/shmv-frame.h \
  share/man/man1/shmview.1 share/man/man1/shmview-ctl.1
if [ -e "$root/bin/shmview" ]; then
  expect "share/applications/$app_id.desktop" "share/metainfo/$app_id.metainfo.xml" \
    "share/icons/hicolor/scalable/apps/$app_id.svg" \
    "share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
fi
plugin="$libdir/gstreamer-1.0/libgstshmview.so"
[ -n "$gstreamer" ] && expect "$plugin"
for lang in $(cat "$srcdir/po/LINGUAS" 2>/dev/null); do
  expect "share/locale/$lang/LC_MESSAGES/shmview.mo"
done
[ $status = 0 ] || exit 1

# No installed program or library knows where it was built: neither a path
# compiled in nor the compiler's record of its working directory.
build_abs=$(cd "$builddir" && pwd -P)
for f in "$root"/bin/* "$root/$libdir"/libshmview.so.1.* $([ -n "$gstreamer" ] && echo "$root/$plugin"); do
  if strings -a "$f" | grep -F -q -e "$build_abs" -e "$builddir"; then
    echo "$f names the build directory $build_abs:"
    strings -a "$f" | grep -F -e "$build_abs" -e "$builddir" | head -n 5
    exit 1
  fi
done

# The soname is versioned.
lib=$(ls "$root/$libdir"/libshmview.so.1.* | head -n 1)
objdump -p "$lib" | grep -q 'SONAME *libshmview.so.1$' || { echo "bad soname in $lib"; exit 1; }

# GStreamer finds the installed plugin (and nothing of the build tree: a
# registry and a plugin path of this check's own) and lists both elements.
if [ -n "$gstreamer" ]; then
  # A sanitized build's plugin needs the sanitizers' runtimes preloaded into
  # gst-inspect-1.0 (tests/meson.build: sanitizer_preload); GStreamer's own
  # allocations that live until exit are not ours to report.
  inspect=$(GST_REGISTRY="$dest/registry.bin" GST_PLUGIN_PATH="$root/$libdir/gstreamer-1.0" \
    LD_LIBRARY_PATH="$root/$libdir" LD_PRELOAD="${SHMV_SANITIZER_PRELOAD:-}" \
    ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0" \
    gst-inspect-1.0 shmview 2>&1) || {
    echo "gst-inspect-1.0 does not load the installed plugin:"
    echo "$inspect"
    exit 1
  }
  for element in shmviewsink shmviewsrc; do
    echo "$inspect" | grep -q "^  $element:" || { echo "the installed plugin has no $element:"; echo "$inspect"; exit 1; }
  done
  echo "installed plugin: $(echo "$inspect" | grep -c '^  shmview')" elements
fi

# A program that knows only the installed headers and pkg-config.
pcdir="$root/$libdir/pkgconfig"
cat > "$dest/client.c" <<'C'
#include <shmview/shmview.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main (void)
{
  char key[64];
  ShmvSegment *a, *b;

  snprintf (key, sizeof key, "test-%d-install", (int) getpid ());
  a = shmv_segment_new (key);
  b = shmv_segment_new (key);
  if (!shmv_segment_create (a, 100, SHMV_ACCESS_READ_WRITE) || !shmv_segment_attach (b, SHMV_ACCESS_READ_ONLY))
    return fprintf (stderr, "%s%s\n", shmv_segment_error_string (a), shmv_segment_error_string (b)), 1;
  strcpy (shmv_segment_data (a), "through shared memory");
  printf ("%s, libshmview %s\n", (char *) shmv_segment_data (b), shmv_version_string ());
  shmv_segment_free (b);
  shmv_segment_free (a);
  return 0;
}
C
# A sanitized build's library needs its client built the same way.
sanitize=$(meson introspect "$builddir" --buildoptions |
  python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="b_sanitize"][0])')
cflags=""
[ "$sanitize" != none ] && cflags="-fsanitize=$sanitize"
# shellcheck disable=SC2046,SC2086
cc -Wall -Wextra -Werror $cflags -o "$dest/client" "$dest/client.c" \
  $(PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_SYSROOT_DIR="$dest" pkg-config --cflags --libs shmview)
out=$(LD_LIBRARY_PATH=$(dirname "$lib") "$dest/client")
echo "$out"
[ "$out" = "through shared memory, libshmview $(sed -n "s/^lib_version = '\(.*\)'/\1/p" "$srcdir/src/lib/meson.build")" ]
