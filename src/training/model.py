"""The LightMood mood model (exported to models/crnn.onnx): a CRNN over the log-mel window (Chen 2024, section 3.2)
with three small branches that carry what the mel CRNN lacks, all computed inside the graph from the two inputs that
C# feeds (`mel` [N, 128, 96] raw dB, `chroma` [N, 128, 12] pitch-class profiles summing to 1 per frame):

- level invariance: each window's mel is taken relative to its own mean level (gain, a venue's fader, a codec's
  level cannot move it), then per-band normalised with training statistics;
- band limit: only the mel bands below `max_band` are used (the shipped model: 92, up to 9.9 kHz, where the
  training codec cuts; 85 = 7.7 kHz scored lower in CV);
- statistics branch: per-band mean, std and flux over the window;
- tonal branch (valence): mean chroma, its correlation with the 24 Krumhansl-Kessler key profiles (major/minor
  key strength, mode = best major - best minor, key clarity), the mean chroma rotated to the best key, harmonic change
  (mean |chroma_t - chroma_t-1|) and chroma spread over time;
- rhythm branch: the autocorrelation of the onset envelope (mean positive mel flux) over lags 1..64 frames
  (0.02-1.5 s), pulse clarity and onset strength.
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

BANDS = 96
CHROMA = 12
FRAMES = 128
LAGS = 64

# Krumhansl-Kessler probe-tone profiles (C major, C minor)
KK_MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88]
KK_MINOR = [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]


def key_profiles():
    """[24, 12]: the 12 rotations of the major profile then of the minor, each centred and unit-norm."""
    rows = []
    for prof in (KK_MAJOR, KK_MINOR):
        p = np.array(prof)
        for k in range(12):
            r = np.roll(p, k)
            r = r - r.mean()
            rows.append(r / np.linalg.norm(r))
    return np.array(rows, dtype=np.float32)


def rotations():
    """[12, 12, 12]: R[k] @ c moves pitch class k to 0."""
    out = np.zeros((12, 12, 12), dtype=np.float32)
    for k in range(12):
        for i in range(12):
            out[k, i, (i + k) % 12] = 1.0
    return out


class TonalFeatures(nn.Module):
    size = 12 + 24 + 4 + 12 + 2

    def __init__(self):
        super().__init__()
        self.register_buffer("profiles", torch.from_numpy(key_profiles()))
        self.register_buffer("rot", torch.from_numpy(rotations()))

    def forward(self, chroma):  # [N, T, 12]
        mean = chroma.mean(dim=1)
        centred = mean - mean.mean(dim=1, keepdim=True)
        corr = centred @ self.profiles.t() / (centred.norm(dim=1, keepdim=True) + 1e-6)  # [N, 24]
        major, minor = corr[:, :12].max(dim=1).values, corr[:, 12:].max(dim=1).values
        clarity = corr.max(dim=1).values
        tonic = (corr[:, :12] + corr[:, 12:]).argmax(dim=1)
        onehot = F.one_hot(tonic, 12).float()  # [N, 12]
        rotated = torch.einsum("nk,kij,nj->ni", onehot, self.rot, mean)
        change = (chroma[:, 1:] - chroma[:, :-1]).abs().sum(dim=2).mean(dim=1, keepdim=True)
        spread = chroma.std(dim=1).mean(dim=1, keepdim=True)
        scalars = torch.stack([major, minor, major - minor, clarity], dim=1)
        return torch.cat([mean * 12, corr, scalars, rotated * 12, change, spread * 12], dim=1)


class RhythmFeatures(nn.Module):
    """The autocorrelation of the onset envelope at lags 1..LAGS, computed with one gather of the lagged envelope
    (4 graph nodes instead of ~5 per lag: the same numbers, far fewer ONNX Runtime kernel calls)."""
    size = LAGS + 3

    def __init__(self, frames=FRAMES):
        super().__init__()
        t = frames - 1  # onset frames per window
        lags = np.arange(1, LAGS + 1)[:, None]
        steps = np.arange(t)[None, :]
        # constants, not buffers: the weight average of training (AveragedModel over buffers) must not touch them
        self.lagged = torch.from_numpy(np.minimum(steps + lags, t - 1).astype(np.int64))  # [LAGS, t]
        self.weight = torch.from_numpy(((steps < t - lags) / (t - lags)).astype(np.float32))

    def forward(self, x):  # normalised mel [N, T, B]
        return self.from_onset(F.relu(x[:, 1:] - x[:, :-1]).mean(dim=2))

    def from_onset(self, onset):  # [N, T-1]
        o = onset - onset.mean(dim=1, keepdim=True)
        r0 = (o * o).mean(dim=1, keepdim=True) + 1e-6
        # mean of o[t + l] o[t] over t < T-1-l; gathered along time with the windows last, so that each gathered
        # element is a contiguous row of all windows (ONNX Runtime's Gather copies blocks, not single floats)
        ot = o.t()  # [T-1, N]
        ac = (ot[self.lagged] * ot.unsqueeze(0) * self.weight.unsqueeze(2)).sum(dim=1).t() / r0
        clarity = ac[:, 5:].max(dim=1, keepdim=True).values
        return torch.cat([ac, clarity, onset.mean(dim=1, keepdim=True), onset.std(dim=1, keepdim=True)], dim=1)


class Crnn(nn.Module):
    """One member. `framewise=True` (round 3): the convolutional front end sees each frame relative to its own level
    (per-frame mean over the bands, then per-band statistics) and its convolutions are 'valid' in time, so the
    front end of a window is exactly a slice of the front end of any longer strip of frames that starts 8k frames
    earlier: the offline verbs run it once over a strip of consecutive windows (`forward_strip`) instead of once per
    window (each frame sat in ~5 windows). The branches keep the window-level normalisation (`wmean`, `wstd`)."""

    STRIDE = 8  # frames per front-end time step (three 2x time pools)

    def __init__(self, mean, std, max_band=92, channels=(16, 32, 48, 64), hidden=64, branches=True,
                 framewise=False, wmean=None, wstd=None, level_frames=0):
        super().__init__()
        self.max_band = max_band
        self.framewise = framewise
        self.level_frames = level_frames
        self.register_buffer("mean", torch.tensor(mean[:max_band], dtype=torch.float32))
        self.register_buffer("inv_std", torch.tensor(1.0 / std[:max_band], dtype=torch.float32))
        if framewise:
            self.register_buffer("wmean", torch.tensor(wmean[:max_band], dtype=torch.float32))
            self.register_buffer("inv_wstd", torch.tensor(1.0 / wstd[:max_band], dtype=torch.float32))
        pools = [(2, 2), (2, 2), (2, 2), (1, 1)]
        pad = (1, 0) if framewise else 1
        layers, cin = [], 1
        for c, p in zip(channels, pools):
            layers += [nn.Conv2d(cin, c, 3, padding=pad, bias=False), nn.BatchNorm2d(c), nn.ELU()]
            if p != (1, 1):
                layers.append(nn.MaxPool2d(p))
            cin = c
        self.conv = nn.Sequential(*layers)
        self.channels = cin
        self.drop = nn.Dropout(0.3)
        self.gru = nn.GRU(cin, hidden, batch_first=True)
        self.branches = branches
        emb = hidden
        if branches:
            self.stats = nn.Sequential(nn.Linear(3 * max_band, 32), nn.ELU())
            self.tonal_features = TonalFeatures()
            self.tonal = nn.Sequential(nn.Linear(TonalFeatures.size, 32), nn.ELU())
            self.rhythm_features = RhythmFeatures()
            self.rhythm = nn.Sequential(nn.Linear(RhythmFeatures.size, 16), nn.ELU())
            emb += 32 + 32 + 16
        self.embedding_size = emb
        self.mood = nn.Linear(emb, 4)
        self.va = nn.Linear(emb, 2)

    def steps(self, frames):
        """Front-end time steps of a window of `frames` frames (framewise: a valid level average over
        2 * level_frames + 1 frames, valid 3-convs, floor 2-pools)."""
        t = frames - 2 * self.level_frames
        for _ in range(3):
            t = (t - 2) // 2
        return t - 2

    def normalise(self, mel):
        """The branches' input: the window relative to its own mean level, per-band normalised."""
        m = mel[:, :, :self.max_band]
        m = m - m.mean(dim=(1, 2), keepdim=True)  # the window's own level
        if self.framewise:
            return (m - self.wmean) * self.inv_wstd
        return (m - self.mean) * self.inv_std

    def normalise_frames(self, mel):
        """The framewise front end's input: each frame relative to the mean level of the frames around it (itself
        alone when level_frames = 0; else the 2k+1 frames centred on it, the window's first and last k frames only
        feeding that average), per-band normalised."""
        m = mel[:, :, :self.max_band]
        k = self.level_frames
        if k == 0:
            m = m - m.mean(dim=2, keepdim=True)
        else:
            level = F.avg_pool1d(m.mean(dim=2).unsqueeze(1), 2 * k + 1, stride=1).squeeze(1)  # [N, T - 2k]
            m = m[:, k:m.shape[1] - k] - level.unsqueeze(2)
        return (m - self.mean) * self.inv_std

    def front(self, mel):
        """[N, T, 96] dB -> [N, T', C] (the remaining bands max-pooled to 1).
        ELU is increasing, so it commutes with every max: each block's ELU runs after its max-pool and the last after
        the max over the bands (the same numbers as conv-ELU-pool, on 4x to 11x fewer values: ELU was the graph's
        costliest kernel)."""
        x = self.normalise_frames(mel) if self.framewise else self.normalise(mel)
        h = x.transpose(1, 2).unsqueeze(1)
        layers = list(self.conv)
        i = 0
        while i < len(layers):
            if isinstance(layers[i], nn.ELU) and i + 1 < len(layers) and isinstance(layers[i + 1], nn.MaxPool2d):
                h = layers[i](layers[i + 1](h))
                i += 2
            elif isinstance(layers[i], nn.ELU) and i == len(layers) - 1:
                return layers[i](h.amax(dim=2)).transpose(1, 2)  # [N, C, B', T'] -> [N, T', C]
            else:
                h = layers[i](h)
                i += 1
        return h.amax(dim=2).transpose(1, 2)

    def head(self, h, mel, chroma):
        out, _ = self.gru(self.drop(h))
        parts = [out.mean(dim=1)]
        if self.branches:
            x = self.normalise(mel)
            flux = (x[:, 1:] - x[:, :-1]).abs().mean(dim=1)
            parts.append(self.stats(torch.cat([x.mean(dim=1), x.std(dim=1), flux], dim=1)))
            parts.append(self.tonal(self.tonal_features(chroma)))
            parts.append(self.rhythm(self.rhythm_features(x)))
        emb = torch.cat(parts, dim=1)
        e = self.drop(emb)
        return self.mood(e), torch.tanh(self.va(e)), emb

    def forward(self, mel, chroma):
        return self.head(self.front(mel), mel, chroma)

    def head_shared(self, h, w, rhythm=None):
        """`head` from the member-independent window statistics `w` (WindowStatistics): the branches' normalisation
        is a shift and a positive per-band scale, so mean, std, flux and the onset envelope of the normalised window
        follow from the raw window's by that affine map (the same numbers as `head`, computed once per ensemble)."""
        out, _ = self.gru(self.drop(h))
        parts = [out.mean(dim=1)]
        if self.branches:
            mean, inv = (self.wmean, self.inv_wstd) if self.framewise else (self.mean, self.inv_std)
            parts.append(self.stats(torch.cat([(w["band_mean"] - w["level"] - mean) * inv, w["band_std"] * inv,
                                               w["flux"] * inv], dim=1)))
            parts.append(self.tonal(w["tonal"]))
            if rhythm is None:
                rhythm = self.rhythm_features.from_onset(w["rise"] @ (inv / self.max_band))
            parts.append(self.rhythm(rhythm))
        emb = torch.cat(parts, dim=1)
        e = self.drop(emb)
        return self.mood(e), torch.tanh(self.va(e)), emb

    def forward_strip(self, mel, chroma, strip, starts):
        """The windows `mel`/`chroma` [N, 128, *] are slices of `strip` [1, S, 96] starting at frames 8 * starts [N]
        (int64): the front end runs once over the strip and each window's steps are gathered from it."""
        h = self.front(strip)[0]  # [S', C]
        n_steps = self.steps(mel.shape[1])
        idx = starts.unsqueeze(1) + torch.arange(n_steps, dtype=torch.int64).unsqueeze(0)  # [N, steps]
        return self.head(h[idx], mel, chroma)


