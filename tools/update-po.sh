#!/bin/sh
# Regenerates po/shmview.pot from the sources listed in po/POTFILES.in and
# merges it into every po/<lang>.po named in po/LINGUAS. A language listed in
# LINGUAS without a .po file yet gets a fresh one (msginit, with the right
# Plural-Forms header). For developers and translators: it writes into the
# source tree, so CI never runs it.
#
#   tools/update-po.sh           regenerate, merge, print statistics
#   tools/update-po.sh --keep-pot  also keep po/shmview.pot (not in git)
#
# After running it, translate what msgfmt reports as untranslated or fuzzy,
# then check with: meson test -C <builddir> --suite data
set -eu
cd "$(dirname "$0")/.."

domain=shmview
keep_pot=false
[ "${1:-}" = "--keep-pot" ] && keep_pot=true

builddir=$(mktemp -d "${TMPDIR:-/tmp}/shmview-po.XXXXXX")
trap 'rm -rf "$builddir"' EXIT

languages=$(sed -e 's/#.*//' po/LINGUAS)

# meson refuses to configure while a language in LINGUAS has no .po file:
# give new languages a header-only stub, replaced by msginit below.
new=""
for lang in $languages; do
  if [ ! -f "po/$lang.po" ]; then
    new="$new $lang"
    printf 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n' > "po/$lang.po"
  fi
done

# The -pot target runs xgettext with the arguments po/meson.build gives, so
# there is one source of truth for the extraction flags.
meson setup "$builddir" >/dev/null
meson compile -C "$builddir" "$domain-pot" >/dev/null

for lang in $new; do
  msginit --no-translator --locale="$lang.UTF-8" --input="po/$domain.pot" \
    --output-file="po/$lang.po" >/dev/null 2>&1
  echo "created po/$lang.po: fill in the header (Language-Team) and translate it"
done

# msgmerge keeps translations, marks changed messages fuzzy, and comments out
# the ones that left the sources (#~); drop those, git has them.
for lang in $languages; do
  msgmerge --quiet --update --backup=none --previous "po/$lang.po" "po/$domain.pot"
  msgattrib --no-obsolete --output-file="po/$lang.po" "po/$lang.po"
done

$keep_pot || rm -f "po/$domain.pot"

status=0
for lang in $languages; do
  printf '%-6s ' "$lang"
  msgfmt --check --statistics --output-file=/dev/null "po/$lang.po" 2>&1 || status=1
done
exit $status
