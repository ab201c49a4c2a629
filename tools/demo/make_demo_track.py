#!/usr/bin/env python3
"""Makes LightMood's demo track: four sections, one per mood, with known boundaries.

    /usr/bin/python3 tools/demo/make_demo_track.py            # writes fixtures/demo/demo.ogg + demo.regions.json

The script writes a Standard MIDI File itself, renders it with Debian's fluidsynth and the FluidR3_GM soundfont
(reverb and chorus off, so no tail crosses a boundary), and encodes OGG Vorbis with ffmpeg. Each section is built to
sit in its quadrant of the valence-arousal plane and to differ from its neighbours in loudness and/or onset rate:
  calm  (+V -A)  C major,  72 BPM, warm pad + soft nylon-guitar arpeggio
  happy (+V +A)  G major, 140 BPM dance-pop: saw lead, bright piano, strummed guitar, synth bass, four-on-the-floor
                 drums with claps, off-beat open hats and tambourine
  tense (-V +A)  E minor / diminished, chromatic, 150 BPM, distorted guitar in sixteenths + heavy drums
  sad   (-V -A)  A minor,  60 BPM, slow strings + sparse soft piano
Each section is rendered on its own and mastered like a record (MASTER_RMS_DBFS, a soft limiter): raw General MIDI renders
sit 20-30 dB below released music (calm measured -41 dBFS RMS), and the mood model learnt from released music.
"""
import json
import os
import struct
import subprocess
import sys
import tempfile
import wave

import numpy as np

SECTION = 30.0  # seconds per section
SOUNDFONT = "/usr/share/sounds/sf2/FluidR3_GM.sf2"
RATE = 22050
GAP = 0.02  # every note ends this long before its section's end (reverb and chorus are off: no tail to speak of)
OUT = os.environ.get("LIGHTMOOD_DEMO_OUT") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures", "demo")


class Song:
    """Events in milliseconds (MIDI at 60 BPM with 1000 ticks per quarter: one tick is one millisecond)."""

    def __init__(self):
        self.events = []  # (ms, order, bytes)

    def program(self, ch, prog, t):
        self.events.append((int(t * 1000), 0, bytes([0xC0 | ch, prog])))

    def volume(self, ch, vol, t):
        self.events.append((int(t * 1000), 0, bytes([0xB0 | ch, 7, vol])))

    def note(self, ch, pitch, start, dur, vel, limit):
        end = min(start + dur, limit - GAP)
        if end <= start:
            return
        self.events.append((int(start * 1000), 2, bytes([0x90 | ch, pitch, vel])))
        self.events.append((int(end * 1000), 1, bytes([0x80 | ch, pitch, 0])))

    def smf(self):
        track = bytearray()
        track += b"\x00\xff\x51\x03" + (1_000_000).to_bytes(3, "big")  # 60 BPM
        last = 0
        for ms, _, data in sorted(self.events):
            track += vlq(ms - last) + data
            last = ms
        track += b"\x00\xff\x2f\x00"
        return b"MThd" + struct.pack(">IHHH", 6, 0, 1, 1000) + b"MTrk" + struct.pack(">I", len(track)) + bytes(track)


def vlq(n):
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    return bytes(reversed(out))


def calm(s, t0):
    end = t0 + SECTION
    beat = 60 / 72
    s.program(0, 89, t0)  # warm pad
    s.program(1, 24, t0)  # nylon guitar
    s.volume(0, 70, t0)
    s.volume(1, 70, t0)
    chords = [[48, 52, 55, 60], [45, 52, 57, 60], [41, 53, 57, 60], [43, 50, 55, 59]]  # C Am F G
    t, i = t0, 0
    while t < end:
        chord = chords[i % 4]
        for p in chord:
            s.note(0, p, t, 4 * beat, 45, end)
        for k, p in enumerate([chord[0] + 12, chord[1] + 12, chord[2] + 12, chord[1] + 12]):
            s.note(1, p, t + k * beat, beat, 40, end)
        t += 4 * beat
        i += 1


