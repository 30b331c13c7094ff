#!/bin/sh
# The .desktop file and the AppStream metainfo that i18n.merge_file built
# carry every language of po/LINGUAS, and translated Keywords keep the
# semicolon list format.
#   check-merged.sh DESKTOP METAINFO LANG...
set -u
desktop=$1
metainfo=$2
shift 2
status=0
for lang in "$@"; do
  for field in Name GenericName Comment Keywords; do
    grep -q "^$field\\[$lang\\]=." "$desktop" || {
      echo "$desktop: no $field[$lang]"
      status=1
    }
  done
  keywords=$(sed -n "s/^Keywords\\[$lang\\]=//p" "$desktop")
  case $keywords in
    *\; | '') ;;
    *) echo "$desktop: Keywords[$lang] does not end with a semicolon: $keywords"; status=1 ;;
  esac
  for element in summary p li caption; do
    grep -q "<$element xml:lang=\"$lang\">" "$metainfo" || {
      echo "$metainfo: no <$element xml:lang=\"$lang\">"
      status=1
    }
  done
done
[ $status -eq 0 ] && echo "desktop file and metainfo translated into: $*"
exit $status
