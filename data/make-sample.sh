#!/bin/sh
# Regenerates data/sample.png, the image the demo publishes. Needs ImageMagick 6.
# The file is committed, so this runs only when someone wants to change it.
set -eu
out=${1:-"$(dirname "$0")/sample.png"}
font=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
convert -size 640x400 xc: \
  -colorspace HSL -channel R -fx 'i/w' -channel G -fx '0.75' -channel B -fx '0.62-0.3*j/h' +channel \
  -set colorspace HSL -colorspace sRGB \
  -fill 'rgba(255,255,255,0.35)' -draw 'circle 160,140 160,40' \
  -fill 'rgba(0,0,40,0.25)' -draw 'circle 470,250 470,120' \
  -fill 'rgba(255,255,255,0.6)' -draw 'roundrectangle 216,292 624,372 18,18' \
  -fill '#1a1a2e' -font "$font" -pointsize 44 -annotate +234+348 'shmview' \
  -fill 'rgba(26,26,46,0.8)' -pointsize 16 -annotate +470+344 'shared memory' \
  -depth 8 -type TrueColor -strip "$out"