def happy(s, t0):
    # dance-pop: 140 BPM, a bright saw lead and bright piano in eighths, claps, off-beat open hats and a tambourine
    # over the four-on-the-floor (the 128 BPM brass-and-piano version was heard as calm: too soft and sparse to be
    # like the happy music of the training data)
    end = t0 + SECTION
    beat = 60 / 140
    s.program(2, 1, t0)  # bright acoustic piano
    s.program(3, 81, t0)  # saw-wave lead
    s.program(10, 38, t0)  # synth bass
    s.program(11, 27, t0)  # clean electric guitar, strummed
    for ch in (2, 3, 9, 10, 11):
        s.volume(ch, 120, t0)
    chords = [[55, 59, 62], [60, 64, 67], [62, 66, 69], [55, 59, 62]]  # G C D G
    roots = [43, 48, 50, 43]
    melody = [79, 81, 83, 86, 83, 81, 79, 76, 74, 76, 79, 81, 83, 81, 79, 74]
    t, bar = t0, 0
    while t < end:
        chord = chords[bar % 4]
        for b in range(4):
            for e in range(2):  # piano and guitar on the eighths, bass walks root-octave
                for p in chord:
                    s.note(2, p + 12, t + (b + e / 2) * beat, beat * 0.3, 110 if e == 0 else 90, end)
                for k, p in enumerate(chord + [chord[0] + 12]):
                    s.note(11, p + 12, t + (b + e / 2) * beat + k * 0.006, beat * 0.4, 100 if e == 0 else 85, end)
                s.note(10, roots[bar % 4] + (12 if e else 0), t + (b + e / 2) * beat, beat * 0.45, 115, end)
            s.note(9, 36, t + b * beat, beat * 0.5, 120, end)  # four-on-the-floor kick
            if b % 2 == 1:
                s.note(9, 38, t + b * beat, beat * 0.5, 118, end)  # snare and clap on 2 and 4
                s.note(9, 39, t + b * beat, beat * 0.5, 110, end)
            for e in range(4):
                s.note(9, 42, t + (b + e / 4) * beat, beat * 0.2, 95 if e % 2 == 0 else 75, end)  # sixteenth hats
                s.note(9, 54, t + (b + e / 4) * beat, beat * 0.2, 80, end)  # tambourine
            s.note(9, 46, t + (b + 0.5) * beat, beat * 0.3, 90, end)  # open hat on the off-beat
            s.note(3, melody[(bar * 4 + b) % len(melody)], t + b * beat, beat * 0.9, 110, end)
            s.note(3, melody[(bar * 4 + b + 1) % len(melody)], t + (b + 0.5) * beat, beat * 0.4, 100, end)
        if bar % 4 == 3:
            s.note(9, 49, t, beat, 110, end)  # crash at the turnaround
        t += 4 * beat
        bar += 1


