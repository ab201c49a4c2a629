"""Trains the LightMood mood model with artist-grouped, quadrant-stratified K-fold cross-validation over all clips,
calibrates it, and exports the ensemble of the fold models (models/crnn.onnx, models/crnn.json, fixtures/crnn/).

    # one fold (run folds in parallel processes, one thread each):
    nice /usr/bin/python3 src/training/train.py fold 0 --feat /work/data/feat --out /work/data/runs/main
    # after all folds: CV report, temperature, robustness table, export:
    /usr/bin/python3 src/training/train.py combine --out /work/data/runs/main
    # a condition made later for some clips (the real-time line-in subset), predicted out of fold:
    /usr/bin/python3 src/training/train.py condition linein --out /work/data/runs/main
    # one fold's member alone as an ONNX model (a judge for music made from that fold's test clips, e.g. edited files
    # for the soft cut; run it with LIGHTMOOD_CRNN_MODEL=DIR/fold0.onnx):
    /usr/bin/python3 src/training/train.py member 0 --out /work/data/runs/main --models /work/data/foldmodels

Features: `lightmood export-features` of every variant folder (src/training/make_chain_variants.py) into
FEAT/<variant>/<song>.npy, float32 [frames, 96 + 12] (mel dB, then chroma). `orig` is the dataset as provided; the
`aug-*` variants are drawn at random for training windows (chain augmentation); the robustness conditions are only
ever predicted, by the fold model that did not train on the clip.
"""
import argparse
import csv
import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from common import MOODS, confusion, macro_f1
from model import StripEnsemble, BANDS, CHROMA, FRAMES, Crnn, Ensemble

VA = torch.tensor([[1.0, 1.0], [-1.0, 1.0], [-1.0, -1.0], [1.0, -1.0]])  # quadrant signs (valence, arousal)
AUG = ["aug-eq", "aug-mp3", "aug-room", "aug-ogg"]
CONDITIONS = ["orig", "mp3-44k", "mp3-32k", "wav48-12", "tilt", "room-20"]


def load_folds(path):
    rows = list(csv.DictReader(open(path, newline="", encoding="utf-8")))
    return [(r["song"], r["artist"].strip().lower(), int(r["quadrant"][1]) - 1, int(r["fold"])) for r in rows]


def load_variant(feat, variant, songs):
    out = []
    for s in songs:
        p = os.path.join(feat, variant, s + ".npy")
        if not os.path.exists(p):
            out.append(None)
            continue
        a = np.load(p)
        assert a.shape[1] == BANDS + CHROMA and a.shape[0] >= FRAMES, (p, a.shape)
        out.append(a.astype(np.float32))
    return out


def windows(a, n):
    starts = np.linspace(0, a.shape[0] - FRAMES, n).astype(int)
    w = np.stack([a[s:s + FRAMES] for s in starts])
    return torch.from_numpy(w[:, :, :BANDS].copy()), torch.from_numpy(w[:, :, BANDS:].copy())


@torch.no_grad()
def predict(model, clips, n=16):
    """Mean posterior of n evenly spaced windows per clip (the C# verbs average every window)."""
    model.eval()
    out = []
    for a in clips:
        mel, chroma = windows(a, n)
        logits, _, _ = model(mel, chroma)
        out.append(F.softmax(logits, dim=1).mean(dim=0).numpy())
    return np.array(out)


def batch(clips, idx, rng, variants, orig_share):
    mel = np.empty((len(idx), FRAMES, BANDS), dtype=np.float32)
    chroma = np.empty((len(idx), FRAMES, CHROMA), dtype=np.float32)
    for j, i in enumerate(idx):
        choices = [v for v in variants if clips[v][i] is not None]
        v = "orig" if (rng.random() < orig_share or not choices) else choices[rng.integers(len(choices))]
        a = clips[v][i]
        s = rng.integers(0, a.shape[0] - FRAMES + 1)
        w = a[s:s + FRAMES]
        m = w[:, :BANDS].copy()
        f = rng.integers(0, 13)  # SpecAugment: one band mask, one time mask
        f0 = rng.integers(0, BANDS - f + 1)
        m[:, f0:f0 + f] = m.mean()
        t = rng.integers(0, 17)
        t0 = rng.integers(0, FRAMES - t + 1)
        m[t0:t0 + t, :] = m.mean()
        mel[j] = m
        chroma[j] = w[:, BANDS:]
    return torch.from_numpy(mel), torch.from_numpy(chroma)


