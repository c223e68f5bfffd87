#!/usr/bin/env python3
"""Helpers of presidio_compare.sh (standard library only).

    presidio_report.py time --input IN.jsonl --output OUT.jsonl [--repeat 3] -- CMD...
        run CMD (which reads IN and writes OUT) REPEAT times; print JSON: text bytes of IN,
        wall seconds per run, CPU seconds (user+sys of the child) per run, detections by type
        in OUT (its `pii` lists).
    presidio_report.py report DIR
        print the markdown tables from the files presidio_compare.sh leaves in DIR: one accuracy
        table per gold set (DIR/acc/<n>/name, score_{presidio,presidio_035,corpus}.json), an
        overall table when there are several, and the speed table (DIR/speed_*.json).
"""

import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter

FAMILIES = ["ID_NUMBER", "BUSINESS_ID", "PHONE_NUMBER", "EMAIL_ADDRESS", "IP_ADDRESS", "CARD_NUMBER",
            "BANK_ACCOUNT", "ADDRESS", "LICENSE_PLATE", "BIRTH_DATE"]


def text_bytes(path):
    with open(path, encoding="utf-8") as f:
        sizes = [len(json.loads(line)["text"].encode("utf-8")) for line in f if line.strip()]
    return len(sizes), sum(sizes)


