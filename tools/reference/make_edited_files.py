#!/usr/bin/python3
"""Assembles "edited files" for the soft-cut experiment (the paper's Table 4.1): each file concatenates whole 30 s
clips (or, with --excerpt S, an S-second excerpt cut inside each clip's music, away from its fade-in and fade-out)
of different quadrants from the 4Q dataset (hard cuts), and gets a sidecar NAME.regions.json with the truth:
{"regions":[{"start_s","end_s","mood"}],"boundaries_s":[..],"sources":[..]}.

Audio is written to data/edited/ (git-ignored; audio is never committed). Deterministic for a given seed.
Usage: /usr/bin/python3 tools/reference/make_edited_files.py [--count 10] [--clips 4] [--seed 2024] [--out data/edited]
       [--excerpt 20] [--split split.csv --set test | --folds src/training/folds.csv --fold 0]
Needs ffmpeg. Clips come from /work/shared/datasets/4q/Q1..Q4 (metadata.csv gives the artist: one clip per artist
per file).
"""
import argparse
import csv
import json
import os
import random
import subprocess
import wave

import numpy as np

ROOT = "/work/shared/datasets/4q"
SR = 22050
MOODS = {"Q1": "happy", "Q2": "tense", "Q3": "sad", "Q4": "calm"}


def decode(path):
    raw = subprocess.run(["ffmpeg", "-v", "quiet", "-i", path, "-ac", "1", "-ar", str(SR), "-f", "f32le", "-"],
                         check=True, capture_output=True).stdout
    return np.frombuffer(raw, dtype=np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=10)
    ap.add_argument("--clips", type=int, default=4)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--out", default="data/edited")
    ap.add_argument("--split", default=None, help="split.csv: take clips only from --set of it (e.g. the held-out test artists)")
    ap.add_argument("--set", default="test")
    ap.add_argument("--folds", default=None, help="folds.csv (song,artist,quadrant,fold): take clips only from --fold")
    ap.add_argument("--fold", type=int, default=0)
    ap.add_argument("--excerpt", type=float, default=0,
                    help="seconds of each clip to use, starting at a random point at least 1.5 s inside the clip "
                         "and ending at least 1.5 s before its end (0: the whole clip)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    artists = {}
    with open(os.path.join(ROOT, "metadata.csv"), newline="") as f:
        for row in csv.DictReader(f):
            artists[row["Song"]] = row["Artist"]
    pools = {q: sorted(os.listdir(os.path.join(ROOT, q))) for q in MOODS}
    if a.split:
        with open(a.split, newline="") as f:
            keep = {r["song"] for r in csv.DictReader(f) if r["set"] == a.set}
        pools = {q: [c for c in clips if c[:-4] in keep] for q, clips in pools.items()}
    if a.folds:
        with open(a.folds, newline="") as f:
            keep = {r["song"] for r in csv.DictReader(f) if int(r["fold"]) == a.fold}
        pools = {q: [c for c in clips if c[:-4] in keep] for q, clips in pools.items()}
    rng = random.Random(a.seed)
    for n in range(a.count):
        # consecutive clips always from different quadrants
        quadrants = []
        while len(quadrants) < a.clips:
            q = rng.choice(sorted(MOODS))
            if not quadrants or quadrants[-1] != q:
                quadrants.append(q)
        used_artists = set()
        pieces, regions, sources = [], [], []
        t = 0.0
        for q in quadrants:
            while True:
                clip = rng.choice(pools[q])
                artist = artists.get(clip[:-4], clip)
                if artist not in used_artists:
                    break
            used_artists.add(artist)
            x = decode(os.path.join(ROOT, q, clip))
            where = ""
            if a.excerpt > 0:
                n_ex = int(round(a.excerpt * SR))
                margin = int(1.5 * SR)
                if len(x) < n_ex + 2 * margin:
                    raise SystemExit(f"{clip}: {len(x) / SR:.1f} s is too short for a {a.excerpt} s excerpt")
                start = rng.randrange(margin, len(x) - n_ex - margin + 1)
                x = x[start:start + n_ex]
                where = f" from {start / SR:.3f} s"
            pieces.append(x)
            d = len(x) / SR
            regions.append({"start_s": round(t, 6), "end_s": round(t + d, 6), "mood": MOODS[q]})
            sources.append(f"{q}/{clip} ({artist}){where}")
            t += d
        audio = np.concatenate(pieces)
        name = f"edit{n:02d}"
        with wave.open(os.path.join(a.out, name + ".wav"), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(SR)
            w.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
        truth = {"regions": regions, "boundaries_s": [r["start_s"] for r in regions[1:]], "sources": sources}
        with open(os.path.join(a.out, name + ".regions.json"), "w") as f:
            json.dump(truth, f, indent=1)
        print(name, " ".join(MOODS[q] for q in quadrants), flush=True)


if __name__ == "__main__":
    main()
