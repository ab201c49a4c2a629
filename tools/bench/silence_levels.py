#!/usr/bin/python3
"""Where music ends and silence begins: frame levels of real music, to choose the silence gate's threshold.

For each file (decoded by ffmpeg to mono float 22 050 Hz, the analysis format) the RMS of every analysis frame
(1024 samples, hop 512: the mel frames of MusicAnalyzer) in dBFS, and the longest run of frames below each candidate
threshold. Prints, per threshold, how many files have a run of at least 1, 2 and 4 s below it, and the quietest
levels seen. Usage: silence_levels.py FILE_OR_DIR...  (directories are searched for .mp3/.ogg/.wav)
"""
import os
import subprocess
import sys

import numpy as np

RATE, FRAME, HOP = 22050, 1024, 512
THRESHOLDS = (-70, -65, -60, -55, -50)


def decode(path):
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-ac", "1", "-ar", str(RATE), "-f", "f32le", "-"],
                         check=True, capture_output=True).stdout
    return np.frombuffer(raw, dtype=np.float32)


def frame_db(x):
    n = 1 + max(0, (len(x) - FRAME) // HOP)
    idx = np.arange(FRAME)[None, :] + HOP * np.arange(n)[:, None]
    ms = np.mean(np.square(x[np.minimum(idx, len(x) - 1)].astype(np.float64)), axis=1)
    return 10 * np.log10(np.maximum(ms, 1e-12))


def longest_run(mask):
    best = run = 0
    for q in mask:
        run = run + 1 if q else 0
        best = max(best, run)
    return best * HOP / RATE


def files(args):
    for a in args:
        if os.path.isdir(a):
            for root, _, names in os.walk(a):
                for n in sorted(names):
                    if n.lower().endswith((".mp3", ".ogg", ".wav")):
                        yield os.path.join(root, n)
        else:
            yield a


def main():
    runs = {t: [] for t in THRESHOLDS}
    p1 = []
    count = 0
    for path in files(sys.argv[1:]):
        db = frame_db(decode(path))
        # ignore the first and last second: clip edges are cut and faded by the dataset's makers
        inner = db[int(RATE / HOP):-int(RATE / HOP)] if len(db) > 4 * RATE / HOP else db
        p1.append(np.percentile(inner, 1))
        for t in THRESHOLDS:
            runs[t].append((longest_run(inner < t), path))
        count += 1
    print(f"{count} files; 1st percentile of frame RMS: min {min(p1):.1f}, median {np.median(p1):.1f} dBFS")
    for t in THRESHOLDS:
        r = sorted(runs[t], reverse=True)
        n1 = sum(1 for s, _ in r if s >= 1)
        n2 = sum(1 for s, _ in r if s >= 2)
        n4 = sum(1 for s, _ in r if s >= 4)
        print(f"below {t} dBFS: files with a run >= 1 s: {n1}, >= 2 s: {n2}, >= 4 s: {n4}; longest {r[0][0]:.2f} s ({os.path.basename(r[0][1])})")


if __name__ == "__main__":
    main()
