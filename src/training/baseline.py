"""Traditional baseline on the same artist split: hand-crafted clip-level features from the same log-mel input
(per-band mean/std, spectral flux, RMS proxy, centroid, onset-strength autocorrelation) + multinomial logistic
regression (numpy/torch; L2 chosen on val). Usage: /usr/bin/python3 src/training/baseline.py --mel data/mel"""
import argparse

import numpy as np
import torch
import torch.nn.functional as F

from common import load_split, report

torch.set_num_threads(2)


def features(mel):
    power = 10 ** (mel / 10)
    rms = np.sqrt(power.sum(axis=1))
    rms_db = 20 * np.log10(rms + 1e-9)
    bands = np.arange(mel.shape[1])
    centroid = (power * bands).sum(axis=1) / (power.sum(axis=1) + 1e-12)
    flux = np.maximum(np.diff(mel, axis=0), 0).mean(axis=1)
    f = flux - flux.mean()
    ac = np.correlate(f, f, "full")[len(f) - 1:]
    ac = ac / (ac[0] + 1e-9)
    lags = ac[10:90]  # ~0.23 s .. 2.1 s: tempo / pulse clarity
    return np.concatenate([mel.mean(axis=0), mel.std(axis=0),
                           [rms_db.mean(), rms_db.std(), centroid.mean(), centroid.std(), flux.mean(), flux.std(),
                            lags.max(), float(np.argmax(lags) + 10), lags.mean()]])


def fit(x, y, l2, epochs=400):
    w = torch.zeros(x.shape[1], 4, requires_grad=True)
    b = torch.zeros(4, requires_grad=True)
    opt = torch.optim.LBFGS([w, b], max_iter=epochs)
    xt, yt = torch.from_numpy(x).float(), torch.from_numpy(y)

    def closure():
        opt.zero_grad()
        loss = F.cross_entropy(xt @ w + b, yt) + l2 * (w ** 2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return lambda z: (torch.from_numpy(z).float() @ w + b).argmax(dim=1).numpy()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mel", default="data/mel")
    ap.add_argument("--split", default="src/training/split.csv")
    a = ap.parse_args()
    data = load_split(a.split, a.mel)
    feats = {s: np.stack([features(m) for m in data[s][0]]) for s in data}
    mu, sd = feats["train"].mean(axis=0), feats["train"].std(axis=0) + 1e-6
    z = {s: (feats[s] - mu) / sd for s in feats}
    best = None
    for l2 in (1e-4, 1e-3, 1e-2, 3e-2, 1e-1):
        pred = fit(z["train"], data["train"][1], l2)
        _, f1, _ = report("val", data["val"][1], pred(z["val"]))
        print(f"l2 {l2}: val macro-F1 {f1:.3f}")
        if best is None or f1 > best[0]:
            best = (f1, l2, pred)
    print(f"chosen l2 {best[1]}")
    for s in ("val", "test"):
        print(report(f"baseline {s}", data[s][1], best[2](z[s]))[0])


if __name__ == "__main__":
    main()
