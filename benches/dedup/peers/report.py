#!/usr/bin/env python3
"""Print compare.sh's table from its results directory (run with the peers' venv: pyarrow).

    python report.py RESULTS_DIR [TOOL...]      (rows in this order; default: every TOOL/ dir)

RESULTS_DIR holds split.json (split_corpus.py's line) and, per tool, TOOL/: runN.stdout (a
peer's JSON line is its last line), runN.measure.json (measure.py), clusters_path (the clusters
file of the last run), score.json (dedup_eval's JSON line, when it ran) and skipped (why the tool
did not run). Columns:

* s: median over runs of the tool's seconds: a peer's own `seconds` (after its imports, so
  interpreter start-up and imports are excluded); for `corpus dedup`, the process wall time.
* wall s: median process wall time, start-up and imports included, for every tool.
* CPU s: median user + system CPU seconds of the whole process tree (measure.py), start-up
  included: the figure to trust when other work shares the cores and wall times swing.
* docs/s, MB/s: input documents and input JSONL bytes (MB = 10^6 bytes) over s.
* PSS MB: peak of the process tree's summed PSS (shared pages split, sampled every 50 ms), the
  honest footprint of a multi-process tool; RSS MB: the same with RSS (shared pages counted per
  process, an overstatement); 1-proc MB: the largest single process's peak RSS (kernel's
  ru_maxrss, what /usr/bin/time -v prints). All: max over runs.
* kept, clusters (of >= 2 documents), in-cl (documents in those clusters).
* P, R, purity: dedup_eval's precision, recall and purity (n/a when the scorer is missing).
* ours/x: ours' MB/s over the tool's MB/s (> 1: ours is faster).
Also writes RESULTS_DIR/summary.json.
"""

import json
import statistics
import sys
from collections import Counter
from pathlib import Path


def last_json_line(path):
    for line in reversed(path.read_text(errors="replace").splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                pass
    return None


def cluster_stats(path):
    """(clusters of >= 2 docs, docs in them, docs marked not kept or None) from a clusters file."""
    path = Path(path)
    if not path.exists():
        return None, None, None
    removed = None
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        cluster_ids = table.column("cluster_id").to_pylist()
        if "kept" in table.column_names:
            removed = sum(1 for k in table.column("kept").to_pylist() if k is False)
    else:
        cluster_ids = [json.loads(line)["cluster"] for line in path.open() if line.strip()]
    sizes = Counter(cluster_ids)
    big = {c: n for c, n in sizes.items() if n >= 2}
    return len(big), sum(big.values()), removed


def fmt(x, spec):
    return "n/a" if x is None else format(x, spec)


def main():
    res = Path(sys.argv[1])
    split = json.loads((res / "split.json").read_text())
    mb = split["bytes"] / 1e6
    rows = []
    tools = sys.argv[2:] or sorted(p.name for p in res.iterdir() if p.is_dir())
    for tool in tools:
        tool_dir = res / tool
        if not tool_dir.is_dir():
            continue
        row = {"tool": tool}
        if (tool_dir / "skipped").exists():
            row["skipped"] = (tool_dir / "skipped").read_text().strip()
            rows.append(row)
            continue
        measures = [json.loads(p.read_text()) for p in sorted(tool_dir.glob("run*.measure.json"))]
        outs = [last_json_line(p) for p in sorted(tool_dir.glob("run*.stdout"))]
        if tool == "ours":
            seconds = [m["wall_s"] for m in measures if m["rc"] == 0]
        else:
            seconds = [o["seconds"] for o in outs if o]
        if not seconds:
            row["skipped"] = "failed (see its runN.stdout / runN.stderr)"
            rows.append(row)
            continue
        s = statistics.median(seconds)
        peer = next((o for o in reversed(outs) if o), {})
        docs = peer.get("docs", split["docs"])
        clusters_path = (
            (tool_dir / "clusters_path").read_text().strip()
            if (tool_dir / "clusters_path").exists()
            else ""
        )
        clusters, in_clusters, removed = (
            cluster_stats(clusters_path) if clusters_path else (None, None, None)
        )
        kept = peer.get("kept")
        if kept is None and removed is not None:
            kept = split["docs"] - removed
        score = (
            json.loads((tool_dir / "score.json").read_text())
            if (tool_dir / "score.json").exists()
            else {}
        )
        row.update(
            runs=len(seconds),
            seconds=s,
            seconds_all=seconds,
            wall_s=statistics.median(m["wall_s"] for m in measures),
            cpu_s=statistics.median(m.get("cpu_s", float("nan")) for m in measures),
            docs_per_s=docs / s,
            mb_per_s=mb / s,
            tree_pss_mb=max(m["tree_pss_peak_mb"] for m in measures),
            tree_rss_mb=max(m["tree_rss_peak_mb"] for m in measures),
            max_proc_rss_mb=max(m["max_proc_rss_mb"] for m in measures),
            kept=kept,
            clusters=clusters,
            docs_in_clusters=in_clusters,
            precision=score.get("precision"),
            recall=score.get("recall"),
            purity=score.get("purity"),
            stages=peer.get("stages"),
        )
        rows.append(row)

    ours = next((r for r in rows if r["tool"] == "ours" and "mb_per_s" in r), None)
    print(f"input: {split['docs']} docs, {mb:.1f} MB of JSONL in {len(split['parts'])} part files")
    print()
    cols = ["tool", "s", "wall s", "CPU s", "docs/s", "MB/s", "PSS MB", "RSS MB", "1-proc MB"]
    cols += ["kept", "clusters", "in-cl", "P", "R", "purity", "ours/x"]
    print("| " + " | ".join(cols) + " |")
    print("|---" + "|--:" * (len(cols) - 1) + "|")
    for r in rows:
        if "skipped" in r:
            print(f"| {r['tool']} | skipped: {r['skipped']} |" + " |" * (len(cols) - 2))
            continue
        ratio = ours["mb_per_s"] / r["mb_per_s"] if ours else None
        cells = [
            r["tool"],
            f"{r['seconds']:.2f}",
            f"{r['wall_s']:.2f}",
            f"{r['cpu_s']:.1f}",
            f"{r['docs_per_s']:.0f}",
            f"{r['mb_per_s']:.2f}",
            f"{r['tree_pss_mb']:.0f}",
            f"{r['tree_rss_mb']:.0f}",
            f"{r['max_proc_rss_mb']:.0f}",
            fmt(r["kept"], "d"),
            fmt(r["clusters"], "d"),
            fmt(r["docs_in_clusters"], "d"),
            fmt(r["precision"], ".3f"),
            fmt(r["recall"], ".3f"),
            fmt(r["purity"], ".3f"),
            fmt(ratio, ".2f"),
        ]
        print("| " + " | ".join(cells) + " |")
    if ours is None:
        print()
        print("(no `corpus dedup` result, so no ours/x ratios)")
    (res / "summary.json").write_text(json.dumps({"split": split, "tools": rows}, indent=1))


if __name__ == "__main__":
    main()