def tense(s, t0):
    end = t0 + SECTION
    beat = 60 / 150
    s.program(4, 30, t0)  # distortion guitar
    s.program(5, 29, t0)  # overdriven guitar, dissonant upper line
    for ch in (4, 5, 9):
        s.volume(ch, 127, t0)
    roots = [40, 41, 40, 46, 40, 43, 42, 41]  # E F E Bb E G F# F: chromatic, tritones
    t, bar = t0, 0
    while t < end:
        root = roots[bar % len(roots)]
        for k in range(16):  # sixteenths
            st = t + k * beat / 4
            s.note(4, root, st, beat / 4 * 0.8, 120, end)
            s.note(4, root + 6, st, beat / 4 * 0.8, 110, end)  # tritone power chord
            if k % 2 == 0:
                s.note(9, 36, st, beat / 8, 127, end)  # double kick
            if k % 8 == 4:
                s.note(9, 38, st, beat / 4, 127, end)
            if k % 4 == 0:
                s.note(5, root + 25 + (k // 4) % 3, st, beat * 0.9, 100, end)  # minor-second rubs
        s.note(9, 49, t, beat, 120, end)  # crash each bar
        t += 4 * beat
        bar += 1


def sad(s, t0):
    end = t0 + SECTION
    beat = 60 / 60
    s.program(6, 48, t0)  # strings
    s.program(7, 0, t0)  # piano
    s.volume(6, 60, t0)
    s.volume(7, 60, t0)
    chords = [[45, 52, 57, 60], [41, 48, 53, 57], [40, 47, 52, 56], [45, 52, 57, 60]]  # Am F E Am
    line = [69, 67, 65, 64, 65, 64, 62, 64]
    t, bar = t0, 0
    while t < end:
        for p in chords[bar % 4]:
            s.note(6, p, t, 4 * beat, 40, end)
        for k in range(2):
            s.note(7, line[(bar * 2 + k) % len(line)], t + 2 * k * beat, 2 * beat, 38, end)
        t += 4 * beat
        bar += 1


# section loudness after mastering (RMS dBFS): released music of each kind; neighbours differ by >= 4 dB (the soft cut sees the changes)
MASTER_RMS_DBFS = {"calm": -19.0, "happy": -14.0, "tense": -7.0, "sad": -22.0}


def limit(y, names):
    """The mastering limiter: linear up to 0.6, tanh above, ceiling 0.95."""
    t, ceiling = 0.6, 0.95
    a = np.abs(y)
    over = a > t
    y[over] = np.sign(y[over]) * (t + (ceiling - t) * np.tanh((a[over] - t) / (ceiling - t)))
    n = int(SECTION * RATE)
    for i, name in enumerate(names):
        seg = y[i * n:(i + 1) * n]
        print(f"{name:6s} mastered to {20 * np.log10(np.sqrt(np.mean(seg ** 2))):6.1f} dBFS RMS, peak {np.abs(seg).max():.2f}",
              file=sys.stderr)
    return y.astype(np.float32)


def check_boundaries(x, boundaries):
    """Measures each section change in the rendered audio and stops the script if one is not where the truth says.

    Short-term energy E_t in 10 ms frames (frame k spans samples round(k * RATE / 100) up to the next: 220.5 samples
    at 22 050 Hz, so whole-sample hops would drift 2.3 ms per second), in dB. The measured change is the step
    detector's peak: the time t within half a second of the written boundary that maximises
    |mean dB over [t, t + 0.5 s) - mean dB over [t - 0.5 s, t)| (a matched filter for a level step, deaf to single
    beats). It must lie within 50 ms of the boundary (the releases of the old section's last notes blur a falling
    edge by a few tens of ms; rising edges measure 0 ms), and the paper's energy contrast z = E_after / E_before over the
    second on each side (eq. 3.1, 3.5) must leave the band [0.6, 1.4]. Also reports where sound starts (fluidsynth
    renders from tick 0: no start latency beyond the first note's attack).
    """
    edges = np.round(np.arange(int(len(x) * 100 / RATE) + 1) * RATE / 100).astype(int)
    energy = np.add.reduceat(x ** 2, edges[:-1])[: len(edges) - 1] / np.diff(edges)
    db = 10 * np.log10(energy + 1e-12)
    first = int(np.argmax(db > -60)) / 100
    print(f"first 10 ms frame above -60 dBFS at {first:.2f} s", file=sys.stderr)
    ok = True
    for b in boundaries:
        f = int(round(b * 100))
        before, after = np.median(db[f - 100:f - 10]), np.median(db[f + 10:f + 100])
        z = energy[f:f + 100].mean() / energy[f - 100:f].mean()
        steps = [db[t:t + 50].mean() - db[t - 50:t].mean() for t in range(f - 50, f + 51)]
        peak = int(np.argmax(np.abs(steps)))
        measured = (f - 50 + peak) / 100
        good = abs(measured - b) <= 0.05 and not 0.6 <= z <= 1.4
        ok &= good
        print(f"boundary {b:5.1f} s: {before:6.1f} -> {after:6.1f} dBFS, z = {z:8.4f}, level step {steps[peak]:+5.1f} dB "
              f"at {measured:6.2f} s{'' if good else '  <-- NOT WHERE THE TRUTH SAYS'}", file=sys.stderr)
    if not ok:
        sys.exit("the rendered sections do not change where demo.regions.json says")


def render(song, tmp, name, seconds):
    """One song through fluidsynth (reverb and chorus off), mono float, exactly `seconds` long."""
    mid = os.path.join(tmp, f"{name}.mid")
    wav = os.path.join(tmp, f"{name}.wav")
    # a silent marker event at the end so the rendering lasts the full length
    song.events.append((int(seconds * 1000), 3, bytes([0xB0, 123, 0])))
    open(mid, "wb").write(song.smf())
    subprocess.run(["fluidsynth", "-ni", "-R", "0", "-C", "0", "-g", "0.5", "-r", str(RATE), "-F", wav,
                    SOUNDFONT, mid], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with wave.open(wav) as w:
        ch = w.getnchannels()
        x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768
    x = x.reshape(-1, ch).mean(axis=1)[: int(seconds * RATE)]
    return np.pad(x, (0, int(seconds * RATE) - len(x)))


def main():
    sections = [("calm", calm), ("happy", happy), ("tense", tense), ("sad", sad)]
    total = len(sections) * SECTION
    n = int(SECTION * RATE)
    with tempfile.TemporaryDirectory() as tmp:
        # each section rendered on its own and mixed like a stem at its mastering gain, so the release tail of a
        # section's last notes keeps that section's gain
        x = np.zeros(int(total * RATE) + int(2 * RATE), dtype=np.float64)
        for i, (name, build) in enumerate(sections):
            song = Song()
            build(song, 0)
            stem = render(song, tmp, name, SECTION + 2).astype(np.float64)
            rms = np.sqrt(np.mean(stem[:n] ** 2)) + 1e-9
            x[i * n:i * n + len(stem)] += stem * (10 ** (MASTER_RMS_DBFS[name] / 20) / rms)
        x = limit(x[: int(total * RATE)], [name for name, _ in sections])
        check_boundaries(x, [i * SECTION for i in range(1, len(sections))])
        pcm = os.path.join(tmp, "mono.wav")
        with wave.open(pcm, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes((np.clip(x, -1, 1) * 32767).astype("<i2").tobytes())
        os.makedirs(OUT, exist_ok=True)
        subprocess.run(["ffmpeg", "-y", "-loglevel", "error", "-i", pcm, "-ac", "1", "-ar", str(RATE), "-c:a",
                        "libvorbis", "-q:a", "3", "-map_metadata", "-1", "-fflags", "+bitexact",
                        os.path.join(OUT, "demo.ogg")], check=True)
    regions = [{"start_s": i * SECTION, "end_s": (i + 1) * SECTION, "mood": name} for i, (name, _) in enumerate(sections)]
    truth = {"file": "demo.ogg", "duration_s": total, "regions": regions,
             "boundaries_s": [i * SECTION for i in range(1, len(sections))]}
    with open(os.path.join(OUT, "demo.regions.json"), "w") as f:
        json.dump(truth, f, indent=2)
        f.write("\n")
    print(f"wrote {os.path.join(OUT, 'demo.ogg')} ({os.path.getsize(os.path.join(OUT, 'demo.ogg')) // 1024} KiB)", file=sys.stderr)


if __name__ == "__main__":
    main()
