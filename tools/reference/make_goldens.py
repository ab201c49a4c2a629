#!/usr/bin/python3
"""Writes the golden vectors the C# DSP tests compare with (fixtures/golden/*.json).

Run with Debian's Python (numpy, scipy, pywt):  /usr/bin/python3 tools/reference/make_goldens.py
The C# tests never need Python: the JSON files are committed. Every test signal is a closed-form formula
evaluated in float64 and rounded to float32, reproduced exactly by tests/LightMood.Analysis.Tests/TestSignals.cs.

References (each written from its definition, librosa is not used):
  mel.json       periodic Hann, unscaled rfft, power, Slaney mel filters (librosa.filters.mel norm="slaney"
                 definition), 10*log10(max(S, 1e-10)); frames not centred.
  energy.json    E_t = (1/M) sum x^2 over segments of M samples (eq. 3.1); z_t = (E_{t+1}+eps)/(E_t+eps)
                 (eq. 3.5); changes = maximal runs of out-of-band z_t in one direction (eq. 3.6, band [0.6, 1.4]).
  dwt.json       pywt.wavedec(x, "db4"/"db2", mode="periodization") (eq. 3.2, 3.3).
  spectrum.json  B(lambda) = |sum_n b(n) exp(-j lambda n)| (eq. 3.4): numpy rfft with zero padding, and the sum at
                 arbitrary lambda.
  onset.json     wavelet sub-band onset strength from the causal Mallat filter bank (db4, 5 levels, 'valid'
                 convolution, no wrap-around): each band's mean square over the coefficients in a 2048-sample frame,
                 hop 256; c_b = log(1 + 1e4 * mean); odf[t] = sum_b max(0, c_b[t] - c_b[t-1]); odf[0] = 0.
                 Also the filter bank's coefficients of a short signal ("filterbank").
  novelty.json   the soft cut's spectral/tonal step D(f) = sqrt(mean_b (mean(frames f..f+K-1) - mean(frames f-K..f-1))^2)
                 over numpy's own mel (dB) and chroma frames of tone_mix(8192) followed by triad(8192), K = 8; the
                 frames are stored too, so the C# kernel is checked on exactly the reference's input.
  tempo contrast: gamma_l = M / t_l for groups of M onsets (eq. 3.7), contrast gamma_{l+1}/gamma_l (eq. 3.8).
"""
import json
import math
import os

import numpy as np
import pywt

SR = 22050
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures", "golden")


def f32(a):
    return np.asarray(a, dtype=np.float64).astype(np.float32)


def tone_mix(n):
    """Signal A: two tones and a rising chirp."""
    t = np.arange(n, dtype=np.float64)
    x = (0.5 * np.sin(2 * np.pi * 440.0 * t / SR)
         + 0.25 * np.sin(2 * np.pi * 3000.0 * t / SR + 0.3)
         + 0.1 * np.sin(2 * np.pi * (50.0 + 2000.0 * t / n) * t / SR))
    return f32(x)


def stepped_tone(segments, m, amplitudes):
    """Signal B: a 1 kHz tone whose amplitude is constant within each segment of m samples."""
    t = np.arange(segments * m, dtype=np.float64)
    amp = np.repeat(np.asarray(amplitudes, dtype=np.float64), m)
    return f32(amp * np.sin(2 * np.pi * 1000.0 * t / SR))


def energy_amplitudes():
    a = []
    a += [0.2] * 10                 # steady
    a += [0.5] * 10                 # step up: one jump
    a += [0.5 * 0.7 ** k for k in range(1, 5)]  # ramp down, 4 out-of-band ratios in a row: one change
    a += [0.5 * 0.7 ** 4] * 6
    a += [0.5 * 0.7 ** 4 * 1.08] * 6  # small step, inside the band: no change
    a += [0.0] * 4                  # silence: a drop, then 0/0 = inside the band
    a += [0.3] * 4                  # back: one jump up
    a += [0.6] * 2                  # a second step up after in-band values: a second change
    return a


