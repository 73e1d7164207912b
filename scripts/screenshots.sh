#!/usr/bin/env bash
# Screenshots of the real window under Xvfb: the main window on a case holding one article.
# Usage: scripts/screenshots.sh ARTICLE [OUT_DIR]   (needs xvfb, xdotool, imagemagick)
set -euo pipefail
cd "$(dirname "$0")/.."
ARTICLE=${1:?article file}
OUT=${2:-docs/screenshots}
WORK=$(mktemp -d)
export HOME="$WORK/home" XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config"
mkdir -p "$HOME" "$OUT"
.venv/bin/casedesk import --case "$WORK/demo.casedesk" "$ARTICLE" >/dev/null || true
Xvfb :77 -screen 0 1920x1200x24 >/dev/null 2>&1 &
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
xdotool windowsize "$WIN" 1920 1200 windowmove "$WIN" 0 0
sleep "${SETTLE:-12}"
import -window root "$OUT/main_window.png"
kill $APP
echo "wrote $OUT/main_window.png"
