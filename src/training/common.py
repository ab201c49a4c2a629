"""Shared data loading and metrics for the LightMood mood models (CRNN and the hand-crafted baseline)."""
import csv
import os

import numpy as np

MOODS = ["happy", "tense", "sad", "calm"]  # Q1..Q4, the order of LightMood.Analysis.Mood
FRAMES = 128  # MoodWindow.Frames
BANDS = 96


def load_split(split_csv, mel_dir):
    """Returns {set: (list of [frames, 96] float32 arrays, int labels, song ids)} for the sets in split.csv."""
    sets = {}
    for r in csv.DictReader(open(split_csv, newline="", encoding="utf-8")):
        path = os.path.join(mel_dir, r["song"] + ".npy")
        mel = np.load(path).astype(np.float32)
        assert mel.ndim == 2 and mel.shape[1] == BANDS and mel.shape[0] >= FRAMES, (path, mel.shape)
        xs, ys, ids = sets.setdefault(r["set"], ([], [], []))
        xs.append(mel)
        ys.append(int(r["quadrant"][1]) - 1)
        ids.append(r["song"])
    return {k: (v[0], np.array(v[1]), v[2]) for k, v in sets.items()}


def confusion(y_true, y_pred, k=4):
    m = np.zeros((k, k), dtype=int)
    for t, p in zip(y_true, y_pred):
        m[t, p] += 1
    return m


def macro_f1(m):
    f1s = []
    for i in range(m.shape[0]):
        tp = m[i, i]
        prec = tp / m[:, i].sum() if m[:, i].sum() else 0.0
        rec = tp / m[i, :].sum() if m[i, :].sum() else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return float(np.mean(f1s)), f1s


def report(name, y_true, y_pred):
    m = confusion(y_true, y_pred)
    f1, per = macro_f1(m)
    acc = float(np.trace(m) / m.sum())
    lines = [f"{name}: macro-F1 {f1:.3f}  accuracy {acc:.3f}",
             "per-mood F1: " + ", ".join(f"{n} {v:.3f}" for n, v in zip(MOODS, per)),
             "confusion (rows true, cols predicted; " + " ".join(MOODS) + "):"]
    lines += ["  " + " ".join(f"{v:4d}" for v in row) for row in m]
    return "\n".join(lines), f1, m
