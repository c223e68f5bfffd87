#!/usr/bin/env python3
"""Run a command and measure its wall time and the memory of its whole process tree.

    python measure.py --json OUT.json [--stdout FILE] [--stderr FILE] -- CMD ARGS...

Writes OUT.json: {"wall_s", "cpu_s", "rc", "max_proc_rss_mb", "tree_rss_peak_mb",
"tree_pss_peak_mb", "max_procs", "samples"} (MB = 10^6 bytes) and exits with the command's
status.

* cpu_s: user + system CPU seconds of the whole tree, the larger of getrusage(RUSAGE_CHILDREN)
  (exact, but blind to descendants nobody waits for, e.g. the forkserver of a multiprocessing
  pool, which is reparented to init at exit) and the sum over every process seen in the tree of
  its last sampled utime + stime (misses at most one interval per process). Unlike wall time it
  barely moves when other work shares the cores, so compare CPU seconds on a busy machine.

* max_proc_rss_mb: getrusage(RUSAGE_CHILDREN).ru_maxrss after the command ends: the kernel's exact
  peak RSS of the LARGEST SINGLE process among the command and its waited-for descendants. This
  is what `/usr/bin/time -v` prints as "Maximum resident set size"; it is not a sum, so for a
  multi-process tool (datatrove's workers, a pool) it understates the total, and it misses
  processes nobody waits for (datatrove's forkserver workers: it shows only the parent's size).
* tree_rss_peak_mb: the peak, over samples every 50 ms (--interval), of the SUM of VmRSS over
  the command's process tree (found through /proc/*/stat parent links). Pages shared between
  processes (interpreter, libraries, fork copy-on-write) count once per process, so this
  overstates.
* tree_pss_peak_mb: the same with Pss (/proc/PID/smaps_rollup): shared pages split between the
  processes mapping them, so the sum is the tree's real footprint. Sampling can miss a peak
  shorter than the interval. For a single-process tool all three agree (up to sampling).
"""

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import time

PAGE = os.sysconf("SC_PAGE_SIZE")


def scan_proc():
    """{ppid: [pid]} and {pid: (start time, utime + stime in ticks)} for every process."""
    kids, cpu = {}, {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # Fields from 3 on follow the ")" that closes the command name: state, ppid, ...
        fields = stat[stat.rindex(b")") + 2 :].split()
        pid = int(name)
        kids.setdefault(int(fields[1]), []).append(pid)
        cpu[pid] = (int(fields[19]), int(fields[11]) + int(fields[12]))
    return kids, cpu


def tree(root, kids):
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, ()))
    return out


def rss_pss(pid):
    """(RSS, PSS) in bytes; (0, 0) if the process is gone."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            rss = int(f.read().split()[1]) * PAGE
        pss = 0
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
                    break
        return rss, pss
    except (OSError, ValueError, IndexError):
        return 0, 0


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--json", required=True)
    ap.add_argument("--stdout")
    ap.add_argument("--stderr")
    ap.add_argument("--interval", type=float, default=0.05)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        ap.error("no command")

    with contextlib.ExitStack() as stack:
        out = stack.enter_context(open(args.stdout, "wb")) if args.stdout else None
        err = stack.enter_context(open(args.stderr, "wb")) if args.stderr else None
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        peak_rss = peak_pss = max_procs = samples = 0
        cpu_seen = {}  # (pid, start time) -> last utime + stime seen, in clock ticks
        while proc.poll() is None:
            kids, cpu = scan_proc()
            pids = tree(proc.pid, kids)
            for p in pids:
                if p in cpu:
                    cpu_seen[(p, cpu[p][0])] = cpu[p][1]
            sizes = [rss_pss(p) for p in pids]
            peak_rss = max(peak_rss, sum(r for r, _ in sizes))
            peak_pss = max(peak_pss, sum(p for _, p in sizes))
            max_procs = max(max_procs, len(pids))
            samples += 1
            time.sleep(args.interval)
    wall = time.perf_counter() - t0
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    maxrss_kb = ru.ru_maxrss  # KiB on Linux
    cpu_sampled = sum(cpu_seen.values()) / os.sysconf("SC_CLK_TCK")
    result = {
        "cmd": cmd,
        "rc": proc.returncode,
        "wall_s": round(wall, 3),
        "cpu_s": round(max(ru.ru_utime + ru.ru_stime, cpu_sampled), 2),
        "max_proc_rss_mb": round(maxrss_kb * 1024 / 1e6, 1),
        "tree_rss_peak_mb": round(peak_rss / 1e6, 1),
        "tree_pss_peak_mb": round(peak_pss / 1e6, 1),
        "max_procs": max_procs,
        "samples": samples,
    }
    with open(args.json, "w") as f:
        json.dump(result, f)
    sys.exit(proc.returncode)


if __name__ == "__main__":
    main()
