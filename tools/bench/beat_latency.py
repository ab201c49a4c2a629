#!/usr/bin/env python3
"""Beat-to-light latency of the whole daemon, measured from outside.

Starts the daemon with raw PCM on stdin and writes a 120 BPM kick pattern (with a quiet pad under it) in 256-sample
periods, each written when its last sample is due, as a sound card hands periods to a capture driver. Listens for the
daemon's ArtDmx on 127.0.0.1:6454 and timestamps every frame. A beat flash is a frame where an intensity channel rises sharply
(the look's pulse jumps from its floor to full on the beat). For each kick after the first 10 s (tempo lock), latency =
the first flash after the kick's sound - the time the kick was due. Prints median, p90 and the mean absolute value.

    dotnet build -c Release src/LightMood
    /usr/bin/python3 tools/bench/beat_latency.py [--seconds 60] [--bpm 120] [--mood tense]

It excludes the sound card's own input latency (a property of the hardware; Lighting:BeatOffsetSeconds trims it).
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import threading
import time
import urllib.request

import numpy as np

SR = 22050
PERIOD = 256
frames = []
lock = threading.Lock()


def listen(sock):
    while True:
        data, _ = sock.recvfrom(1024)
        if data[:8] == b"Art-Net\x00" and int.from_bytes(data[8:10], "little") == 0x5000:
            with lock:
                frames.append((time.perf_counter(), np.frombuffer(data[18:], dtype=np.uint8).astype(np.int32)))


def beat_track(seconds, bpm, rng):
    n = int(seconds * SR)
    t = np.arange(n) / SR
    pad = 0.05 * (np.sin(2 * np.pi * 220 * t) + np.sin(2 * np.pi * 277.2 * t) + np.sin(2 * np.pi * 329.6 * t)) / 3
    pad += 0.01 * rng.standard_normal(n)
    x = pad.copy()
    onsets = np.arange(0.5, seconds - 0.5, 60.0 / bpm)
    k = np.arange(int(0.15 * SR)) / SR
    kick = np.sin(2 * np.pi * (50 * k + 60 * (1 - np.exp(-k * 30)) / 30 * 30 / 6)) * np.exp(-k * 25)
    hat = rng.standard_normal(len(k)) * np.exp(-k * 200) * 0.3
    for o in onsets:
        s = int(o * SR)
        x[s:s + len(k)] += 0.8 * kick[: n - s] + hat[: n - s]
    return np.clip(x, -1, 1), onsets


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dll", default="src/LightMood/bin/Release/net10.0/lightmood.dll")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--bpm", type=float, default=120)
    ap.add_argument("--mood", default="happy")
    ap.add_argument("--port", type=int, default=8283)
    ap.add_argument("--slot", type=int, default=1, help="DMX address of an intensity channel (1 = par-1's dimmer in config/patch.json)")
    args = ap.parse_args()
    url = f"http://127.0.0.1:{args.port}"
    audio, onsets = beat_track(args.seconds, args.bpm, np.random.default_rng(1))
    pcm = (audio * 32767).astype("<i2").tobytes()

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 6454))
    threading.Thread(target=listen, args=(sock,), daemon=True).start()
    env = dict(os.environ, DOTNET_gcServer="0")
    daemon = subprocess.Popen(
        ["dotnet", args.dll, "--Audio:Source=stdin", f"--Audio:SampleRate={SR}", "--Audio:Channels=1",
         f"--Web:Urls={url}", "--Lighting:ArtNet:ListenPort=0"],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        cwd=os.path.dirname(os.path.abspath(__file__)) + "/../..")
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/api/state", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        req = urllib.request.Request(url + "/api/mood/force", data=json.dumps({"mood": args.mood}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        urllib.request.urlopen(req, timeout=5).read()
        start = time.perf_counter()
        for p in range(0, len(audio) // PERIOD):
            due = start + (p + 1) * PERIOD / SR
            while True:
                wait = due - time.perf_counter()
                if wait <= 0:
                    break
                time.sleep(min(wait, 0.002))
            daemon.stdin.write(pcm[p * PERIOD * 2:(p + 1) * PERIOD * 2])
            daemon.stdin.flush()
        time.sleep(0.5)
    finally:
        daemon.terminate()
        daemon.wait(10)
    with lock:
        ts = np.array([t for t, _ in frames])
        slots = np.stack([f for _, f in frames])
    if os.environ.get("BEAT_LATENCY_DUMP"):
        np.savez(os.environ["BEAT_LATENCY_DUMP"], ts=ts, slots=slots, start=start, onsets=onsets)
    rise = np.diff(slots[:, args.slot - 1])
    threshold = 0.5 * np.percentile(rise, 99.5)
    flashes = ts[1:][rise > threshold]
    period = 60.0 / args.bpm
    lat = []
    for o in onsets:
        if o < 10:
            continue
        due = start + o
        after = flashes[(flashes > due - period / 2) & (flashes < due + period / 2)]
        if len(after):
            lat.append((after[0] - due) * 1000)
    lat = np.array(lat)
    frame_gaps = np.diff(ts)
    print(f"ArtDmx frames {len(ts)} (median gap {np.median(frame_gaps) * 1000:.1f} ms), flashes {len(flashes)}, "
          f"kicks after 10 s {int((onsets >= 10).sum())}, matched {len(lat)}")
    print(f"beat -> light flash: median {np.median(lat):.1f} ms, p10 {np.percentile(lat, 10):.1f} ms, "
          f"p90 {np.percentile(lat, 90):.1f} ms, mean |latency| {np.abs(lat).mean():.1f} ms")


if __name__ == "__main__":
    main()