def kick_track(bpm, seconds):
    """Signal C: a synthetic kick (60 Hz decaying sine plus a 2 kHz click) on every beat, first beat at 0.1 s."""
    n = int(round(seconds * SR))
    x = np.zeros(n, dtype=np.float64)
    period = 60.0 / bpm
    k = 0
    while True:
        start = 0.1 + k * period
        s0 = int(math.ceil(start * SR))
        if s0 >= n:
            break
        length = min(int(0.25 * SR), n - s0)
        tt = (np.arange(length) + s0) / SR - start
        x[s0:s0 + length] += 0.8 * np.sin(2 * np.pi * 60.0 * tt) * np.exp(-tt / 0.08) \
            + 0.2 * np.sin(2 * np.pi * 2000.0 * tt) * np.exp(-tt / 0.005)
        k += 1
    return f32(x)


# --- mel -------------------------------------------------------------------------------------------------------

def hz_to_mel(f):
    f = np.asarray(f, dtype=np.float64)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, 1e-300) / min_log_hz) / logstep, mels)


def mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    f_sp = 200.0 / 3
    freqs = f_sp * m
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), freqs)


def slaney_mel_filters(sr, n_fft, n_mels, fmin, fmax):
    """librosa.filters.mel(htk=False, norm='slaney') by its definition."""
    fftfreqs = np.arange(n_fft // 2 + 1) * sr / n_fft
    mel_f = mel_to_hz(np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fftfreqs[None, :]
    weights = np.zeros((n_mels, len(fftfreqs)))
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    enorm = 2.0 / (mel_f[2:n_mels + 2] - mel_f[:n_mels])
    return weights * enorm[:, None]


def mel_db(x, n_fft=1024, hop=512, n_mels=96):
    x = np.asarray(x, dtype=np.float64)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)  # periodic Hann
    frames = 1 + (len(x) - n_fft) // hop
    fb = slaney_mel_filters(SR, n_fft, n_mels, 0.0, SR / 2.0)
    out = np.zeros((frames, n_mels))
    power0 = None
    for t in range(frames):
        spec = np.fft.rfft(x[t * hop:t * hop + n_fft] * window)
        power = np.abs(spec) ** 2
        if t == 0:
            power0 = power
        out[t] = 10 * np.log10(np.maximum(fb @ power, 1e-10))
    return out, power0


def triad(n):
    """Signal F: a C major triad (C4, E4, G4), equal amplitudes."""
    t = np.arange(n, dtype=np.float64)
    return f32(sum(0.3 * np.sin(2 * np.pi * f * t / SR) for f in (261.6256, 329.6276, 391.9954)))


def chroma(x, n_fft=1024, hop=512, fmin=80.0, fmax=5000.0):
    """Chromagram (LightMood.Analysis.Dsp.Chromagram): every spectral peak (a bin above both neighbours) between fmin
    and fmax, its frequency refined by a parabola through the log magnitudes of the three bins, adds its magnitude to
    the two pitch classes around its fractional MIDI pitch (linear split); each frame is normalised to sum 1
    (1/12 each when it has no peak energy)."""
    x = np.asarray(x, dtype=np.float64)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)
    bin_hz = SR / n_fft
    first, last = int(np.ceil(fmin / bin_hz)), min(n_fft // 2 - 1, int(np.floor(fmax / bin_hz)))
    frames = 1 + (len(x) - n_fft) // hop
    out = np.zeros((frames, 12))
    for t in range(frames):
        power = np.abs(np.fft.rfft(x[t * hop:t * hop + n_fft] * window)) ** 2
        power = power.astype(np.float32).astype(np.float64)  # the C# spectrum is float32
        c = np.zeros(12)
        total = 0.0
        for k in range(first, last + 1):
            b = power[k]
            if not (b > power[k - 1] and b >= power[k + 1]):
                continue
            la, lb, lc = (0.5 * np.log(max(v, 1e-20)) for v in (power[k - 1], b, power[k + 1]))
            den = la - 2 * lb + lc
            delta = 0.5 * (la - lc) / den if den < 0 else 0.0
            pitch = 69 + 12 * np.log2((k + delta) * bin_hz / 440.0)
            lower = np.floor(pitch)
            up = pitch - lower
            mag = np.sqrt(b)
            c[int(lower % 12)] += (1 - up) * mag
            c[int((lower + 1) % 12)] += up * mag
            total += mag
        out[t] = c / total if total > 1e-4 else np.full(12, 1 / 12)
    return out


def novelty(frames, k):
    """SpectralNovelty: D at every split f with k frames on both sides (f = k .. n - k)."""
    frames = np.asarray(frames, dtype=np.float64)
    out = []
    for f in range(k, len(frames) - k + 1):
        before = frames[f - k:f].mean(axis=0)
        after = frames[f:f + k].mean(axis=0)
        out.append(np.sqrt(np.mean((after - before) ** 2)))
    return np.array(out)


# --- energy ----------------------------------------------------------------------------------------------------

EPS = 1e-10
LOW, HIGH = 0.6, 1.4


def short_term_energy(x, m):
    x = np.asarray(x, dtype=np.float64)
    n = len(x) // m
    return (x[:n * m].reshape(n, m) ** 2).mean(axis=1)


def contrast(values):
    v = np.asarray(values, dtype=np.float64)
    return (v[1:] + EPS) / (v[:-1] + EPS)


def changes(z, low, high):
    """Maximal runs of consecutive out-of-band ratios in one direction: (first, last, direction, product)."""
    out = []
    run = None
    for i, r in enumerate(z):
        d = 1 if r > high else (-1 if r < low else 0)
        if d != 0 and run is not None and run[2] == d and run[1] == i - 1:
            run[1] = i
            run[3] *= r
        else:
            if run is not None:
                out.append(run)
                run = None
            if d != 0:
                run = [i, i, d, float(r)]
    if run is not None:
        out.append(run)
    return [{"first": a, "last": b, "direction": d, "ratio": p} for a, b, d, p in out]


# --- onsets ----------------------------------------------------------------------------------------------------

def streaming_mallat(x, wavelet="db4", levels=5):
    """Causal Mallat filter bank (eq. 3.2, 3.3 without wrap-around): at each level
    a[n] = sum_k h[k] s[2n + L - 1 - k], d[n] = sum_k g[k] s[2n + L - 1 - k] ('valid' convolution, every 2nd output).
    Returns [(detail_1, positions_1), ..., (detail_J, positions_J), (approx_J, positions_J)], position = index of the
    last input sample a coefficient depends on: p_m(n) = 2^m n + (2^m - 1)(L - 1)."""
    w = pywt.Wavelet(wavelet)
    h, g = np.array(w.dec_lo), np.array(w.dec_hi)
    L = len(h)
    s = np.asarray(x, dtype=np.float64)
    bands = []
    for m in range(1, levels + 1):
        if len(s) < L:
            a = np.zeros(0)
            d = np.zeros(0)
        else:
            a = np.convolve(s, h, mode="valid")[::2]
            d = np.convolve(s, g, mode="valid")[::2]
        pos = (2 ** m) * np.arange(len(d)) + (2 ** m - 1) * (L - 1)
        bands.append((d, pos))
        s = a
    bands.append((s, pos.copy() if len(s) == len(pos) else (2 ** levels) * np.arange(len(s)) + (2 ** levels - 1) * (L - 1)))
    return bands


def wavelet_odf(x, window=2048, hop=256, wavelet="db4", levels=5, scale=1e4):
    """Onset strength from the streaming filter bank: frame u = input samples [u hop, u hop + window); each band's
    envelope is the mean square of its coefficients whose position lies in the frame; c_b = ln(1 + scale * mean);
    odf[u] = sum_b max(0, c_b[u] - c_b[u-1]), odf[0] = 0."""
    x = np.asarray(x, dtype=np.float64)
    bands = streaming_mallat(x, wavelet, levels)
    frames = 1 + (len(x) - window) // hop
    odf = np.zeros(frames)
    prev = None
    for u in range(frames):
        lo, hi = u * hop, u * hop + window
        c = []
        for coefs, pos in bands:
            sel = coefs[(pos >= lo) & (pos < hi)]
            c.append(np.log1p(scale * np.mean(sel ** 2)) if len(sel) else 0.0)
        c = np.array(c)
        if prev is not None:
            odf[u] = np.sum(np.maximum(0.0, c - prev))
        prev = c
    return odf


def rate_groups(onset_times, m):
    """gamma_l = M / t_l over consecutive groups of M inter-onset intervals (eq. 3.7)."""
    g = []
    i = 0
    while i + m < len(onset_times):
        g.append(m / (onset_times[i + m] - onset_times[i]))
        i += m
    return g


def dump(name, obj):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")
    print(path, os.path.getsize(path), "bytes")


def r(a, digits=9):
    return [float(np.format_float_positional(v, precision=digits, unique=True, trim="-")) if np.isfinite(v) else None
            for v in np.asarray(a, dtype=np.float64).ravel()]


def main():
    os.makedirs(OUT, exist_ok=True)

    x = tone_mix(4096)
    mel, power0 = mel_db(x)
    dump("mel.json", {
        "signal": "tone_mix(4096)", "n_fft": 1024, "hop": 512, "n_mels": 96,
        "frames": mel.shape[0], "mel_db": r(mel, 6), "power_frame0": r(power0, 7),
        "filterbank_row_sums": r(slaney_mel_filters(SR, 1024, 96, 0.0, SR / 2.0).sum(axis=1), 9),
    })

    dump("chroma.json", {
        "n_fft": 1024, "hop": 512, "fmin": 80.0, "fmax": 5000.0,
        "tone_mix": r(chroma(tone_mix(4096)), 7), "triad": r(chroma(triad(4096)), 7),
        "silence": r(chroma(np.zeros(2048)), 7),
    })

    xn = np.concatenate([tone_mix(8192), triad(8192)])
    mel_n, _ = mel_db(xn)
    mel_n = np.round(mel_n, 3)   # stored rounded: the reference's novelty is computed from exactly what is stored
    chroma_n = np.round(chroma(xn), 6)
    dump("novelty.json", {
        "signal": "tone_mix(8192) ++ triad(8192)", "k": 8, "frames": int(mel_n.shape[0]),
        "mel_db": r(mel_n.ravel(), 3), "chroma": r(chroma_n.ravel(), 6),
        "mel_novelty": r(novelty(mel_n, 8), 9), "chroma_novelty": r(novelty(chroma_n, 8), 9),
    })

    m = 512
    amps = energy_amplitudes()
    xb = stepped_tone(len(amps), m, amps)
    e = short_term_energy(xb, m)
    z = contrast(e)
    dump("energy.json", {
        "signal": "stepped_tone", "segment": m, "amplitudes": amps, "low": LOW, "high": HIGH, "eps": EPS,
        "energy": r(e), "contrast": r(z), "changes": changes(z, LOW, HIGH),
    })

    xd = tone_mix(512)
    dwt = {"signal": "tone_mix(512)", "mode": "periodization", "cases": []}
    for wavelet, levels in (("db4", 5), ("db2", 3)):
        coeffs = pywt.wavedec(np.asarray(xd, dtype=np.float64), wavelet, mode="periodization", level=levels)
        w = pywt.Wavelet(wavelet)
        dwt["cases"].append({"wavelet": wavelet, "levels": levels, "dec_lo": list(w.dec_lo), "dec_hi": list(w.dec_hi),
                             "coefficients": [r(c) for c in coeffs]})
    dump("dwt.json", dwt)

    band = pywt.wavedec(np.asarray(xd, dtype=np.float64), "db4", mode="periodization", level=5)[3]  # cD3, 64 values
    lambdas = [0.0, 0.1, 1.0, 2.5, math.pi]
    direct = [abs(np.sum(band * np.exp(-1j * lam * np.arange(len(band))))) for lam in lambdas]
    dump("spectrum.json", {
        "band": "cD3 of db4 level-5 wavedec of tone_mix(512)", "b": r(band), "n_fft": 128,
        "amplitude": r(np.abs(np.fft.rfft(band, 128))), "lambdas": lambdas, "amplitude_at": r(direct),
    })

    xk = kick_track(120.0, 6.0)
    odf = wavelet_odf(xk)
    onset_times = [0.1 + k * 0.5 for k in range(12)] + [5.9 + k * 0.3 for k in range(12)]
    gamma = rate_groups(onset_times, 4)
    fb = streaming_mallat(tone_mix(512), "db4", 3)
    dump("onset.json", {
        "signal": "kick_track(120, 6)", "window": 2048, "hop": 256, "wavelet": "db4", "levels": 5, "scale": 1e4,
        "odf": r(odf, 7),
        "filterbank": {"signal": "tone_mix(512)", "levels": 3,
                       "bands": [{"coefficients": r(c), "positions": [int(p) for p in pos]} for c, pos in fb]},
        "rate_case": {"onsets_s": onset_times, "m": 4, "gamma": r(gamma), "contrast": r(contrast(gamma)),
                      "changes": changes(contrast(gamma), 0.8, 1.2)},
    })


if __name__ == "__main__":
    main()
