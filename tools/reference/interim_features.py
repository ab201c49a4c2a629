#!/usr/bin/python3
"""Calibration of the interim feature mood estimator (Emotion/InterimFeatureMoodEstimator.cs) on the 4Q clips.

For N clips per quadrant: decode (ffmpeg, 22 050 Hz mono), log-mel (the numpy reference of make_goldens.py),
128-frame windows every 22 frames, and the estimator's three features per window: loudness (dB of mean mel power),
spectral flux (mean positive dB rise per band and frame) and brightness (power-weighted mean mel band / 96).
Prints per-quadrant medians and the thresholds/scales that split high/low arousal and positive/negative valence.
Usage: /usr/bin/python3 tools/reference/interim_features.py [clips_per_quadrant]
"""
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_goldens import mel_db  # noqa: E402

ROOT = "/work/shared/datasets/4q"


def decode(path):
    raw = subprocess.run(["ffmpeg", "-v", "quiet", "-i", path, "-ac", "1", "-ar", "22050", "-f", "f32le", "-"],
                         check=True, capture_output=True).stdout
    return np.frombuffer(raw, dtype=np.float32)


def features(mel):
    out = []
    for s in range(0, mel.shape[0] - 128 + 1, 22):
        w = mel[s:s + 128]
        p = 10 ** (w / 10)
        loud = 10 * np.log10(max(p.mean(), 1e-10))
        flux = np.maximum(0, np.diff(w, axis=0)).mean()
        pb = p.mean(axis=0)
        bright = (np.arange(96) * pb).sum() / max(pb.sum(), 1e-20) / 96
        out.append((loud, flux, bright))
    return np.array(out)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    rows = {}
    for q in ("Q1", "Q2", "Q3", "Q4"):
        files = sorted(os.listdir(os.path.join(ROOT, q)))[:n]
        feats = []
        for f in files:
            x = decode(os.path.join(ROOT, q, f))
            mel, _ = mel_db(x)
            feats.append(features(mel).mean(axis=0))
        rows[q] = np.array(feats)
        print(q, "median loud/flux/bright", np.median(rows[q], axis=0).round(3), flush=True)
    high = np.vstack([rows["Q1"], rows["Q2"]])
    low = np.vstack([rows["Q3"], rows["Q4"]])
    pos = np.vstack([rows["Q1"], rows["Q4"]])
    neg = np.vstack([rows["Q2"], rows["Q3"]])
    allf = np.vstack(list(rows.values()))
    print("arousal split (mean of class medians):", ((np.median(high, 0) + np.median(low, 0)) / 2).round(3))
    print("valence split (mean of class medians):", ((np.median(pos, 0) + np.median(neg, 0)) / 2).round(3))
    print("std over clips:", allf.std(axis=0).round(3))


if __name__ == "__main__":
    main()
