#!/usr/bin/env bash
# The robustness table's line-in condition: plays clips (already made 48 kHz at -12 dB by make_chain_variants.py,
# variant wav48-12) into a PulseAudio null sink and records its monitor, as the daemon's line-in would hear them.
# Real time: N clips take about N x 31 s. Output: OUT/<Qn>/<song>.wav (48 kHz stereo float), then export features.
# Usage: bash src/training/linein_condition.sh [PER_QUADRANT] [IN] [OUT]
set -euo pipefail
per=${1:-10}
in=${2:-/work/data/chain/wav48-12}
out=${3:-/work/data/chain/linein}
export XDG_RUNTIME_DIR=/tmp/lightmood-pulse-robustness
bash "$(dirname "$0")/../../tests/LightMood.Audio.Tests/rigs/start-virtual-linein.sh"
trap 'kill $(cat $XDG_RUNTIME_DIR/keepalive.pid) 2>/dev/null || true; pulseaudio --kill || true' EXIT
for q in Q1 Q2 Q3 Q4; do
  mkdir -p "$out/$q"
  # the first PER clips of each quadrant in song order (every fold's clips are out-of-fold for one fold model)
  for f in $(ls "$in/$q" | sort | awk -v n="$per" 'NR % int(180 / n) == 1' | head -n "$per"); do
    [ -f "$out/$q/$f" ] && continue
    parec -d linein.monitor --rate=48000 --channels=2 --format=float32le --file-format=wav "$out/$q/$f.part" &
    rec=$!
    sleep 0.3
    paplay -d linein "$in/$q/$f"
    sleep 0.3
    kill -INT $rec; wait $rec || true
    mv "$out/$q/$f.part" "$out/$q/$f"
  done
done
echo done
