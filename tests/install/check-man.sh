#!/bin/sh
# Each man page renders, with no warning from groff, and documents what the
# program offers: every option of --help and every exit status.
#   check-man.sh PAGE PROGRAM
set -eu
page=$1
program=$2
text=$(MANWIDTH=100 man --warnings -l "$page" 2>&1 >/dev/null) || true
if [ -n "$text" ]; then
  echo "$page: groff says: $text"
  exit 1
fi
rendered=$(MANWIDTH=100 man -l "$page" 2>/dev/null | col -b)
status=0
for option in $(env -u DISPLAY -u WAYLAND_DISPLAY LANG=C.UTF-8 LANGUAGE= "$program" --help |
                grep -oE '^ +(-[a-z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+'); do
  case "$option" in --help-all | --help-gapplication) continue ;; esac
  echo "$rendered" | grep -q -- "$option" || { echo "$page: $option is not documented"; status=1; }
done
exit $status
