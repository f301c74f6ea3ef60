#!/usr/bin/env python3
"""Times `cargo-boundaries check --watch` rounds on a real workspace.

Usage: benches/watch-round.py BINARY WORKSPACE FILE ROUNDS

Starts `BINARY check --watch -q` in WORKSPACE (which needs a policy: run
`cargo boundaries init` in a copy first), then ROUNDS times rewrites FILE
(relative to WORKSPACE; a comment added, then removed) and measures the time
from the write to the printed summary line, beside the check's own elapsed
time from that line: the rest is the watch's share (its 50 ms quiet time,
and handing the result over). Restores FILE and ends the watch with SIGINT.
"""
import os, re, subprocess, sys, threading, time
binary, root, edited, rounds = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
proc = subprocess.Popen([binary, "check", "--watch", "-q"], cwd=root, stdout=subprocess.PIPE,
                        stderr=subprocess.DEVNULL, env={**os.environ, "NO_COLOR": "1"})
done, cond = [], threading.Condition()
def reader():
    for line in proc.stdout:
        m = re.search(rb"references in (\d+)ms", line)
        if m:
            with cond: done.append((time.monotonic(), int(m.group(1)))); cond.notify_all()
threading.Thread(target=reader, daemon=True).start()
def wait(n):
    with cond:
        if not cond.wait_for(lambda: len(done) >= n, timeout=120): sys.exit("timeout")
        return done[n-1]
wait(1)
path = os.path.join(root, edited); original = open(path).read()
over = []
for i in range(rounds):
    time.sleep(0.5)
    start = time.monotonic()
    with open(path, "w") as f: f.write(original + (f"\n// watch round {i}\n" if i % 2 == 0 else ""))
    t, elapsed = wait(i + 2)
    total = (t - start) * 1000
    over.append(total - elapsed)
    print(f"round {i+1}: {total:.0f} ms, check's own elapsed {elapsed} ms, rest {total-elapsed:.0f} ms", flush=True)
open(path, "w").write(original)
over.sort(); print(f"rest: median {over[len(over)//2]:.0f} ms, min {over[0]:.0f}, max {over[-1]:.0f}")
proc.send_signal(2); print("exit", proc.wait(timeout=60))
