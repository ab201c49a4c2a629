"""What each feature family of the mood model carries, per mood: the branch features of model.py (statistics, tonal,
rhythm) computed per clip with the same formulas, each family alone and together, classified by a standardised
logistic regression under the same artist-grouped 5-fold CV (and, trained on `orig`, scored on every robustness
condition that has features). Minutes on one core; the CRNN's own ablation would cost a full CV run per variant.

    /usr/bin/python3 src/training/ablation.py --feat /work/data/feat > docs/ablation.txt
"""
import argparse
import os

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from common import MOODS, confusion, macro_f1
from model import BANDS, FRAMES, RhythmFeatures, TonalFeatures
from train import CONDITIONS, load_folds


def clip_features(a, max_band=92, n=8):
    """Mean over n evenly spaced windows of each family's window features."""
    starts = np.linspace(0, a.shape[0] - FRAMES, n).astype(int)
    w = np.stack([a[s:s + FRAMES] for s in starts])
    mel = w[:, :, :max_band]
    mel = mel - mel.mean(axis=(1, 2), keepdims=True)
    x = torch.from_numpy(mel)
    flux = np.abs(np.diff(mel, axis=1)).mean(axis=1)
    stats = np.concatenate([mel.mean(axis=1), mel.std(axis=1), flux], axis=1).mean(axis=0)
    with torch.no_grad():
        tonal = TonalFeatures()(torch.from_numpy(w[:, :, BANDS:])).numpy().mean(axis=0)
        rhythm = RhythmFeatures()(x / 10.0).numpy().mean(axis=0)
    return {"stats": stats, "tonal": tonal, "rhythm": rhythm}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--feat", default="/work/data/feat")
    ap.add_argument("--folds", default=os.path.join(os.path.dirname(__file__), "folds.csv"))
    a = ap.parse_args()
    rows = load_folds(a.folds)
    y = np.array([r[2] for r in rows])
    fold = np.array([r[3] for r in rows])
    conds = [c for c in CONDITIONS if all(os.path.exists(os.path.join(a.feat, c, r[0] + ".npy")) for r in rows)]
    feats = {c: [clip_features(np.load(os.path.join(a.feat, c, r[0] + ".npy"))) for r in rows] for c in conds}
    families = [("stats",), ("tonal",), ("rhythm",), ("tonal", "rhythm"), ("stats", "tonal", "rhythm")]
    print("feature family -> macro-F1 mean +- sd over 5 artist-grouped folds (trained on orig); per-mood F1 (orig)")
    for fam in families:
        X = {c: np.stack([np.concatenate([f[k] for k in fam]) for f in feats[c]]) for c in conds}
        scores = {c: [] for c in conds}
        pred = np.zeros(len(y), dtype=int)
        for k in range(5):
            tr, te = fold != k, fold == k
            clf = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=2000))
            clf.fit(X["orig"][tr], y[tr])
            for c in conds:
                p = clf.predict(X[c][te])
                scores[c].append(macro_f1(confusion(y[te], p))[0])
                if c == "orig":
                    pred[te] = p
        per = macro_f1(confusion(y, pred))[1]
        line = f"{'+'.join(fam):20s} " + "  ".join(f"{c} {np.mean(s):.3f}+-{np.std(s, ddof=1):.3f}" for c, s in scores.items())
        print(line)
        print(" " * 21 + "per mood: " + ", ".join(f"{m} {v:.3f}" for m, v in zip(MOODS, per)))


if __name__ == "__main__":
    main()
