#!/usr/bin/env python3
"""Issue #16's leak bar: not one check-digit or contact value of the independent set verbatim in
any output of a `corpus run` over it: shards, ledger, manifest, attribution, dedup files, the
summary on stdout and the log at -vv.

    python3 benches/pii/make_independent.py --seed 2 --n 3000 --out target/pii-indep-2.jsonl
    python3 benches/pii/leaks.py --gold target/pii-indep-2.jsonl --corpus target/release/corpus

Each record becomes a document of a public contribution; every third one also carries its value
in a `meta` field (`備註`), and every seventh has the value as its id, so the value has to be
caught in the text, in metadata and in the id (pseudonymised). Every file the run wrote is read
(Parquet column by column with pyarrow, the rest as text), and each value is looked for as
written and, for numbers of 8 digits or more, as its digits with any of `-. ` or nothing between
them (not inside a longer number). Exit 1 on any leak.

pyarrow comes from PyPI into target/pii-leaks-venv (pinned like .ci/loaders-requirements.txt),
created on first use.
"""

import argparse
import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "../.."))
VENV = os.path.join(ROOT, "target/pii-leaks-venv")
PINNED = ["pyarrow==26.0.1"]  # as .ci/loaders-requirements.txt
# The types whose values must never survive (names, addresses, plates and dates of birth are
# scored for recall by score.py; their leaks are not counted here).
CHECKED = {"TW_NATIONAL_ID", "TW_ARC_NEW", "TW_ARC_OLD", "TW_UBN", "TW_MOBILE", "TW_LANDLINE",
           "TW_NHI_CARD", "PASSPORT", "CREDIT_CARD", "EMAIL", "IPV4", "IPV6"}


def kept_by_design(kind, value):
    """A private, link-local, multicast or reserved address identifies no one outside its own
    network, and technical text is full of them (192.168.1.1 in a how-to): corpus keeps them,
    and they are reported apart, not as leaks."""
    if kind not in ("IPV4", "IPV6"):
        return False
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        return False
    return not ip.is_global or ip.is_multicast


def ensure_venv():
    """Re-executes this script in the pinned venv (created on first use)."""
    sys.path.insert(0, os.path.join(ROOT, "benches"))
    from pyvenv import reexec_in
    reexec_in(VENV, "pii-leaks", PINNED)


def strings_of(path):
    """Every string in a file: Parquet values (any column, nested included) or the text."""
    if path.endswith(".parquet"):
        import pyarrow.parquet as pq
        table = pq.read_table(path)
        for column in table.columns:
            for v in column.to_pylist():
                yield json.dumps(v, ensure_ascii=False, default=str) if not isinstance(v, str) else v
    else:
        with open(path, "rb") as f:
            yield f.read().decode("utf-8", "replace")


def main():
    ensure_venv()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--work", default=os.path.join(ROOT, "target/pii-leaks"))
    args = ap.parse_args()
    corpus = os.path.abspath(args.corpus)
    shutil.rmtree(args.work, ignore_errors=True)
    data = os.path.join(args.work, "contributions/indep/data")
    os.makedirs(data)
    values = []
    with open(args.gold, encoding="utf-8") as f, open(os.path.join(data, "indep.jsonl"), "w", encoding="utf-8") as out:
        for n, line in enumerate(f):
            rec = json.loads(line)
            span = rec["spans"][0]
            value = rec["text"][span["start"]:span["end"]]
            doc = {"id": value if n % 7 == 0 else rec["id"], "text": rec["text"]}
            if n % 3 == 0:
                doc["meta"] = {"備註": value}
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
            if span["type"] in CHECKED:
                values.append((span["type"], value))
    with open(os.path.join(args.work, "contributions/indep/contribution.toml"), "w", encoding="utf-8") as f:
        f.write('id = "indep"\ntitle = "獨立評測集"\ncontributor = "benches"\nlicence = "CC0-1.0"\n'
                'visibility = "public"\nattribution = "benches"\nlanguage = "zh-Hant"\n'
                'files = ["data/*.jsonl"]\nid_field = "id"\n')
    with open(os.path.join(args.work, "pipeline.toml"), "w", encoding="utf-8") as f:
        f.write('inputs = ["contributions/*"]\noutput = "out"\n')
    env = dict(os.environ, CORPUS_ID_KEY_FILE=os.path.join(args.work, "id-key"))
    with open(os.path.join(args.work, "run.log"), "w") as log, open(os.path.join(args.work, "run.out"), "w") as so:
        r = subprocess.run([corpus, "run", "-vv", "--no-progress", "pipeline.toml"], cwd=args.work, env=env,
                           stdout=so, stderr=log)
    if r.returncode != 0:
        print(f"corpus run failed ({r.returncode}): see {args.work}/run.log", file=sys.stderr)
        return 2
    files = [os.path.join(args.work, n) for n in ("run.log", "run.out")]
    for dirpath, _, names in os.walk(os.path.join(args.work, "out")):
        files += [os.path.join(dirpath, n) for n in sorted(names)]
    haystack = [s for p in files for s in strings_of(p)]
    leaks, kept = [], []
    for kind, value in values:
        if kept_by_design(kind, value):
            kept.append(kind)
            continue
        d = re.sub(r"\D", "", value)
        # The digits with other separators (0912-345-678 written 0912 345 678), not inside a
        # longer number.
        spaced = re.compile(r"(?<!\d)" + r"[-. ]?".join(d) + r"(?!\d)") if len(d) >= 8 and kind != "IPV6" else None
        if any(value in s or (spaced and spaced.search(s)) for s in haystack):
            leaks.append(kind)
    by_type = {}
    for kind, _ in values:
        by_type.setdefault(kind, [0, 0])[0] += 1
    for kind in leaks:
        by_type[kind][1] += 1
    print(f"corpus run over {args.gold}: {len(files)} files read, {len(values)} check-digit and contact values")
    print("| type | values | leaked | non-global addresses (kept by design, not counted) |")
    print("|---|---:|---:|---:|")
    for kind in sorted(by_type):
        print(f"| {kind} | {by_type[kind][0]} | {by_type[kind][1]} | {kept.count(kind)} |")
    print(f"leaks: {len(leaks)}")
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
