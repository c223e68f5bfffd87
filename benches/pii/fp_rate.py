#!/usr/bin/env python3
"""Spans per 1,000 characters, per type, of `corpus redact` over text assumed to hold no personal
data (the laws, Debian's documentation converted by benches/techtext/make_techtext.py): the
false-positive rate of issue #16's precision bar, before a reader sorts the spans.

    corpus redact -q --input TEXT.jsonl --output PRED.jsonl
    python3 benches/pii/fp_rate.py --text TEXT.jsonl --pred PRED.jsonl [--show IPV6,EMAIL] [--limit 25]

--show prints each span of those types with 15 characters of context, for a reader to judge
(a real maintainer's e-mail in a copyright line is personal data, `Math::Complex` is not).
Standard library only.
"""

import argparse
import collections
import json
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--text", required=True)
    ap.add_argument("--pred", required=True)
    ap.add_argument("--show", default="")
    ap.add_argument("--limit", type=int, default=25)
    args = ap.parse_args()
    texts, chars = {}, 0
    with open(args.text, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            texts[rec["id"]] = rec["text"]
            chars += len(rec["text"])
    counts, shown = collections.Counter(), collections.Counter()
    show = set(filter(None, args.show.split(",")))
    with open(args.pred, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            text = texts.get(rec["id"], "")
            for s in rec.get("pii", []):
                counts[s["type"]] += 1
                if s["type"] in show and shown[s["type"]] < args.limit:
                    shown[s["type"]] += 1
                    ctx = text[max(0, s["start"] - 15):s["start"]] + "⟦" + text[s["start"]:s["end"]] + "⟧" + text[s["end"]:s["end"] + 15]
                    print(f"  {s['type']}: {ctx}".replace("\n", "⏎"))
    print(f"{len(texts)} documents, {chars} characters, {sum(counts.values())} spans, "
          f"{sum(counts.values()) / max(chars, 1) * 1000:.4f} per 1,000 characters")
    print("| type | spans | per 1,000 characters |")
    print("|---|---:|---:|")
    for kind, n in counts.most_common():
        print(f"| {kind} | {n} | {n / max(chars, 1) * 1000:.4f} |")


if __name__ == "__main__":
    sys.exit(main())