class Ensemble(nn.Module):
    """The fold models in one graph: mean posterior, calibrated by a temperature (log p / T, renormalised by softmax
    in C#), mean valence/arousal, concatenated embedding."""

    def __init__(self, models, temperature=1.0):
        super().__init__()
        self.members = nn.ModuleList(models)
        self.embedding_size = sum(m.embedding_size for m in models)
        self.register_buffer("inv_t", torch.tensor(1.0 / temperature, dtype=torch.float32))

    def combine(self, outs):
        p = torch.stack([F.softmax(o[0], dim=1) for o in outs]).mean(dim=0)
        va = torch.stack([o[1] for o in outs]).mean(dim=0)
        return torch.log(p + 1e-7) * self.inv_t, va, torch.cat([o[2] for o in outs], dim=1)

    def forward(self, mel, chroma):
        return self.combine([m(mel, chroma) for m in self.members])


class StripEnsemble(Ensemble):
    """The same ensemble with the offline strip input (framewise members only): `strip` [1, S, 96] holds consecutive
    frames, window i of `mel`/`chroma` starts at strip frame 8 * starts[i]. Live, strip = the window and starts = [0]."""

    def forward(self, mel, chroma, strip, starts):
        first = self.members[0]
        w = window_statistics(mel, chroma, first.max_band, first.tonal_features)
        rhythm = [None] * len(self.members)
        if first.branches:
            # every member's onset envelope in one product ([N, T-1, B] x [B, members]) and their rhythm features in
            # one pass over the members stacked as windows
            inv = torch.stack([(m.inv_wstd if m.framewise else m.inv_std) / m.max_band for m in self.members], dim=1)
            onsets = (w["rise"] @ inv).permute(2, 0, 1)  # [members, N, T-1]
            n = onsets.shape[1]
            stacked = first.rhythm_features.from_onset(onsets.reshape(-1, onsets.shape[2]))
            rhythm = [stacked[k * n:(k + 1) * n] for k in range(len(self.members))]
        outs = []
        for m, r in zip(self.members, rhythm):
            h = m.front(strip)[0]
            idx = starts.unsqueeze(1) + torch.arange(m.steps(mel.shape[1]), dtype=torch.int64).unsqueeze(0)
            outs.append(m.head_shared(h[idx], w, r))
        return self.combine(outs)


def window_statistics(mel, chroma, max_band, tonal_features):
    """What every member's branches read, computed once: the window's level, per-band mean, std and mean absolute
    flux over time, the rises of each band (positive frame-to-frame differences) and the tonal features."""
    m = mel[:, :, :max_band]
    d = m[:, 1:] - m[:, :-1]
    return {"level": m.mean(dim=(1, 2)).unsqueeze(1), "band_mean": m.mean(dim=1), "band_std": m.std(dim=1),
            "flux": d.abs().mean(dim=1), "rise": F.relu(d), "tonal": tonal_features(chroma)}