def train_fold(a, fold):
    torch.set_num_threads(a.threads)
    rows = load_folds(a.folds)
    train_rows = [r for r in rows if r[3] != fold]
    test_rows = [r for r in rows if r[3] == fold]
    # inner validation for early stopping: ~12 % of the training artists (never the test fold)
    rng = np.random.default_rng(a.seed + fold)
    artists = sorted({r[1] for r in train_rows})
    rng.shuffle(artists)
    val_artists, n = set(), 0
    for art in artists:
        if n >= 0.12 * len(train_rows):
            break
        val_artists.add(art)
        n += sum(1 for r in train_rows if r[1] == art)
    fit_rows = [r for r in train_rows if r[1] not in val_artists]
    val_rows = [r for r in train_rows if r[1] in val_artists]
    variants = [v for v in AUG if os.path.isdir(os.path.join(a.feat, v))] if a.augment else []
    fit = {v: load_variant(a.feat, v, [r[0] for r in fit_rows]) for v in ["orig"] + variants}
    yfit = np.array([r[2] for r in fit_rows])
    val = load_variant(a.feat, "orig", [r[0] for r in val_rows])
    yval = np.array([r[2] for r in val_rows])
    soft = None
    if a.teachers:  # distillation: each clip's target leans towards the mean posterior of this fold's teachers
        teachers = [load_member(os.path.join(d, f"fold{fold}.pt"))[0] for d in a.teachers.split(",")]
        soft = torch.from_numpy(np.mean([predict(t, fit["orig"]) for t in teachers], axis=0)).float()
    # per-band statistics of level-shifted frames (the graph shifts each window by its own mean level)
    level = np.concatenate([c[:, :BANDS] - c[:, :a.max_band].mean() for c in fit["orig"]])
    wmean, wstd = level.mean(axis=0), level.std(axis=0) + 1e-3
    if a.framewise:  # the front end's frames are each relative to the level around them
        k = a.level_frames
        box = np.ones(2 * k + 1) / (2 * k + 1)
        level = np.concatenate([c[k:len(c) - k, :BANDS] - np.convolve(c[:, :a.max_band].mean(axis=1), box, "valid")[:, None]
                                for c in fit["orig"]])
    mean, std = level.mean(axis=0), level.std(axis=0) + 1e-3
    channels = tuple(int(c) for c in a.channels.split(","))
    torch.manual_seed(a.seed + fold)
    model = Crnn(mean, std, max_band=a.max_band, branches=not a.no_branches, channels=channels,
                 framewise=a.framewise, wmean=wmean, wstd=wstd, level_frames=a.level_frames)
    nparams = sum(p.numel() for p in model.parameters())
    print(f"fold {fold}: fit {len(fit_rows)} val {len(val_rows)} test {len(test_rows)} params {nparams} "
          f"variants {variants}", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=1e-3)
    g = a.clip_crops  # > 1: each clip's crops share one loss on their mean posterior (the clip decision's rule)
    order = np.repeat(np.arange(len(fit_rows)), a.crops // g)
    steps = a.epochs * ((len(order) + 32 // g - 1) // (32 // g))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=steps, pct_start=0.15)
    # the exponential moving average of the weights (and BatchNorm statistics) is what is validated and kept: the raw
    # weights' score on ~70 validation clips jumps by +-0.1 from epoch to epoch
    ema = torch.optim.swa_utils.AveragedModel(model, avg_fn=lambda avg, new, n: a.ema * avg + (1 - a.ema) * new, use_buffers=True)
    best, best_state, bad, t0 = -1.0, None, 0, time.time()
    for epoch in range(a.epochs):
        model.train()
        rng.shuffle(order)
        tot = 0.0
        for b in range(0, len(order), 32 // g):
            idx = np.repeat(order[b:b + 32 // g], g)  # g crops of each clip, drawn independently by batch()
            mel, chroma = batch(fit, idx, rng, variants, a.orig_share)
            y = torch.from_numpy(yfit[idx])
            yo = F.one_hot(y, 4).float()
            if soft is not None:
                yo = (1 - a.distill) * yo + a.distill * soft[idx]
            va = VA[y]
            if a.mixup > 0:  # a clip's crops are mixed with one other clip's crops
                lam = float(rng.beta(a.mixup, a.mixup))
                perm = (torch.randperm(mel.shape[0] // g)[:, None] * g + torch.arange(g)[None, :]).reshape(-1)
                mel = lam * mel + (1 - lam) * mel[perm]
                chroma = lam * chroma + (1 - lam) * chroma[perm]
                yo = lam * yo + (1 - lam) * yo[perm]
                va = lam * va + (1 - lam) * va[perm]
            logits, vao, _ = model(mel, chroma)
            logp = F.log_softmax(logits, dim=1)
            if g > 1:  # log of the mean posterior of each clip's crops
                logp = torch.logsumexp(logp.reshape(-1, g, 4), dim=1) - float(np.log(g))
                yo = yo.reshape(-1, g, 4)[:, 0]
            loss = -(yo * logp).sum(dim=1).mean() + 0.5 * F.mse_loss(vao, va)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            ema.update_parameters(model)
            tot += float(loss) * len(idx)
        pv = predict(ema.module, val, 8).argmax(axis=1)
        f1, _ = macro_f1(confusion(yval, pv))
        print(f"fold {fold} epoch {epoch + 1} loss {tot / (len(order) * g):.3f} val macro-F1 {f1:.3f} ({time.time() - t0:.0f} s)",
              flush=True)
        if f1 > best and epoch + 1 >= a.min_epochs:
            best, bad = f1, 0
            best_state = {k: v.clone() for k, v in ema.module.state_dict().items()}
        elif epoch + 1 >= a.min_epochs:
            bad += 1
        if bad >= a.patience or time.time() - t0 > a.minutes * 60:
            break
    model.load_state_dict(best_state)
    model.eval()
    os.makedirs(a.out, exist_ok=True)
    torch.save({"state": model.state_dict(), "mean": mean, "std": std, "max_band": a.max_band,
                "branches": not a.no_branches, "channels": channels, "framewise": a.framewise,
                "wmean": wmean, "wstd": wstd, "level_frames": a.level_frames, "params": nparams, "val_f1": best, "epochs": epoch + 1,
                "seconds": time.time() - t0}, os.path.join(a.out, f"fold{fold}.pt"))
    # out-of-fold posteriors of the test fold, in every condition
    oof = {"songs": [r[0] for r in test_rows], "labels": [r[2] for r in test_rows]}
    for c in CONDITIONS:
        clips = load_variant(a.feat, c, [r[0] for r in test_rows])
        if any(x is None for x in clips):
            continue
        oof[c] = predict(model, clips).tolist()
    json.dump(oof, open(os.path.join(a.out, f"oof{fold}.json"), "w"))
    p = np.array(oof["orig"]).argmax(axis=1)
    f1, _ = macro_f1(confusion(np.array(oof["labels"]), p))
    print(f"fold {fold}: test macro-F1 {f1:.3f} (val {best:.3f}, {time.time() - t0:.0f} s)", flush=True)


def load_member(path):
    ck = torch.load(path)
    m = Crnn(ck["mean"], ck["std"], max_band=ck["max_band"], branches=ck["branches"],
             channels=ck.get("channels", (16, 32, 48, 64)), framewise=ck.get("framewise", False),
             wmean=ck.get("wmean"), wstd=ck.get("wstd"), level_frames=ck.get("level_frames", 0))
    m.load_state_dict(ck["state"])
    return m.eval(), ck


def predict_condition(a, condition):
    """Out-of-fold posteriors for a condition made after training (e.g. the real-time line-in subset): each clip
    present in FEAT/condition is predicted by the fold model that did not train on it."""
    rows = load_folds(a.folds)
    for k in sorted({r[3] for r in rows}):
        path = os.path.join(a.out, f"oof{k}.json")
        oof = json.load(open(path))
        model, _ = load_member(os.path.join(a.out, f"fold{k}.pt"))
        songs = oof["songs"]
        clips = load_variant(a.feat, condition, songs)
        probs = iter(predict(model, [c for c in clips if c is not None]))
        oof[condition] = [None if c is None else next(probs).tolist() for c in clips]
        json.dump(oof, open(path, "w"))
        print(f"fold {k}: {sum(c is not None for c in clips)} clips of {condition}", flush=True)


def nll(probs, labels, t):
    z = np.log(probs + 1e-7) / t
    z = z - z.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-logp[np.arange(len(labels)), labels].mean()), np.exp(logp)


def ece(probs, labels, bins=10):
    conf, pred = probs.max(axis=1), probs.argmax(axis=1)
    total = 0.0
    for lo in np.linspace(0, 1, bins, endpoint=False):
        m = (conf > lo) & (conf <= lo + 1.0 / bins)
        if m.any():
            total += m.mean() * abs((pred[m] == labels[m]).mean() - conf[m].mean())
    return float(total)


def combine(a):
    folds = sorted(int(f[3:-5]) for f in os.listdir(a.out) if f.startswith("oof") and f.endswith(".json"))
    oofs = [json.load(open(os.path.join(a.out, f"oof{k}.json"))) for k in folds]
    labels = np.concatenate([o["labels"] for o in oofs])
    report = {"folds": {}, "conditions": {}}
    for c in CONDITIONS + ["linein"]:
        if not all(c in o for o in oofs):
            continue
        subset = any(p is None for o in oofs for p in o[c])
        if subset:
            # a condition made for part of the clips: pooled over those clips, beside orig on the same clips
            pairs = [(y, p, q) for o in oofs for y, p, q in zip(o["labels"], o[c], o["orig"]) if p is not None]
            ys = np.array([y for y, _, _ in pairs])
            f1c, per_mood = macro_f1(confusion(ys, np.array([p for _, p, _ in pairs]).argmax(axis=1)))
            f1o, _ = macro_f1(confusion(ys, np.array([q for _, _, q in pairs]).argmax(axis=1)))
            report["conditions"][c] = {"clips": len(pairs), "pooled": f1c, "orig_same_clips": f1o,
                                       "per_mood_f1": dict(zip(MOODS, [round(x, 4) for x in per_mood]))}
            print(f"{c:9s} {len(pairs)} clips: macro-F1 {f1c:.3f} (orig on the same clips {f1o:.3f})")
            continue
        per = []
        for k, o in zip(folds, oofs):
            f1, _ = macro_f1(confusion(np.array(o["labels"]), np.array(o[c]).argmax(axis=1)))
            per.append(f1)
        probs = np.concatenate([o[c] for o in oofs])
        m = confusion(labels, probs.argmax(axis=1))
        pooled, per_mood = macro_f1(m)
        report["conditions"][c] = {"mean": float(np.mean(per)), "sd": float(np.std(per, ddof=1)) if len(per) > 1 else 0.0,
                                   "per_fold": [round(x, 4) for x in per], "pooled": pooled,
                                   "per_mood_f1": dict(zip(MOODS, [round(x, 4) for x in per_mood])),
                                   "confusion": m.tolist()}
        print(f"{c:9s} macro-F1 {np.mean(per):.3f} +- {report['conditions'][c]['sd']:.3f} (folds "
              + " ".join(f"{x:.3f}" for x in per) + f"), pooled {pooled:.3f}")
    probs = np.concatenate([o["orig"] for o in oofs])
    ts = np.exp(np.linspace(np.log(0.25), np.log(4), 200))
    t = float(ts[int(np.argmin([nll(probs, labels, x)[0] for x in ts]))])
    before, after = nll(probs, labels, 1.0), nll(probs, labels, t)
    report["calibration"] = {"temperature": round(t, 4), "nll_before": round(before[0], 4), "nll_after": round(after[0], 4),
                             "ece_before": round(ece(probs, labels), 4), "ece_after": round(ece(after[1], labels), 4)}
    print("calibration:", report["calibration"])
    for k in folds:
        ck = torch.load(os.path.join(a.out, f"fold{k}.pt"))
        report["folds"][k] = {"val_f1": round(ck["val_f1"], 4), "epochs": ck["epochs"], "seconds": round(ck["seconds"])}
    json.dump(report, open(os.path.join(a.out, "cv.json"), "w"), indent=2)
    if a.export:
        export(a, folds, t, report)


def synthetic_windows(rng):
    """Fixture windows that need no audio, in the dB and chroma ranges of real input: 8 variations of one synthetic
    'passage' (a fixed spectral shape and chord with a pulsing envelope; the personalization tests correct 0..3 and
    expect 4..7 to follow) and 8 unrelated ones."""
    t = np.arange(FRAMES)[:, None]
    b = np.arange(BANDS)[None, :]
    mels, chromas = [], []
    shape = -20 + 25 * np.sin(b / 9.0) - 0.4 * b
    chord = np.eye(12)[[0, 4, 7]].sum(0)
    for k in range(8):
        pulse = 6.0 * (np.sin(2 * np.pi * t / 21.5 + k) > 0.6)
        mels.append(shape + pulse + rng.normal(0, 2.0, (FRAMES, BANDS)))
        c = 0.2 * rng.gamma(1.0, 1.0, (FRAMES, CHROMA)) + chord[None, :]
        chromas.append(c / c.sum(axis=1, keepdims=True))
    for k in range(8):
        other = -30 - 0.3 * b + rng.normal(0, 7.0, (1, BANDS)) + rng.uniform(-12, 6)  # an unrelated spectral shape
        env = rng.uniform(2, 15) * np.sin(2 * np.pi * t / rng.uniform(8, 60) + k)
        mels.append(other + env * (b < rng.integers(20, 96)) + rng.normal(0, 3.0, (FRAMES, BANDS)))
        c = rng.gamma(0.5, 1.0, (FRAMES, CHROMA))
        chromas.append(c / c.sum(axis=1, keepdims=True))
    return np.stack(mels).astype(np.float32), np.stack(chromas).astype(np.float32)


def export_onnx(model, path):
    """Framewise members are exported with the strip inputs (`strip` [1, S, 96], `starts` int64 [N]): the C# offline
    verbs run the front end once per strip of overlapping windows; live, strip = the window and starts = [0]."""
    outputs = ["logits", "valence_arousal", "embedding"]
    mel, chroma = torch.zeros(1, FRAMES, BANDS), torch.full((1, FRAMES, CHROMA), 1 / 12)
    if all(m.framewise for m in model.members):
        model = StripEnsemble(list(model.members), 1.0 / float(model.inv_t)).eval()
        axes = {n: {0: "n"} for n in ["mel", "chroma", "starts"] + outputs}
        axes["strip"] = {1: "s"}
        torch.onnx.export(model, (mel, chroma, mel.clone(), torch.zeros(1, dtype=torch.int64)), path, opset_version=13,
                          input_names=["mel", "chroma", "strip", "starts"], output_names=outputs, dynamic_axes=axes)
        return
    torch.onnx.export(model, (mel, chroma), path, opset_version=13, input_names=["mel", "chroma"],
                      output_names=outputs, dynamic_axes={n: {0: "n"} for n in ["mel", "chroma"] + outputs})


def export_member(a, fold):
    """Fold `fold`'s member alone, calibrated with the ensemble's temperature: it never trained on that fold's clips."""
    t = json.load(open(os.path.join(a.out, "cv.json")))["calibration"]["temperature"]
    model = Ensemble([load_member(os.path.join(a.out, f"fold{fold}.pt"))[0]], t).eval()
    os.makedirs(a.models, exist_ok=True)
    path = os.path.join(a.models, f"fold{fold}.onnx")
    export_onnx(model, path)
    print("exported", path, "(fold", fold, "member, temperature", t, ")")


def export(a, folds, t, report):
    members = [load_member(os.path.join(a.out, f"fold{k}.pt"))[0] for k in folds]
    model = Ensemble(members, t).eval()
    os.makedirs(a.models, exist_ok=True)
    path = os.path.join(a.models, "crnn.onnx")
    export_onnx(model, path)
    nparams = sum(p.numel() for p in model.parameters())
    meta = {"model": "crnn.onnx", "inputs": {"mel": [FRAMES, BANDS], "chroma": [FRAMES, CHROMA]},
            "features": "mel: log-mel dB, n_fft 1024, hop 512, 96 Slaney mels, 22050 Hz (MelSpectrogram defaults); "
                        "chroma: Chromagram (spectral peaks 80-5000 Hz, 12 pitch classes, sum 1 per frame); "
                        "window level, band limit and per-band normalisation inside the graph",
            "outputs": {"logits": 4, "valence_arousal": 2, "embedding": model.embedding_size},
            "moods": MOODS, "members": len(members), "parameters": nparams, "max_band": members[0].max_band,
            "temperature": t, "cv": {c: {k: v for k, v in r.items() if k in ("mean", "sd", "per_fold")}
                                     for c, r in report["conditions"].items()},
            "calibration": report["calibration"]}
    json.dump(meta, open(os.path.join(a.models, "crnn.json"), "w"), indent=2)
    os.makedirs(a.fixtures, exist_ok=True)
    mel, chroma = synthetic_windows(np.random.default_rng(7))
    with torch.no_grad():
        logits, va, emb = model(torch.from_numpy(mel), torch.from_numpy(chroma))
    # one window = its 128x96 mel block followed by its 128x12 chroma block (the C# estimator's window layout)
    np.concatenate([mel.reshape(len(mel), -1), chroma.reshape(len(chroma), -1)], axis=1).astype("<f4").tofile(
        os.path.join(a.fixtures, "windows.f32"))
    json.dump({"count": len(mel), "frames": FRAMES, "bands": BANDS, "chroma": CHROMA, "logits": logits.tolist(),
               "valence_arousal": va.tolist(), "embedding": emb.tolist()},
              open(os.path.join(a.fixtures, "expected.json"), "w"))
    print("exported", path, os.path.getsize(path), "bytes,", nparams, "parameters")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["fold", "combine", "condition", "member"])
    ap.add_argument("fold", nargs="?", default="0", help="fold index (fold) or condition name (condition)")
    ap.add_argument("--folds", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "folds.csv"))
    ap.add_argument("--feat", default="/work/data/feat")
    ap.add_argument("--out", default="/work/data/runs/main")
    ap.add_argument("--models", default="models")
    ap.add_argument("--fixtures", default="fixtures/crnn")
    ap.add_argument("--export", action="store_true")
    ap.add_argument("--epochs", type=int, default=24)
    ap.add_argument("--min-epochs", type=int, default=8, help="no model is kept before this epoch (the EMA warms up)")
    ap.add_argument("--patience", type=int, default=8)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--ema", type=float, default=0.99)
    ap.add_argument("--minutes", type=float, default=14.0, help="wall-clock cap per fold")
    ap.add_argument("--crops", type=int, default=4)
    ap.add_argument("--teachers", default="", help="run folders whose fold models teach (their fold's members only)")
    ap.add_argument("--distill", type=float, default=0.5, help="weight of the teachers' posterior in the target")
    ap.add_argument("--clip-crops", type=int, default=1,
                    help="crops of one clip per loss term: the loss is on their mean posterior (divides --crops)")
    ap.add_argument("--mixup", type=float, default=0.3)
    ap.add_argument("--max-band", type=int, default=92)
    ap.add_argument("--no-branches", action="store_true")
    ap.add_argument("--channels", default="16,32,48,64", help="conv channels of the four blocks")
    ap.add_argument("--framewise", action="store_true",
                    help="per-frame level and time-valid convolutions: the front end can run once over a strip")
    ap.add_argument("--level-frames", type=int, default=0,
                    help="framewise: each frame relative to the mean level of the 2k+1 frames around it (0: its own)")
    ap.add_argument("--augment", type=int, default=1)
    ap.add_argument("--orig-share", type=float, default=0.3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args()
    if a.command == "fold":
        train_fold(a, int(a.fold))
    elif a.command == "condition":
        predict_condition(a, a.fold)
    elif a.command == "member":
        export_member(a, int(a.fold))
    else:
        combine(a)


if __name__ == "__main__":
    main()
