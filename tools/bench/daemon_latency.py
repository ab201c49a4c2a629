#!/usr/bin/env python3
"""Measures the running daemon from outside: API command -> changed ArtDmx frame on the wire, and the event-stream rate.

    lightmood --Lighting:ArtNet:ListenPort=0 &          # the daemon sends ArtDmx to 127.0.0.1:6454, where this listens
    /usr/bin/python3 tools/bench/daemon_latency.py [--url http://127.0.0.1:8080] [--n 40]

Each round toggles the grand master (0.2 <-> 1.0) through POST /api/output/master and times the first ArtDmx packet
whose slots differ from the frame before the command (a receiver's view of a fader move in the browser).
"""
import argparse
import json
import socket
import statistics
import threading
import time
import urllib.request

frames = []  # (time, bytes)
lock = threading.Lock()


def listen(sock):
    while True:
        data, _ = sock.recvfrom(1024)
        if data[:8] == b"Art-Net\x00" and int.from_bytes(data[8:10], "little") == 0x5000:
            with lock:
                frames.append((time.perf_counter(), data[18:]))


def post(url, path, body):
    req = urllib.request.Request(url + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST")
    urllib.request.urlopen(req, timeout=5).read()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("--n", type=int, default=40)
    args = ap.parse_args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 6454))
    threading.Thread(target=listen, args=(sock,), daemon=True).start()
    time.sleep(1.0)
    post(args.url, "/api/mood/force", {"mood": "happy"})  # a steady look, so only the master changes the frame
    time.sleep(4.0)
    latencies = []
    level = 1.0
    for _ in range(args.n):
        with lock:
            before = frames[-1][1] if frames else b""
            mark = len(frames)
        level = 0.2 if level == 1.0 else 1.0
        t0 = time.perf_counter()
        post(args.url, "/api/output/master", {"level": level})
        deadline = t0 + 2
        found = None
        while time.perf_counter() < deadline and found is None:
            with lock:
                for t, slots in frames[mark:]:
                    if slots != before and t >= t0:
                        found = t
                        break
            time.sleep(0.0005)
        if found:
            latencies.append((found - t0) * 1000)
        time.sleep(0.25)
    post(args.url, "/api/mood/release", {})
    # event-stream rate over 5 s
    count = 0
    with urllib.request.urlopen(args.url + "/api/events", timeout=10) as stream:
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < 5:
            if stream.readline().startswith(b"data: "):
                count += 1
    latencies.sort()
    print(f"master change -> changed ArtDmx: n={len(latencies)} median {statistics.median(latencies):.1f} ms, "
          f"p90 {latencies[int(len(latencies) * 0.9) - 1]:.1f} ms, max {latencies[-1]:.1f} ms")
    print(f"event stream: {count / 5:.1f} updates/s")


if __name__ == "__main__":
    main()
