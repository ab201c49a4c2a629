#!/usr/bin/env bash
# Re-encodes the held-out test clips two ways into /tmp and evaluates the CRNN on them (C# path):
#   44k: 44.1 kHz stereo 128 kbit/s MP3;  tilt: the same plus a mild EQ tilt (+3 dB treble, -3 dB bass).
# Usage: bash src/training/robustness.sh [DATASET_ROOT] [OUT]
set -euo pipefail
root=${1:-/work/shared/datasets/4q}
out=${2:-/tmp/lightmood-robustness}
lm="dotnet src/LightMood/bin/Release/net10.0/lightmood.dll"
tail -n +2 src/training/split.csv | awk -F, '$NF=="test"{print $1" "$(NF-1)}' | while read -r song q; do
  for v in 44k tilt; do mkdir -p "$out/$v/$q"; done
  nice ffmpeg -nostdin -loglevel error -y -i "$root/$q/$song.mp3" -ar 44100 -ac 2 -b:a 128k "$out/44k/$q/$song.mp3"
  nice ffmpeg -nostdin -loglevel error -y -i "$root/$q/$song.mp3" -af "bass=g=-3,treble=g=3" -ar 44100 -ac 2 -b:a 128k "$out/tilt/$q/$song.mp3"
done
for v in 44k tilt; do echo "== $v"; $lm evaluate "$out/$v"; done
