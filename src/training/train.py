"""Trains the LightMood CRNN (Chen 2024, section 3.2: convolution + pooling over the log-mel spectrogram, then a
recurrent layer over time) on the 4Q dataset and exports models/crnn.onnx + models/crnn.json + fixtures/crnn/.

    nice /usr/bin/python3 src/training/train.py --mel data/mel --split src/training/split.csv

Input: [N, 128, 96] log-mel dB windows, time-major (MoodWindow), exactly what `lightmood export-features` writes.
Outputs: logits [N, 4] (happy, tense, sad, calm), valence_arousal [N, 2] (tanh), embedding [N, E].
The per-band normalisation (train-set mean/std) is part of the graph, so C# feeds raw dB.
"""
import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from common import BANDS, FRAMES, MOODS, load_split, report

torch.set_num_threads(2)
VA = torch.tensor([[1.0, 1.0], [-1.0, 1.0], [-1.0, -1.0], [1.0, -1.0]])  # quadrant signs (valence, arousal)


class Crnn(nn.Module):
    def __init__(self, mean, std, channels=(16, 32, 48, 64), hidden=64, stats_branch=False):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("inv_std", torch.tensor(1.0 / std, dtype=torch.float32))
        # pools reduce 96 mel bands to 1 (2*2*3*8) and 128 frames to 16 (2*2*2*1)
        pools = [(2, 2), (2, 2), (3, 2), (8, 1)]
        layers, cin = [], 1
        for c, p in zip(channels, pools):
            layers += [nn.Conv2d(cin, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ELU(), nn.MaxPool2d(p)]
            cin = c
        self.conv = nn.Sequential(*layers)
        self.drop = nn.Dropout(0.3)
        self.gru = nn.GRU(cin, hidden, batch_first=True)
        self.stats_branch = stats_branch
        emb = hidden
        if stats_branch:
            # per-band mean, std and mean |delta| (spectral flux per band) of the normalised window
            self.stats = nn.Sequential(nn.Linear(3 * BANDS, 32), nn.ELU())
            emb += 32
        self.embedding_size = emb
        self.mood = nn.Linear(emb, 4)
        self.va = nn.Linear(emb, 2)

    def forward(self, mel):  # mel: [N, T, 96] dB
        x = (mel - self.mean) * self.inv_std
        h = self.conv(x.transpose(1, 2).unsqueeze(1))  # [N, C, 1, T']
        h = h.squeeze(2).transpose(1, 2)  # [N, T', C]
        out, _ = self.gru(self.drop(h))
        emb = out.mean(dim=1)
        if self.stats_branch:
            flux = (x[:, 1:] - x[:, :-1]).abs().mean(dim=1)
            emb = torch.cat([emb, self.stats(torch.cat([x.mean(dim=1), x.std(dim=1), flux], dim=1))], dim=1)
        e = self.drop(emb)
        return self.mood(e), torch.tanh(self.va(e)), emb


class Ensemble(nn.Module):
    """K CRNNs trained from different seeds in one graph: the mood posterior is the mean of their posteriors (returned
    as its log, so softmax in C# gives it back), valence/arousal the mean, the embedding their concatenation."""

    def __init__(self, models):
        super().__init__()
        self.members = nn.ModuleList(models)
        self.embedding_size = sum(m.embedding_size for m in models)

    def forward(self, mel):
        outs = [m(mel) for m in self.members]
        p = torch.stack([F.softmax(o[0], dim=1) for o in outs]).mean(dim=0)
        va = torch.stack([o[1] for o in outs]).mean(dim=0)
        return torch.log(p + 1e-7), va, torch.cat([o[2] for o in outs], dim=1)


def crop_batch(xs, ys, idx, rng, augment):
    out = np.empty((len(idx), FRAMES, BANDS), dtype=np.float32)
    for j, i in enumerate(idx):
        mel = xs[i]
        s = rng.integers(0, mel.shape[0] - FRAMES + 1)
        w = mel[s:s + FRAMES].copy()
        if augment:
            w += rng.uniform(-6, 6)  # gain: a dB offset
            f = rng.integers(0, 13)  # SpecAugment: one frequency mask and one time mask
            f0 = rng.integers(0, BANDS - f + 1)
            w[:, f0:f0 + f] = w.mean()
            t = rng.integers(0, 17)
            t0 = rng.integers(0, FRAMES - t + 1)
            w[t0:t0 + t, :] = w.mean()
        out[j] = w
    return torch.from_numpy(out), torch.from_numpy(ys[idx])


def clip_windows(mel, n=8):
    starts = np.linspace(0, mel.shape[0] - FRAMES, n).astype(int)
    return np.stack([mel[s:s + FRAMES] for s in starts])


@torch.no_grad()
def predict_clips(model, xs, n=8):
    model.eval()
    preds, probs = [], []
    for mel in xs:
        logits, _, _ = model(torch.from_numpy(clip_windows(mel, n)))
        p = F.softmax(logits, dim=1).mean(dim=0)  # test-time: average the crops' posteriors
        probs.append(p.numpy())
        preds.append(int(p.argmax()))
    return np.array(preds), np.array(probs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mel", default="data/mel")
    ap.add_argument("--split", default="src/training/split.csv")
    ap.add_argument("--out", default="models")
    ap.add_argument("--fixtures", default="fixtures/crnn")
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--patience", type=int, default=10)
    ap.add_argument("--minutes", type=float, default=15.0, help="wall-clock cap on training")
    ap.add_argument("--crops", type=int, default=4, help="random crops per training clip per epoch")
    ap.add_argument("--mixup", type=float, default=0.3)
    ap.add_argument("--stats-branch", action="store_true", help="add the clip-statistics branch (in-graph ensemble)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ensemble", type=int, default=1, help="train this many seeds and export their average")
    ap.add_argument("--ema", type=float, default=0.0, help="keep an exponential moving average of the weights (e.g. 0.99)")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    data = load_split(a.split, a.mel)
    xtr, ytr, _ = data["train"]
    allf = np.concatenate(xtr)
    mean, std = allf.mean(axis=0), allf.std(axis=0) + 1e-3
    members, nparams = [], 0
    for k in range(a.ensemble):
        torch.manual_seed(a.seed + k)
        m, n, f1 = train_one(a, data, mean, std, np.random.default_rng(a.seed + k))
        print(f"member {k + 1}/{a.ensemble} (seed {a.seed + k}): best val macro-F1 {f1:.3f}", flush=True)
        members.append(m)
        nparams += n
        os.makedirs(a.out, exist_ok=True)
        torch.save(m.state_dict(), os.path.join(a.out, f"member-seed{a.seed + k}.pt"))
    model = members[0] if a.ensemble == 1 else Ensemble(members)
    model.eval()
    results = {}
    for s in ("val", "test"):
        p, _ = predict_clips(model, data[s][0])
        text, f1, m = report(f"CRNN {s}", data[s][1], p)
        print(text)
        results[s] = {"macro_f1": round(f1, 4), "confusion": m.tolist()}
    export(model, a, mean, std, results, nparams)


def train_one(a, data, mean, std, rng):
    xtr, ytr, _ = data["train"]
    model = Crnn(mean, std, stats_branch=a.stats_branch)
    nparams = sum(p.numel() for p in model.parameters())
    print(f"params {nparams}, train clips {len(xtr)}, val {len(data['val'][0])}, test {len(data['test'][0])}", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-3)
    # an exponential moving average of the weights (and BN statistics) is what gets validated and kept: the raw
    # weights' validation score jumps by +-0.1 from epoch to epoch on 108 clips
    ema = None
    if a.ema > 0:
        ema = torch.optim.swa_utils.AveragedModel(
            model, avg_fn=lambda avg, new, n: a.ema * avg + (1 - a.ema) * new, use_buffers=True)
    best, best_state, bad, t0 = -1.0, None, 0, time.time()
    order = np.repeat(np.arange(len(xtr)), a.crops)
    for epoch in range(a.epochs):
        model.train()
        rng.shuffle(order)
        tot = 0.0
        for b in range(0, len(order), 32):
            x, y = crop_batch(xtr, ytr, order[b:b + 32], rng, augment=True)
            yo = F.one_hot(y, 4).float()
            va = VA[y]
            if a.mixup > 0:
                lam = float(rng.beta(a.mixup, a.mixup))
                perm = torch.randperm(x.shape[0])
                x = lam * x + (1 - lam) * x[perm]
                yo = lam * yo + (1 - lam) * yo[perm]
                va = lam * va + (1 - lam) * va[perm]
            logits, vao, _ = model(x)
            loss = -(yo * F.log_softmax(logits, dim=1)).sum(dim=1).mean() + 0.5 * F.mse_loss(vao, va)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if ema is not None:
                ema.update_parameters(model)
            tot += float(loss) * x.shape[0]
        judged = ema.module if ema is not None else model
        pv, _ = predict_clips(judged, data["val"][0])
        _, f1, _ = report("val", data["val"][1], pv)
        print(f"epoch {epoch + 1} loss {tot / len(order):.3f} val macro-F1 {f1:.3f} ({time.time() - t0:.0f} s)", flush=True)
        if f1 > best:
            best, bad = f1, 0
            best_state = {k: v.clone() for k, v in judged.state_dict().items()}
        else:
            bad += 1
        if bad >= a.patience or time.time() - t0 > a.minutes * 60:
            break
    model.load_state_dict(best_state)
    model.eval()
    return model, nparams, best


def synthetic_windows(mean, std, rng):
    """Fixture windows that need no audio: 8 variations of one synthetic 'passage' (a fixed spectral shape with a
    pulsing envelope) and 8 unrelated ones, all in the dB range of the training data."""
    t = np.arange(FRAMES)[:, None]
    b = np.arange(BANDS)[None, :]
    wins = []
    base_shape = mean + std * np.sin(b / 9.0) * 0.8
    for k in range(8):
        pulse = 6.0 * (np.sin(2 * np.pi * t / 21.5 + k) > 0.6)
        wins.append(base_shape + pulse + rng.normal(0, 2.0, (FRAMES, BANDS)))
    for k in range(8):
        shape = mean + std * rng.normal(0, 0.7, BANDS) + rng.uniform(-12, 6)
        period = rng.uniform(8, 60)
        env = rng.uniform(2, 15) * np.sin(2 * np.pi * t / period + k)
        wins.append(shape + env * (b < rng.integers(20, 96)) + rng.normal(0, 3.0, (FRAMES, BANDS)))
    return np.stack(wins).astype(np.float32)


def export(model, a, mean, std, results, nparams):
    os.makedirs(a.out, exist_ok=True)
    path = os.path.join(a.out, "crnn.onnx")
    dummy = torch.zeros(1, FRAMES, BANDS)
    torch.onnx.export(model, dummy, path, opset_version=13, input_names=["mel"],
                      output_names=["logits", "valence_arousal", "embedding"],
                      dynamic_axes={"mel": {0: "n"}, "logits": {0: "n"}, "valence_arousal": {0: "n"}, "embedding": {0: "n"}})
    meta = {"model": "crnn.onnx", "input": "mel", "frames": FRAMES, "bands": BANDS,
            "features": "log-mel dB, n_fft 1024, hop 512, 96 Slaney mels, 22050 Hz (MelSpectrogram defaults); "
                        "per-band train normalisation inside the graph",
            "outputs": {"logits": 4, "valence_arousal": 2, "embedding": model.embedding_size},
            "moods": MOODS, "parameters": nparams, "stats_branch": a.stats_branch, "results": results}
    json.dump(meta, open(os.path.join(a.out, "crnn.json"), "w"), indent=2)
    os.makedirs(a.fixtures, exist_ok=True)
    wins = synthetic_windows(mean, std, np.random.default_rng(7))
    with torch.no_grad():
        logits, va, emb = model(torch.from_numpy(wins))
    wins.astype("<f4").tofile(os.path.join(a.fixtures, "windows.f32"))
    json.dump({"count": len(wins), "frames": FRAMES, "bands": BANDS, "logits": logits.tolist(),
               "valence_arousal": va.tolist(), "embedding": emb.tolist()},
              open(os.path.join(a.fixtures, "expected.json"), "w"))
    print("exported", path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
