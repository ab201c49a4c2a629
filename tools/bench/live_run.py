#!/usr/bin/env python3
"""A live line-in run: the demo track played N times into a PulseAudio null sink, the daemon capturing it through
PortAudio. Polls /api/state at 20 Hz and /proc for the daemon's CPU and memory, then prints: CPU share, RSS, dropped
blocks (log event 1103), the mood-change latency: for each true boundary of the demo (every 30 s of playback), the
time from the change in the audio to the first change of the lights' look after it (none over 4 s is the target) and
to the first poll showing the new section's mood (a wrong look first does not count there), and
how long each look was held (the shortest must not be under the analysis' minimum hold, Analysis:MinHoldSeconds),
and the section-change latency: the time from the change in the audio to the first state whose `mood.section_start_s`
names a new section (the moment the lights can vary the look or start the crossfade; target <= 1 s).

    XDG_RUNTIME_DIR=/tmp/lm-live bash tests/LightMood.Audio.Tests/rigs/start-virtual-linein.sh
    dotnet lightmood.dll --Audio:Source=portaudio --Audio:Device=pulse --Web:Urls=http://127.0.0.1:8282 &
    /usr/bin/python3 tools/bench/live_run.py --pid PID --url http://127.0.0.1:8282 --plays 5
"""
import argparse
import json
import os
import statistics
import subprocess
import time
import urllib.request


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--url", default="http://127.0.0.1:8282")
    ap.add_argument("--plays", type=int, default=5)
    ap.add_argument("--demo", default="fixtures/demo/demo.ogg")
    ap.add_argument("--log", default=None)
    ap.add_argument("--min-hold", type=float, default=4.0, help="the daemon's Analysis:MinHoldSeconds")
    args = ap.parse_args()
    tick = os.sysconf("SC_CLK_TCK")

    def cpu():
        f = open(f"/proc/{args.pid}/stat").read().split(")")[1].split()
        return (int(f[11]) + int(f[12])) / tick

    def rss():
        for line in open(f"/proc/{args.pid}/status"):
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
        return 0

    boundaries = []
    expected = []
    looks = []
    sections = []
    rss_max = 0
    c0, t0 = cpu(), time.time()
    for play in range(args.plays):
        start = time.time()
        player = subprocess.Popen(["paplay", "-d", "linein", args.demo])
        boundaries += [start + k * 30 for k in (1, 2, 3)]
        expected += ["happy", "tense", "sad"]   # the demo's sections: calm, happy, tense, sad
        while player.poll() is None:
            try:
                s = json.load(urllib.request.urlopen(args.url + "/api/state", timeout=2))
                looks.append((time.time(), s["lights"]["look"]))
                if isinstance(s.get("mood"), dict) and "section_start_s" in s["mood"]:
                    sections.append((time.time(), s["mood"]["section_start_s"]))
            except OSError:
                pass
            rss_max = max(rss_max, rss())
            time.sleep(0.05)
    elapsed = time.time() - t0
    share = (cpu() - c0) / elapsed * 100
    latencies = []
    for b in boundaries:
        before = [l for t, l in looks if t < b]
        after = [(t, l) for t, l in looks if b <= t < b + 15]
        if not before or not after:
            continue
        first = next(((t, l) for t, l in after if l != before[-1]), None)
        if first:
            latencies.append(first[0] - b)
    # to the right look: the first poll after the change that shows the new section's mood (a wrong look first counts
    # above, not here)
    right_latencies = []
    for b, mood in zip(boundaries, expected):
        first = next((t for t, l in looks if b <= t < b + 15 and l == mood), None)
        if first is not None:
            right_latencies.append(first - b)
    section_latencies = []
    for b in boundaries:
        before = [v for t, v in sections if t < b]
        after = [(t, v) for t, v in sections if b <= t < b + 15]
        if not before or not after:
            continue
        first = next(((t, v) for t, v in after if v != before[-1]), None)
        if first:
            section_latencies.append(first[0] - b)
    dropped = 0
    if args.log and os.path.exists(args.log):
        dropped = sum(1 for line in open(args.log) if "audio blocks dropped" in line)
    print(f"run {elapsed:.0f} s: CPU {share:.1f} % of one core, RSS max {rss_max:.0f} MB, drop reports {dropped}")
    if latencies:
        print(f"mood-change latency (audio change -> look change), {len(latencies)} of {len(boundaries)} boundaries: "
              f"median {statistics.median(latencies):.2f} s, min {min(latencies):.2f} s, max {max(latencies):.2f} s, "
              f"over 4 s: {sum(1 for l in latencies if l > 4)}")
    if right_latencies:
        print(f"mood-change latency to the right look, {len(right_latencies)} of {len(boundaries)} boundaries: "
              f"median {statistics.median(right_latencies):.2f} s, min {min(right_latencies):.2f} s, "
              f"max {max(right_latencies):.2f} s, over 4 s: {sum(1 for l in right_latencies if l > 4)}")
    if section_latencies:
        print(f"section-change latency (audio change -> new section in the state), {len(section_latencies)} of {len(boundaries)} "
              f"boundaries: median {statistics.median(section_latencies):.2f} s, min {min(section_latencies):.2f} s, "
              f"max {max(section_latencies):.2f} s, over 1 s: {sum(1 for l in section_latencies if l > 1)}")
    # how long each look was held: the runs of one look between changes (the first and the last are cut by the run)
    changes = [t for (t, l), (_, prev) in zip(looks[1:], looks) if l != prev]
    holds = [b - a for a, b in zip(changes, changes[1:])]
    if holds:
        short = [h for h in holds if h < args.min_hold - 0.1]   # 0.1 s: the 20 Hz polling
        print(f"looks held: {len(holds)}, shortest {min(holds):.2f} s, median {statistics.median(holds):.2f} s; "
              f"shorter than the minimum hold ({args.min_hold} s): {len(short)}")


if __name__ == "__main__":
    main()
