"""Artist-grouped, quadrant-stratified folds over all clips: no artist in two folds, each fold close to 1/K of every
quadrant. Greedy: artists with the most clips first, each into the fold that is furthest below its share of that
artist's quadrants (ties: the smaller fold, then the lower index).

    /usr/bin/python3 src/training/make_folds.py /work/shared/datasets/4q/metadata.csv > src/training/folds.csv
"""
import csv
import sys
from collections import Counter, defaultdict


def main(path, k=5):
    rows = list(csv.DictReader(open(path, newline="", encoding="utf-8")))
    by_artist = defaultdict(list)
    for r in rows:
        by_artist[r["Artist"].strip().lower()].append(r)
    totals = Counter(r["Quadrant"] for r in rows)
    counts = [Counter() for _ in range(k)]
    sizes = [0] * k
    fold_of = {}
    for artist in sorted(by_artist, key=lambda a: (-len(by_artist[a]), a)):
        clips = by_artist[artist]
        need = Counter(r["Quadrant"] for r in clips)

        def deficit(f):
            return sum(n * (totals[q] / k - counts[f][q]) for q, n in need.items())

        f = max(range(k), key=lambda f: (deficit(f), -sizes[f], -f))
        for r in clips:
            fold_of[r["Song"]] = f
        counts[f].update(need)
        sizes[f] += len(clips)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["song", "artist", "quadrant", "fold"])
    for r in rows:
        w.writerow([r["Song"], r["Artist"], r["Quadrant"], fold_of[r["Song"]]])
    for f in range(k):
        print(f"fold {f}: {sizes[f]} clips " + " ".join(f"{q}={counts[f][q]}" for q in sorted(totals)), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5)
