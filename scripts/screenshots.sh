#!/usr/bin/env bash
# Screenshots of the real window under Xvfb: the main window on a case holding one article.
# Usage: scripts/screenshots.sh ARTICLE [OUT_PNG] [WIDTH HEIGHT [CLICK_X CLICK_Y KEYS...]]
#   With a click point, the script clicks there (the review queue) and types the keys, one
#   xdotool key name each (a = accept, x = reject, 3 = relabel to the third label), before the
#   shot. Needs xvfb, xdotool and imagemagick.
# Example: scripts/screenshots.sh tests/data/articles/en_sample.txt docs/screenshots/main_window_1366.png \
#          1366 768 600 525 a a x 3 a
set -euo pipefail
cd "$(dirname "$0")/.."
ARTICLE=${1:?article file}
OUT=${2:-docs/screenshots/main_window.png}
WIDTH=${3:-1920}
HEIGHT=${4:-1200}
CLICK_X=${5:-}
CLICK_Y=${6:-}
shift $(( $# < 6 ? $# : 6 ))
WORK=$(mktemp -d)
export HOME="$WORK/home" XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config"
mkdir -p "$HOME" "$(dirname "$OUT")"
.venv/bin/casedesk import --case "$WORK/demo.casedesk" "$ARTICLE" >/dev/null || true
Xvfb :77 -screen 0 "${WIDTH}x${HEIGHT}x24" >/dev/null 2>&1 &
XVFB=$!
trap 'kill $XVFB 2>/dev/null; rm -rf "$WORK"' EXIT
sleep 2
export DISPLAY=:77 QT_QPA_PLATFORM=xcb QTWEBENGINE_DISABLE_SANDBOX=1
.venv/bin/casedesk --case "$WORK/demo.casedesk" &
APP=$!
for _ in $(seq 60); do
  xdotool search --name "demo" >/dev/null 2>&1 && break
  sleep 1
done
WIN=$(xdotool search --name "demo" | head -1)
xdotool windowsize "$WIN" "$WIDTH" "$HEIGHT" windowmove "$WIN" 0 0
sleep "${SETTLE:-12}"
if [ -n "$CLICK_X" ]; then
  xdotool mousemove "$CLICK_X" "$CLICK_Y" click 1
  sleep 1
  for key in "$@"; do
    xdotool key "$key"
    sleep 1
  done
  sleep 3
fi
import -window root "$OUT"
kill $APP
echo "wrote $OUT"
