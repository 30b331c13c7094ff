#!/bin/sh
# Fails when po/LANG.po does not compile, has untranslated or fuzzy messages,
# has the wrong Plural-Forms, or lacks a message the sources have now (it is
# compared with a fresh extraction, made in a temporary directory: the
# source tree is never written).
#   check-po.sh SOURCE_ROOT LANG
set -eu
root=$1
lang=$2
po="$root/po/$lang.po"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

if ! sed -e 's/#.*//' "$root/po/LINGUAS" | tr -s ' \t' '\n\n' | grep -qx "$lang"; then
  echo "$lang is not in po/LINGUAS"
  status=1
fi
if [ ! -f "$po" ]; then
  echo "missing: po/$lang.po"
  exit 1
fi

if ! msgfmt --check --statistics --output-file="$tmp/$lang.mo" "$po" 2> "$tmp/msgfmt"; then
  cat "$tmp/msgfmt"
  echo "po/$lang.po does not compile"
  status=1
fi
cat "$tmp/msgfmt"
if grep -Eq 'untranslated|fuzzy' "$tmp/msgfmt"; then
  echo "po/$lang.po is incomplete: translate the messages above (msgattrib --untranslated / --only-fuzzy)"
  status=1
fi

# The plural rule each language needs (GNU gettext manual, "Plural forms").
case $lang in
  ja | ko | zh_CN | zh_HK | zh_TW | vi | th | id) want='nplurals=1; plural=0;' ;;
  de | en_GB | es | it | nl | nb | sv | da | fi | pt | el | hu) want='nplurals=2; plural=(n != 1);' ;;
  fr | pt_BR | tr) want='nplurals=2; plural=(n > 1);' ;;
  *) want='' ;;
esac
have=$(sed -n 's/^"Plural-Forms: *\(.*\)\\n"$/\1/p' "$po")
if [ -n "$want" ] && [ "$have" != "$want" ]; then
  echo "po/$lang.po: Plural-Forms is “$have”, expected “$want”"
  status=1
fi

# The same keywords as po/meson.build (preset 'glib'); only msgids matter here.
xgettext --from-code=UTF-8 --directory="$root" --files-from="$root/po/POTFILES.in" \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --output="$tmp/shmview.pot"
if ! msgcmp "$po" "$tmp/shmview.pot" 2> "$tmp/msgcmp"; then
  # Show the messages themselves, not just where they are in the temporary .pot.
  sed -n 's/^.*shmview\.pot:\([0-9]*\): this message is used but not defined.*/\1/p' "$tmp/msgcmp" |
    head -n 40 | while read -r line; do
      # the whole entry (paragraph) around that line, without its comments
      awk -v n="$line" 'BEGIN { RS = "" } { end += split($0, l, "\n") + 1 } end >= n && !done { print; done = 1 }' \
        "$tmp/shmview.pot" | grep -v '^#' | sed 's/^/  /'
    done
  echo "po/$lang.po lacks messages the sources have: run tools/update-po.sh and translate them"
  status=1
fi

[ $status -eq 0 ] && echo "po/$lang.po: complete, compiles, up to date with the sources"
exit $status
