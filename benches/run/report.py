#!/usr/bin/env python3
"""Print benches/run/compare.sh's table from its results directory.

    python report.py RESULTS_DIR [TOOL...]      (rows in this order; default: every TOOL/ dir)

RESULTS_DIR holds split.json (benches/dedup/peers/split_corpus.py's line) and, per tool, TOOL/:
runN.measure.json (benches/dedup/peers/measure.py), runN.result.json (the run's outcome: one
JSON object with at least "kept" and "tokens"; datatrove's is run_datatrove_pipeline.py's
stdout line, ours' is read from the dataset's manifest.json by compare.sh) and skipped (why the
tool did not run). Columns:

* wall s: median over runs of the process wall time (measure.py: interpreter start-up, imports,
  every stage and every output file included, for both tools).
* CPU s: median user + system CPU seconds of the whole process tree: the figure to trust when
  other work shares the cores and wall times swing.
* MB/s: input JSONL bytes (MB = 10^6 bytes) over the median wall s.
* PSS MB: peak of the process tree's summed PSS (shared pages split, sampled every 50 ms), the
  honest footprint of a multi-process tool; RSS MB: the same with RSS (shared pages counted once
  per process, an overstatement); 1-proc MB: the largest single process's peak RSS (kernel's
  ru_maxrss, what /usr/bin/time -v prints). All: max over runs.
* kept: documents written to the tokenized output; tokens: token ids written (BOS/EOS
  included), from the last run.
* ours/x: the tool's median wall s over ours' (> 1: ours is faster).
Also writes RESULTS_DIR/summary.json.
"""

import json
import statistics
import sys
from pathlib import Path



def fmt(x, spec):
    return "n/a" if x is None else format(x, spec)


def main():
    res = Path(sys.argv[1])
    split = json.loads((res / "split.json").read_text())
    mb = split["bytes"] / 1e6
    tools = sys.argv[2:] or sorted(p.name for p in res.iterdir() if p.is_dir())
    rows = []
    for tool in tools:
        tool_dir = res / tool
        if not tool_dir.is_dir():
            continue
        row = {"tool": tool}
        if (tool_dir / "skipped").exists():
            row["skipped"] = (tool_dir / "skipped").read_text().strip()
            rows.append(row)
            continue
        measures = []
        for p in sorted(tool_dir.glob("run*.measure.json")):
            m = json.loads(p.read_text())
            if m["rc"] == 0:
                measures.append(m)
        results = [
            json.loads(p.read_text()) for p in sorted(tool_dir.glob("run*.result.json"))
        ]
        if not measures or not results:
            row["skipped"] = "failed (see its runN.stdout / runN.stderr)"
            rows.append(row)
            continue
        last = results[-1]
        wall = statistics.median(m["wall_s"] for m in measures)
        row.update(
            runs=len(measures),
            wall_s=wall,
            wall_all=[m["wall_s"] for m in measures],
            cpu_s=statistics.median(m.get("cpu_s", float("nan")) for m in measures),
            mb_per_s=mb / wall,
            tree_pss_mb=max(m["tree_pss_peak_mb"] for m in measures),
            tree_rss_mb=max(m["tree_rss_peak_mb"] for m in measures),
            max_proc_rss_mb=max(m["max_proc_rss_mb"] for m in measures),
            kept=last.get("kept"),
            tokens=last.get("tokens"),
            in_script_s=statistics.median(r["seconds"] for r in results)
            if all("seconds" in r for r in results)
            else None,
            stages=last.get("stages"),
            dropped_by_reason=last.get("dropped_by_reason"),
        )
        rows.append(row)

    ours = next((r for r in rows if r["tool"] == "ours" and "wall_s" in r), None)
    print(f"input: {split['docs']} docs, {mb:.1f} MB of JSONL in {len(split['parts'])} part files")
    print()
    cols = ["tool", "wall s", "CPU s", "MB/s", "PSS MB", "RSS MB", "1-proc MB", "kept", "tokens"]
    cols += ["ours/x"]
    print("| " + " | ".join(cols) + " |")
    print("|---" + "|--:" * (len(cols) - 1) + "|")
    for r in rows:
        if "skipped" in r:
            print(f"| {r['tool']} | skipped: {r['skipped']} |" + " |" * (len(cols) - 2))
            continue
        ratio = r["wall_s"] / ours["wall_s"] if ours else None
        cells = [
            r["tool"],
            f"{r['wall_s']:.2f}",
            f"{r['cpu_s']:.1f}",
            f"{r['mb_per_s']:.2f}",
            f"{r['tree_pss_mb']:.0f}",
            f"{r['tree_rss_mb']:.0f}",
            f"{r['max_proc_rss_mb']:.0f}",
            fmt(r["kept"], "d"),
            fmt(r["tokens"], "d"),
            fmt(ratio, ".2f"),
        ]
        print("| " + " | ".join(cells) + " |")
    print()
    for r in rows:
        if r.get("stages"):
            stages = ", ".join(
                f"{k} {v:.1f}s" if isinstance(v, (int, float)) else f"{k} {v}"
                for k, v in r["stages"].items()
            )
            extra = (
                f" (in-script {r['in_script_s']:.2f}s of {r['wall_s']:.2f}s wall)"
                if r.get("in_script_s") is not None
                else ""
            )
            print(f"{r['tool']} stages: {stages}{extra}")
        if r.get("dropped_by_reason"):
            reasons = ", ".join(f"{k} {v}" for k, v in sorted(r["dropped_by_reason"].items()))
            print(f"{r['tool']} dropped: {reasons}")
    if ours is None:
        print()
        print("(no `corpus run` result, so no ours/x ratios)")
    (res / "summary.json").write_text(json.dumps({"split": split, "tools": rows}, indent=1))


if __name__ == "__main__":
    main()
