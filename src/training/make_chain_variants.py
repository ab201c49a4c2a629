"""Makes the input-chain variants of the 4Q clips with ffmpeg and sox: random ones for training-time augmentation
(every clip, its own random draw) and fixed ones for the robustness table. The C# pipeline then exports features
from each variant folder (`lightmood export-features`), so training and evaluation see what the daemon computes.

    nice /usr/bin/python3 src/training/make_chain_variants.py --root /work/shared/datasets/4q --out /work/data/chain

Variants (folder name: what it does to the clip):
  training augmentation, parameters drawn per clip (seeded):
    aug-eq    low-pass 6-11 kHz, bass/treble tilt +-6 dB, gain +-12 dB; 22 050 Hz float WAV
    aug-mp3   tilt +-4 dB, gain +-6 dB, re-encoded as 44.1 kHz stereo MP3 at 96/128/192 kbit/s
    aug-room  room reverb (reverberance 20-80 %), pink or brown noise at 10-30 dB SNR, gain +-6 dB; 48 kHz WAV
    aug-ogg   tilt +-4 dB, 48 kHz stereo Ogg Vorbis (quality 2-5)
  robustness conditions, fixed parameters:
    mp3-44k    44.1 kHz stereo MP3, 128 kbit/s
    mp3-32k    32 kHz stereo MP3, 96 kbit/s
    wav48-12   48 kHz WAV at -12 dB
    tilt       bass -4 dB, treble +4 dB (22 050 Hz WAV)
    room-20    reverberance 40 %, pink noise at 20 dB SNR (22 050 Hz WAV)
"""
import argparse
import csv
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np

FF = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y"]


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(" ".join(cmd) + "\n" + r.stderr)


def noisy(src, dst, rate, reverberance, snr_db, colour, gain_db):
    """Reverb, then noise of the given colour at snr_db below the reverberant signal's RMS, then gain."""
    tmp = dst + ".rev.wav"
    run(["sox", src, "-r", str(rate), "-b", "32", "-e", "floating-point", tmp, "reverb", str(reverberance), "gain", "-n", "-3"])
    rms = float(subprocess.run(["sox", tmp, "-n", "stat"], capture_output=True, text=True).stderr.split("RMS     amplitude:")[1].split()[0])
    dur = float(subprocess.run(["soxi", "-D", tmp], capture_output=True, text=True).stdout)
    noise_rms = rms / (10 ** (snr_db / 20))
    noise = dst + ".noise.wav"
    # sox synth noise at amplitude a has RMS of about a/sqrt(3) (white); pink/brown are normalised after generation
    run(["sox", "-n", "-r", str(rate), "-c", "1", "-b", "32", "-e", "floating-point", noise, "synth", f"{dur:.3f}", colour + "noise", "gain", "-n"])
    nrms = float(subprocess.run(["sox", noise, "-n", "stat"], capture_output=True, text=True).stderr.split("RMS     amplitude:")[1].split()[0])
    run(["sox", "-m", tmp, "-v", f"{noise_rms / nrms:.6f}", noise, "-b", "32", "-e", "floating-point", dst, "gain", f"{gain_db:.2f}"])
    os.remove(tmp)
    os.remove(noise)


def make(variant, src, dst, rng):
    if variant == "aug-eq":
        lp, bass, treble, gain = rng.uniform(6000, 11000), rng.uniform(-6, 6), rng.uniform(-6, 6), rng.uniform(-12, 12)
        run(FF + ["-i", src, "-af", f"lowpass=f={lp:.0f},bass=g={bass:.1f},treble=g={treble:.1f},volume={gain:.1f}dB",
                  "-ar", "22050", "-ac", "1", "-c:a", "pcm_f32le", dst])
    elif variant == "aug-mp3":
        bass, treble, gain, br = rng.uniform(-4, 4), rng.uniform(-4, 4), rng.uniform(-6, 6), rng.choice([96, 128, 192])
        run(FF + ["-i", src, "-af", f"bass=g={bass:.1f},treble=g={treble:.1f},volume={gain:.1f}dB",
                  "-ar", "44100", "-ac", "2", "-b:a", f"{br}k", dst])
    elif variant == "aug-room":
        noisy(src, dst, 48000, int(rng.uniform(20, 80)), rng.uniform(10, 30), rng.choice(["pink", "brown"]), rng.uniform(-6, 6))
    elif variant == "aug-ogg":
        bass, treble = rng.uniform(-4, 4), rng.uniform(-4, 4)
        run(FF + ["-i", src, "-af", f"bass=g={bass:.1f},treble=g={treble:.1f}", "-ar", "48000", "-ac", "2",
                  "-c:a", "libvorbis", "-q:a", str(int(rng.integers(2, 6))), dst])
    elif variant == "mp3-44k":
        run(FF + ["-i", src, "-ar", "44100", "-ac", "2", "-b:a", "128k", dst])
    elif variant == "mp3-32k":
        run(FF + ["-i", src, "-ar", "32000", "-ac", "2", "-b:a", "96k", dst])
    elif variant == "wav48-12":
        run(FF + ["-i", src, "-af", "volume=-12dB", "-ar", "48000", "-ac", "2", "-c:a", "pcm_s16le", dst])
    elif variant == "tilt":
        run(FF + ["-i", src, "-af", "bass=g=-4,treble=g=4", "-ar", "22050", "-ac", "1", "-c:a", "pcm_f32le", dst])
    elif variant == "room-20":
        noisy(src, dst, 22050, 40, 20.0, "pink", 0.0)
    else:
        raise ValueError(variant)


EXT = {"aug-eq": "wav", "aug-mp3": "mp3", "aug-room": "wav", "aug-ogg": "ogg", "mp3-44k": "mp3", "mp3-32k": "mp3",
       "wav48-12": "wav", "tilt": "wav", "room-20": "wav"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default="/work/shared/datasets/4q")
    ap.add_argument("--out", default="/work/data/chain")
    ap.add_argument("--variants", default=",".join(EXT))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=2026)
    a = ap.parse_args()
    rows = list(csv.DictReader(open(os.path.join(a.root, "metadata.csv"), newline="", encoding="utf-8")))
    jobs = []
    for v in a.variants.split(","):
        for i, r in enumerate(rows):
            q, song = r["Quadrant"], r["Song"]
            src = os.path.join(a.root, q, song + ".mp3")
            if not os.path.exists(src):
                continue
            dst = os.path.join(a.out, v, q, f"{song}.{EXT[v]}")
            if os.path.exists(dst):
                continue
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            # each (variant, clip) has its own reproducible draw
            jobs.append((v, src, dst, np.random.default_rng([a.seed, list(EXT).index(v), i])))
    print(f"{len(jobs)} files to make", flush=True)
    done = 0
    with ThreadPoolExecutor(a.jobs) as pool:
        for _ in pool.map(lambda j: make(*j), jobs):
            done += 1
            if done % 500 == 0:
                print(done, flush=True)
    print("done", flush=True)


if __name__ == "__main__":
    sys.exit(main())
