#!/usr/bin/env bash
# What the file-system side of one noop job costs on this machine, without the daemon: the same metadata
# operations the daemon does per job (make the job directory, create and write the console log, move it into
# the logs directory, remove the job directory), N times, on one thread and on 64, in DIR (default: a fresh
# directory under /tmp, i.e. where bench/throughput.sh puts the daemon's state). Prints wall and CPU per job.
# Usage: bench/fs-metadata.sh [N=8000] [DIR]
set -euo pipefail
n=${1:-8000}
dir=${2:-$(mktemp -d /tmp/fs-metadata.XXXXXX)}
trap 'rm -rf "$dir"' EXIT
python3 - "$n" "$dir" <<'PY'
import os, sys, threading, time, uuid
n, base = int(sys.argv[1]), sys.argv[2]
os.makedirs(base + "/jobs", exist_ok=True)
os.makedirs(base + "/logs", exist_ok=True)
def job():
    i = str(uuid.uuid4())
    d = f"{base}/jobs/{i}"
    os.mkdir(d)
    with open(d + "/console.log", "w") as f:
        f.write("noop: no virtual machine was started for this job\nSOLSTICE_EXIT 0\n")
    os.rename(d + "/console.log", f"{base}/logs/{i}.log")
    os.rmdir(d)
def work(count):
    for _ in range(count):
        job()
for threads in (1, 64):
    t0, c0 = time.time(), os.times()
    ts = [threading.Thread(target=work, args=(n // threads,)) for _ in range(threads)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    c1, t1 = os.times(), time.time()
    print(f"{threads:2d} thread(s), {n} jobs in {base}: wall {(t1 - t0) / n * 1e6:.0f} us/job,"
          f" CPU user {(c1.user - c0.user) / n * 1e6:.0f} us + system {(c1.system - c0.system) / n * 1e6:.0f} us/job")
PY