def pii_counts(out_path, in_path, max_examples=8):
    counts, docs, first = Counter(), 0, []
    with open(out_path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            pii = rec.get("pii") or []
            docs += bool(pii)
            counts.update(s["type"] for s in pii)
            first += [(rec["id"], s) for s in pii][:max_examples - len(first)]
    ids = {i for i, _ in first}
    with open(in_path, encoding="utf-8") as f:
        texts = {r["id"]: r["text"] for r in map(json.loads, f) if r["id"] in ids}
    examples = [f"{s['type']} `{texts[i][s['start']:s['end']]}`" for i, s in first]
    return {"docs_with_detections": docs, "by_type": dict(counts.most_common()), "examples": examples}


def time_cmd(args):
    i = args.index("--")
    opts, cmd = dict(zip(args[:i:2], args[1:i:2])), args[i + 1:]
    wall, cpu = [], []
    for _ in range(int(opts.get("--repeat", 3))):
        before = os.times()
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        wall.append(time.perf_counter() - t0)
        after = os.times()
        cpu.append((after.children_user - before.children_user) + (after.children_system - before.children_system))
    docs, nbytes = text_bytes(opts["--input"])
    res = {"docs": docs, "bytes": nbytes, "seconds": wall, "median_s": statistics.median(wall),
           "cpu_median_s": statistics.median(cpu), "detections": pii_counts(opts["--output"], opts["--input"])}
    json.dump(res, sys.stdout)
    print()


def f3(x):
    return "–" if x is None else f"{x:.3f}"


def prf_cells(row):
    return f"{f3(row['precision'])} | {f3(row['recall'])} | {f3(row['f1'])}"


SYSTEMS = [("Presidio (default, score ≥ 0)", "presidio"), ("Presidio (score ≥ 0.35)", "presidio_035"),
           ("corpus redact", "corpus")]
# The fine types presidio_run.py can map Presidio's results onto (see its docstring).
PRESIDIO_REACHABLE = ["EMAIL", "CREDIT_CARD", "IPV4", "IPV6", "TW_MOBILE", "TW_LANDLINE"]


def load_sets(d):
    """The accuracy runs in DIR/acc/<n>/ (name, score_<system>.json), in the order given."""
    acc = os.path.join(d, "acc")
    sets = []
    for n in sorted(os.listdir(acc), key=int):
        sub = os.path.join(acc, n)
        name = open(os.path.join(sub, "name"), encoding="utf-8").read().strip()
        scores = {key: json.load(open(os.path.join(sub, f"score_{key}.json"), encoding="utf-8")) for _, key in SYSTEMS}
        sets.append((name, scores))
    return sets


def accuracy_table(name, scores):
    systems = [(label, scores[key]) for label, key in SYSTEMS]
    lines = scores["corpus"]["lines"]
    print(f"## Accuracy on {name} ({lines['gold']} lines: {lines['positive']} positive, "
          f"{lines['negative']} hard negatives; IoU ≥ 0.5; P / R / F1)\n")
    print("| family | gold | " + " | ".join(f"{n} P | R | F1" for n, _ in systems) + " |")
    print("|---|---:|" + "---:|---:|---:|" * len(systems))
    for fam in FAMILIES:
        rows = [s["by_family"][fam] for _, s in systems]
        gold = rows[0]["tp"] + rows[0]["fn"]
        if gold == 0 and not any(r["fp"] for r in rows):
            continue  # no gold span and no prediction of this family in this set
        print(f"| {fam} | {gold} | " + " | ".join(prf_cells(r) for r in rows) + " |")
    other = [sum(r["fp"] for f, r in s["by_family"].items() if f.startswith("?")) for _, s in systems]
    print("| other Presidio types (false positives only) | | " + " | ".join(f"{n} FP | | " for n in other) + " |")
    for label, key in (("**overall, all but PERSON_NAME** (micro, fine types)", "overall_excluding_person_name"),
                       ("**PERSON_NAME** (separately)", "person_name")):
        gold = systems[0][1][key]["tp"] + systems[0][1][key]["fn"]
        print(f"| {label} | {gold} | " + " | ".join(prf_cells(s[key]) for _, s in systems) + " |")
    print()
    for n, s in systems:
        o, pn = s["overall_excluding_person_name"], s["person_name"]
        neg = (f"; false positives on the hard-negative lines {s['negative_fps']['count']}"
               if lines["negative"] else "")
        others = sorted(((r["fp"], f[1:]) for f, r in s["by_family"].items() if f.startswith("?") and r["fp"]), reverse=True)
        others = f"; other types: {', '.join(f'{t} {c}' for c, t in others)}" if others else ""
        print(f"- {n}: overall TP {o['tp']}, FP {o['fp']}, FN {o['fn']}{neg}; PERSON_NAME TP {pn['tp']} of "
              f"{pn['tp'] + pn['fn']}{others}")


def report(d):
    load = lambda name: json.load(open(os.path.join(d, name), encoding="utf-8"))
    sets = load_sets(d)
    for i, (name, scores) in enumerate(sets):
        if i:
            print()
        accuracy_table(name, scores)
    if len(sets) > 1:
        print("\n## Overall on every set (micro over fine types, all but PERSON_NAME; P / R / F1)\n")
        print("| set | gold spans | " + " | ".join(f"{n} P | R | F1" for n, _ in SYSTEMS) + " |")
        print("|---|---:|" + "---:|---:|---:|" * len(SYSTEMS))
        for name, scores in sets:
            o = scores["corpus"]["overall_excluding_person_name"]
            print(f"| {name} | {o['tp'] + o['fn']} | "
                  + " | ".join(prf_cells(scores[key]["overall_excluding_person_name"]) for _, key in SYSTEMS) + " |")
    gold_fams, presidio_fams = set(), set()
    for _, scores in sets:
        for key in ("presidio", "presidio_035"):
            for fam, r in scores[key]["by_family"].items():
                if r["tp"] + r["fn"]:
                    gold_fams.add(fam)
                if r["tp"] + r["fp"]:
                    presidio_fams.add(fam)
    never = [f for f in FAMILIES + ["PERSON_NAME"] if f in gold_fams and f not in presidio_fams]
    if never:
        print(f"\nFamilies with gold spans that Presidio never predicted on any set: {', '.join(never)} "
              f"(presidio_run.py can map Presidio's results only onto {', '.join(PRESIDIO_REACHABLE)}; "
              "PERSON_NAME would need the spaCy NER recognizer, which is not loaded).")

    sample_p, sample_c, full_c = load("speed_presidio.json"), load("speed_corpus_sample.json"), load("speed_corpus_full.json")
    mbs = lambda r: r["bytes"] / 1e6 / r["median_s"]
    print(f"\n## Speed on the laws corpus (single process, median of {len(sample_p['seconds'])} runs, MB = 10^6 bytes of UTF-8 `text`)\n")
    print("| system | input | docs | text MB | median s | CPU s | MB/s |")
    print("|---|---|---:|---:|---:|---:|---:|")
    print(f"| Presidio (analyze calls only) | first {sample_p['docs']} laws | {sample_p['docs']} | {sample_p['bytes'] / 1e6:.2f} | "
          f"{sample_p['median_s']:.2f} | {sample_p['cpu_median_s']:.2f} | {mbs(sample_p):.3f} |")
    print(f"| corpus redact (whole process, JSONL in and out) | same {sample_p['docs']} laws | {sample_p['docs']} | "
          f"{sample_c['bytes'] / 1e6:.2f} | {sample_c['median_s']:.3f} | {sample_c['cpu_median_s']:.3f} | {mbs(sample_c):.1f} |")
    print(f"| corpus redact (whole process, JSONL in and out) | whole corpus | {full_c['docs']} | {full_c['bytes'] / 1e6:.2f} | "
          f"{full_c['median_s']:.2f} | {full_c['cpu_median_s']:.2f} | {mbs(full_c):.1f} |")
    print(f"\ncorpus redact / Presidio throughput on the same {sample_p['docs']} laws: **{mbs(sample_c) / mbs(sample_p):.0f}×** "
          f"(the corpus redact time on so small a file includes process start-up; its whole-corpus throughput is "
          f"{mbs(full_c) / mbs(sample_p):.0f}× Presidio's)\n")
    print("Detections on the laws text (believed PII-free, see shared/data/README.md; so these are likely false positives):\n")
    for name, r in (("Presidio, 300-law sample", sample_p), ("corpus redact, 300-law sample", sample_c),
                    ("corpus redact, whole corpus", full_c)):
        det = r["detections"]
        by = ", ".join(f"{k} {v}" for k, v in det["by_type"].items()) or "none"
        print(f"- {name}: {sum(det['by_type'].values())} spans in {det['docs_with_detections']} documents ({by})"
              + ("; first: " + ", ".join(det["examples"]) if det["examples"] else ""))


if __name__ == "__main__":
    if sys.argv[1:2] == ["time"]:
        time_cmd(sys.argv[2:])
    elif sys.argv[1:2] == ["report"] and len(sys.argv) == 3:
        report(sys.argv[2])
    else:
        sys.exit(__doc__)
