#!/usr/bin/env bash
# Small compressed fixtures for the decoder tests (tests/LightMood.Audio.Tests/Decoding), synthesised here: no
# third-party audio. Needs ffmpeg with libmp3lame and libvorbis (Debian's ffmpeg). Output: fixtures/audio/*.{mp3,ogg}.
#   sine440_44k_stereo.mp3  3 s, 440 Hz sine, amplitude 0.5, 44 100 Hz stereo, 64 kbit/s CBR
#   sine1000_48k_mono.ogg   3 s, 1000 Hz sine, amplitude 0.5, 48 000 Hz mono, Vorbis q2
#   chord_22k_stereo.ogg    2 s, A minor chord (220, 261.63, 329.63 Hz; 0.2 each), 22 050 Hz stereo, Vorbis q2
#   chord_32k_mono.mp3      2 s, the same chord, 32 000 Hz mono, 48 kbit/s CBR
# -bitexact and fixed encoder settings keep the files reproducible with the same ffmpeg build.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/fixtures/audio"
mkdir -p "$out"
ff=(ffmpeg -hide_banner -loglevel error -y -bitexact)

"${ff[@]}" -f lavfi -i "aevalsrc=0.5*sin(2*PI*440*t)|0.5*sin(2*PI*440*t):s=44100:d=3" \
  -c:a libmp3lame -b:a 64k -write_xing 0 -id3v2_version 0 -fflags +bitexact "$out/sine440_44k_stereo.mp3"
"${ff[@]}" -f lavfi -i "aevalsrc=0.5*sin(2*PI*1000*t):s=48000:d=3" \
  -c:a libvorbis -q:a 2 -fflags +bitexact "$out/sine1000_48k_mono.ogg"
chord="0.2*sin(2*PI*220*t)+0.2*sin(2*PI*261.63*t)+0.2*sin(2*PI*329.63*t)"
"${ff[@]}" -f lavfi -i "aevalsrc=${chord}|${chord}:s=22050:d=2" \
  -c:a libvorbis -q:a 2 -fflags +bitexact "$out/chord_22k_stereo.ogg"
"${ff[@]}" -f lavfi -i "aevalsrc=${chord}:s=32000:d=2" \
  -c:a libmp3lame -b:a 48k -write_xing 0 -id3v2_version 0 -fflags +bitexact "$out/chord_32k_mono.mp3"
ls -l "$out"
