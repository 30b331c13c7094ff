#!/bin/sh
# Fails when a source file with translatable strings is missing from
# po/POTFILES.in, when POTFILES.in names a file that does not exist (xgettext
# would fail), or when it is not sorted.
#   check-potfiles.sh SOURCE_ROOT
set -eu
root=$1
potfiles="$root/po/POTFILES.in"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

listed="$tmp/listed"
sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$potfiles" > "$listed"

cd "$root"
# Everything a user may read: C with a gettext marker in front of a string
# literal (clang-format's "_ (" too), GtkBuilder files with translatable
# properties, and the desktop and AppStream templates. Tests, build trees and
# po/ itself are not shipped strings.
found="$tmp/found"
{
  find . \( -path ./.git -o -path './build*' -o -path './_build*' -o -path ./tests -o -path ./po \) -prune \
    -o -type f \( -name '*.c' -o -name '*.h' \) -print |
    xargs perl -0777 -ne 'print "$ARGV\n" if
      /\b(?:_|N_|C_|NC_|Q_|ngettext|dngettext|g_dngettext|g_dgettext|g_dcgettext|g_dpgettext2?)\s*\(\s*(?:GETTEXT_PACKAGE\s*,\s*)?(?:"[^"]*"\s*,\s*)?"/'
  find . \( -path ./.git -o -path './build*' -o -path './_build*' -o -path ./tests \) -prune \
    -o -type f \( -name '*.ui' -o -name '*.metainfo.xml.in' -o -name '*.appdata.xml.in' -o -name '*.desktop.in' \) -print |
    while read -r f; do
      case $f in
        *.ui) grep -q 'translatable="yes"' "$f" && echo "$f" ;;
        *) echo "$f" ;;
      esac
    done
} | sed 's|^\./||' | LC_ALL=C sort -u > "$found"

status=0
missing=$(LC_ALL=C comm -23 "$found" "$(LC_ALL=C sort -u "$listed" > "$tmp/sorted"; echo "$tmp/sorted")")
if [ -n "$missing" ]; then
  echo "Files with translatable strings missing from po/POTFILES.in:"
  echo "$missing" | sed 's/^/  /'
  status=1
fi
while read -r f; do
  if [ ! -f "$f" ]; then
    echo "po/POTFILES.in names a file that does not exist: $f"
    status=1
  fi
done < "$listed"
if ! LC_ALL=C sort -c "$listed" 2>/dev/null; then
  echo "po/POTFILES.in is not sorted (LC_ALL=C sort)"
  status=1
fi
if [ $status -eq 0 ]; then
  echo "po/POTFILES.in lists all $(wc -l < "$found") files with translatable strings"
fi
exit $status
