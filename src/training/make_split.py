"""Artist-grouped, quadrant-stratified train/val/test split of the 4Q dataset (~70/15/15 of clips).

Usage: /usr/bin/python3 src/training/make_split.py /work/shared/datasets/4q/metadata.csv > src/training/split.csv

Every artist lands in exactly one set (no artist leakage). Artists are assigned greedily, largest first, each to the
set whose per-quadrant clip counts are furthest below its target, which keeps the quadrants balanced across sets.
Deterministic (seeded shuffle before the stable size sort).
"""
import csv
import random
import sys
from collections import defaultdict

FRACTIONS = {"train": 0.70, "val": 0.15, "test": 0.15}


def main(path):
    rows = list(csv.DictReader(open(path, newline="", encoding="utf-8")))
    by_artist = defaultdict(list)
    for r in rows:
        by_artist[r["Artist"].strip().lower()].append(r)
    quads = sorted({r["Quadrant"] for r in rows})
    total_q = {q: sum(r["Quadrant"] == q for r in rows) for q in quads}
    artists = list(by_artist)
    random.Random(4).shuffle(artists)
    artists.sort(key=lambda a: -len(by_artist[a]))
    counts = {s: {q: 0 for q in quads} for s in FRACTIONS}
    assign = {}
    for a in artists:
        clips = by_artist[a]
        need = {q: sum(c["Quadrant"] == q for c in clips) for q in quads}

        def deficit(s):
            # how far below target this set is, on the quadrants this artist brings
            return sum(n * (FRACTIONS[s] * total_q[q] - counts[s][q]) / total_q[q] for q, n in need.items() if n)

        best = max(FRACTIONS, key=deficit)
        assign[a] = best
        for q, n in need.items():
            counts[best][q] += n
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["song", "artist", "quadrant", "set"])
    for r in sorted(rows, key=lambda r: r["Song"]):
        w.writerow([r["Song"], r["Artist"], r["Quadrant"], assign[r["Artist"].strip().lower()]])
    for s in FRACTIONS:
        print(s, counts[s], file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
