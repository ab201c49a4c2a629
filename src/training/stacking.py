"""Would a clip-level classifier beside the CRNN help? Hand-crafted clip features (the model's branch features averaged
over 16 windows, plus 20 mel cepstra with their spread and change, coarse band means/spreads, flux and chroma spread:
517 per clip) classified by a logistic regression or an RBF SVM under the same artist-grouped folds, alone and blended
with the CRNN's out-of-fold posteriors (arithmetic and geometric means). Minutes on one core.

    /usr/bin/python3 src/training/stacking.py --run /work/data/runs/band92 --feat /work/data/feat
"""
import argparse
import json
import os

import numpy as np
from scipy.fft import dct
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from ablation import clip_features
from common import confusion, macro_f1
from train import load_folds


def timbre(a, max_band=92):
    mel = a[:, :max_band] - a[:, :max_band].mean()
    cep = dct(mel, axis=1, norm="ortho")[:, :20]
    d = np.diff(mel, axis=0)
    return np.concatenate([cep.mean(0), cep.std(0), np.abs(np.diff(cep, axis=0)).mean(0), mel.mean(0)[::4],
                           mel.std(0)[::4], [np.abs(d).mean(), np.maximum(d, 0).mean(1).std()], a[:, 96:].std(0)])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", default="/work/data/runs/band92")
    ap.add_argument("--feat", default="/work/data/feat")
    ap.add_argument("--folds", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "folds.csv"))
    a = ap.parse_args()
    rows = load_folds(a.folds)
    y = np.array([r[2] for r in rows])
    fold = np.array([r[3] for r in rows])
    songs = [r[0] for r in rows]
    X = []
    for s in songs:
        clip = np.load(os.path.join(a.feat, "orig", s + ".npy"))
        f = clip_features(clip, n=16)
        X.append(np.concatenate([f["stats"], f["tonal"], f["rhythm"], timbre(clip)]))
    X = np.stack(X)
    oof = {}
    for k in range(5):
        o = json.load(open(os.path.join(a.run, f"oof{k}.json")))
        oof.update({s: np.array(p) for s, p in zip(o["songs"], o["orig"])})
    P = np.stack([oof[s] for s in songs])

    def score(p):
        return np.mean([macro_f1(confusion(y[fold == k], p[fold == k].argmax(1)))[0] for k in range(5)])

    print(f"{X.shape[1]} clip features; CRNN out of fold: macro-F1 {score(P):.3f} (mean over folds)")
    for name, make in [("logistic C=0.05", lambda: LogisticRegression(C=0.05, max_iter=3000)),
                       ("RBF SVM C=1", lambda: SVC(C=1, probability=True)),
                       ("RBF SVM C=3", lambda: SVC(C=3, probability=True))]:
        Q = np.zeros_like(P)
        for k in range(5):
            clf = make_pipeline(StandardScaler(), make()).fit(X[fold != k], y[fold != k])
            Q[fold == k] = clf.predict_proba(X[fold == k])
        blends = "  ".join(f"w={w}: {score(w * P + (1 - w) * Q):.3f}/{score(np.exp(w * np.log(P + 1e-7) + (1 - w) * np.log(Q + 1e-7))):.3f}"
                           for w in (0.5, 0.6, 0.7, 0.8))
        print(f"{name:16s} alone {score(Q):.3f}; blended with the CRNN (arithmetic/geometric) {blends}")


if __name__ == "__main__":
    main()
