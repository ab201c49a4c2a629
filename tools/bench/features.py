#!/usr/bin/python3
"""The features the offline analysis computes, the way most people would write them in NumPy/SciPy/pywt: the
baseline that `lightmood bench` (and docs/benchmarks.md) compares `lightmood analyze` with (issue 17).

For one WAV (read with scipy.io.wavfile; mono or the channels averaged; resampled to 22 050 Hz with
scipy.signal.resample_poly when it is at another rate):
  - STFT: Hann window 1024, hop 512 (scipy.signal.stft, no padding at the edges)
  - 96-band log-mel (Slaney-style triangular filters 0-11 025 Hz, power, dB)
  - spectral flux (mean positive dB rise per band and frame)
  - 0.5 s short-term energy E_t and its contrast z_t = E_{t+1}/E_t, flagged outside [0.6, 1.4] (Chen 2024 eq. 3.1, 3.5, 3.6)
  - 5-level db4 DWT (pywt.wavedec, per 2048-sample frame every 256 samples, as LightMood's onset detector frames it),
    log sub-band energies and their half-wave rectified rise summed over bands: the onset strength
  - the onset strength's autocorrelation over lags up to 4 s, and the tempo at its peak in 60-200 BPM
No model. Prints a one-line summary (frames, tempo, contrast jumps); `--quiet` prints nothing.
Usage: /usr/bin/python3 tools/bench/features.py FILE.wav [--quiet]
Needs: Debian python3-numpy python3-scipy python3-pywt.
"""
import sys

import numpy as np
import pywt
from scipy import signal
from scipy.io import wavfile

RATE, NFFT, HOP, BANDS = 22050, 1024, 512, 96
ONSET_WINDOW, ONSET_HOP, LEVELS = 2048, 256, 5


def load(path):
    rate, x = wavfile.read(path)
    if x.dtype.kind == "i":
        x = x.astype(np.float32) / np.iinfo(x.dtype).max
    x = x.astype(np.float32)
    if x.ndim == 2:
        x = x.mean(axis=1)
    if rate != RATE:
        g = np.gcd(rate, RATE)
        x = signal.resample_poly(x, RATE // g, rate // g).astype(np.float32)
    return x


def mel_filterbank(bands=BANDS, nfft=NFFT, rate=RATE):
    def hz_to_mel(f):
        return 2595.0 * np.log10(1.0 + f / 700.0)

    def mel_to_hz(m):
        return 700.0 * (10 ** (m / 2595.0) - 1.0)

    edges = mel_to_hz(np.linspace(hz_to_mel(0), hz_to_mel(rate / 2), bands + 2))
    bins = np.fft.rfftfreq(nfft, 1.0 / rate)
    fb = np.zeros((bands, bins.size), dtype=np.float32)
    for b in range(bands):
        lo, mid, hi = edges[b], edges[b + 1], edges[b + 2]
        up = (bins - lo) / (mid - lo)
        down = (hi - bins) / (hi - mid)
        fb[b] = np.maximum(0, np.minimum(up, down)) * (2.0 / (hi - lo))
    return fb


def features(x):
    _, _, z = signal.stft(x, fs=RATE, window="hann", nperseg=NFFT, noverlap=NFFT - HOP, boundary=None, padded=False)
    power = np.abs(z) ** 2
    mel_db = 10 * np.log10(np.maximum(mel_filterbank() @ power, 1e-10))
    flux = np.maximum(0, np.diff(mel_db, axis=1)).mean(axis=0)

    seg = RATE // 2
    n = len(x) // seg
    energy = np.square(x[: n * seg].astype(np.float64)).reshape(n, seg).sum(axis=1)
    ratio = energy[1:] / np.maximum(energy[:-1], 1e-12)
    jumps = np.flatnonzero((ratio < 0.6) | (ratio > 1.4))

    frames = 1 + (len(x) - ONSET_WINDOW) // ONSET_HOP
    idx = np.arange(ONSET_WINDOW)[None, :] + ONSET_HOP * np.arange(frames)[:, None]
    coeffs = pywt.wavedec(x[idx], "db4", level=LEVELS, axis=1)
    band_energy = np.stack([np.log1p(1e4 * np.mean(np.square(c), axis=1)) for c in coeffs], axis=1)
    onset = np.concatenate([[0.0], np.maximum(0, np.diff(band_energy, axis=0)).sum(axis=1)])

    centred = onset - onset.mean()
    spectrum = np.fft.rfft(centred, 2 * len(centred))
    acf = np.fft.irfft(np.abs(spectrum) ** 2)[: int(4 * RATE / ONSET_HOP)]
    lags = np.arange(acf.size)
    bpm = np.where(lags > 0, 60.0 * RATE / ONSET_HOP / np.maximum(lags, 1), 0)
    window = (bpm >= 60) & (bpm <= 200)
    tempo = bpm[window][np.argmax(acf[window])] if window.any() else float("nan")
    return mel_db, flux, jumps, onset, tempo


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    mel_db, flux, jumps, onset, tempo = features(load(args[0]))
    if "--quiet" not in sys.argv:
        print(f"{mel_db.shape[1]} mel frames x {mel_db.shape[0]} bands, flux mean {flux.mean():.3f}, "
              f"{jumps.size} energy-contrast jumps, {onset.size} onset frames, tempo {tempo:.1f} BPM")
    return 0


if __name__ == "__main__":
    sys.exit(main())
