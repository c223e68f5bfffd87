#!/usr/bin/env python3
"""Score `corpus redact` output against the labelled PII set `fixtures/pii/eval.jsonl`.

    corpus redact --input fixtures/pii/eval.jsonl --output PRED.jsonl
    python3 benches/pii/score.py --gold fixtures/pii/eval.jsonl --pred PRED.jsonl [--json] [--strict]

PRED.jsonl: every input line with its fields kept, `text` redacted, and a field `pii`, a list
of `{"type": "<FINE TYPE>", "start": N, "end": M}` in Unicode code points of the INPUT text.
Lines are matched by `id`.

Matching: a predicted span is a true positive when it has the same type as a gold span and
overlaps it with IoU >= 0.5 (intersection / union of the code-point ranges); each gold span and
each predicted span is matched at most once (pairs taken by decreasing IoU). The family tables
match again with the placeholder family in place of the fine type (a new ARC reported as a
national ID is a miss per fine type but a hit for ID_NUMBER, since the redacted text is the
same). Overall precision/recall is micro-averaged over every type except PERSON_NAME (predicted
types outside the 17 count as false positives there); PERSON_NAME is reported alone.

Exit status: 0 (also when a bar fails, unless --strict), 1 with --strict when a bar fails,
2 when an input cannot be read. Standard library only.
"""

import argparse
import json
import sys
from collections import Counter, defaultdict

TYPES = [
    "TW_NATIONAL_ID", "TW_ARC_NEW", "TW_ARC_OLD", "TW_UBN", "TW_MOBILE", "TW_LANDLINE",
    "TW_NHI_CARD", "PASSPORT", "CREDIT_CARD", "BANK_ACCOUNT", "EMAIL", "IPV4", "IPV6",
    "TW_ADDRESS", "LICENSE_PLATE", "DATE_OF_BIRTH", "PERSON_NAME",
]
FAMILY = {
    "TW_NATIONAL_ID": "ID_NUMBER", "TW_ARC_NEW": "ID_NUMBER", "TW_ARC_OLD": "ID_NUMBER",
    "TW_NHI_CARD": "ID_NUMBER", "PASSPORT": "ID_NUMBER", "TW_UBN": "BUSINESS_ID",
    "TW_MOBILE": "PHONE_NUMBER", "TW_LANDLINE": "PHONE_NUMBER", "EMAIL": "EMAIL_ADDRESS",
    "IPV4": "IP_ADDRESS", "IPV6": "IP_ADDRESS", "CREDIT_CARD": "CARD_NUMBER",
    "BANK_ACCOUNT": "BANK_ACCOUNT", "TW_ADDRESS": "ADDRESS", "LICENSE_PLATE": "LICENSE_PLATE",
    "DATE_OF_BIRTH": "BIRTH_DATE", "PERSON_NAME": "PERSON_NAME",
}
FAMILIES = list(dict.fromkeys(FAMILY.values()))
IOU_MIN = 0.5

# The bars of the PII issue.
RECALL_99 = ["TW_NATIONAL_ID", "TW_ARC_NEW", "TW_ARC_OLD", "TW_UBN", "TW_MOBILE", "TW_LANDLINE",
             "EMAIL", "IPV4", "IPV6", "CREDIT_CARD"]
RECALL_95 = ["TW_ADDRESS", "DATE_OF_BIRTH"]
PRECISION_OVERALL = 0.97


class InputError(Exception):
    pass


def read_jsonl(path, what):
    out = []
    try:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as e:
                    raise InputError(f"{path}:{n}: {what} line is not JSON: {e}") from None
                if not isinstance(rec, dict) or "id" not in rec:
                    raise InputError(f"{path}:{n}: {what} line has no `id`")
                out.append(rec)
    except OSError as e:
        raise InputError(f"cannot read {what} file {path}: {e}") from None
    return out


def iou(a, b):
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    return inter / (max(a[1], b[1]) - min(a[0], b[0]))


def match(gold, pred, key):
    """gold/pred: lists of (start, end, type). Returns (matched gold idx set, matched pred idx set)."""
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if key(g[2]) == key(p[2]):
                v = iou(g, p)
                if v >= IOU_MIN:
                    pairs.append((-v, i, j))
    pairs.sort()
    mg, mp = set(), set()
    for _, i, j in pairs:
        if i not in mg and j not in mp:
            mg.add(i)
            mp.add(j)
    return mg, mp


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f = 2 * p * r / (p + r) if p is not None and r is not None and p + r > 0 else (0.0 if p is not None and r is not None else None)
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}


def score(gold_recs, pred_recs):
    warnings = []
    gold_by_id = {}
    for r in gold_recs:
        if r["id"] in gold_by_id:
            raise InputError(f"gold: duplicate id {r['id']}")
        gold_by_id[r["id"]] = r
    pred_by_id = {}
    for r in pred_recs:
        if r["id"] in pred_by_id:
            warnings.append(f"pred: duplicate id {r['id']}; the last line is used")
        pred_by_id[r["id"]] = r
    missing = [i for i in gold_by_id if i not in pred_by_id]
    extra = [i for i in pred_by_id if i not in gold_by_id]
    if missing:
        warnings.append(f"pred: {len(missing)} gold lines have no prediction line (scored as no spans), e.g. {missing[:3]}")
    if extra:
        warnings.append(f"pred: {len(extra)} lines have ids not in gold (ignored), e.g. {extra[:3]}")

    fine = defaultdict(Counter)   # type -> tp/fp/fn/fp_neg/gold/pred/leaked
    fam = defaultdict(Counter)
    unknown_types = Counter()
    neg_fps = []
    fn_items = []
    bad_spans = 0
    no_pii_field = 0
    for gid, g in gold_by_id.items():
        text = g["text"]
        gspans = [(s["start"], s["end"], s["type"]) for s in g.get("spans", [])]
        p = pred_by_id.get(gid)
        pspans = []
        if p is not None:
            raw = p.get("pii")
            if raw is None:
                no_pii_field += 1
                raw = []
            for s in raw:
                try:
                    st, en, ty = int(s["start"]), int(s["end"]), str(s["type"])
                except (KeyError, TypeError, ValueError):
                    bad_spans += 1
                    continue
                if not 0 <= st < en <= len(text):
                    bad_spans += 1
                pspans.append((st, en, ty))
        mg, mp = match(gspans, pspans, lambda t: t)
        for i, (st, en, ty) in enumerate(gspans):
            fine[ty]["gold"] += 1
            if i in mg:
                fine[ty]["tp"] += 1
            else:
                fine[ty]["fn"] += 1
                tags = g.get("tags") or []
                fn_items.append({"id": gid, "type": ty, "start": st, "end": en, "value": text[st:en],
                                 "tag": tags[i] if i < len(tags) else None})
            if p is not None and isinstance(p.get("text"), str) and text[st:en] in p["text"]:
                fine[ty]["leaked"] += 1
        for j, (st, en, ty) in enumerate(pspans):
            if ty not in FAMILY:
                unknown_types[ty] += 1
            fine[ty]["pred"] += 1
            if j not in mp:
                fine[ty]["fp"] += 1
                if g.get("kind") == "negative":
                    fine[ty]["fp_neg"] += 1
                    tags = g.get("tags") or []
                    neg_fps.append({"id": gid, "type": ty, "start": st, "end": en, "value": text[st:en],
                                    "decoy": tags[0] if tags else None})
        famkey = lambda t: FAMILY.get(t, "?" + t)
        mg, mp = match(gspans, pspans, famkey)
        for i, (_, _, ty) in enumerate(gspans):
            fam[famkey(ty)]["tp" if i in mg else "fn"] += 1
        for j, (_, _, ty) in enumerate(pspans):
            if j not in mp:
                fam[famkey(ty)]["fp"] += 1
    if unknown_types:
        warnings.append(f"pred: types outside the 17 fine types: {dict(unknown_types)} (counted as false positives)")
    if bad_spans:
        warnings.append(f"pred: {bad_spans} spans malformed or outside the text")
    if no_pii_field:
        warnings.append(f"pred: {no_pii_field} lines have no `pii` field (scored as no spans)")

    by_type = {}
    for t in TYPES + sorted(t for t in fine if t not in FAMILY):
        c = fine[t]
        row = prf(c["tp"], c["fp"], c["fn"])
        row.update({"gold": c["gold"], "pred": c["pred"], "fp_on_negatives": c["fp_neg"], "leaked": c["leaked"]})
        by_type[t] = row
    by_family = {}
    for f in FAMILIES + sorted(f for f in fam if f not in FAMILIES):
        c = fam[f]
        by_family[f] = prf(c["tp"], c["fp"], c["fn"])

    def total(types):
        return prf(sum(fine[t]["tp"] for t in types), sum(fine[t]["fp"] for t in types), sum(fine[t]["fn"] for t in types))

    not_names = [t for t in by_type if t != "PERSON_NAME"]
    overall = total(not_names)
    person = total(["PERSON_NAME"])

    bars = []
    for t in RECALL_99:
        bars.append(bar(f"recall {t} >= 0.99", by_type[t]["recall"], 0.99))
    for t in RECALL_95:
        bars.append(bar(f"recall {t} >= 0.95", by_type[t]["recall"], 0.95))
    bars.append(bar(f"precision overall (all types but PERSON_NAME) >= {PRECISION_OVERALL}",
                    overall["precision"], PRECISION_OVERALL))

    kinds = Counter(r.get("kind") for r in gold_recs)
    return {
        "lines": {"gold": len(gold_by_id), "positive": kinds.get("positive", 0),
                  "negative": kinds.get("negative", 0), "pred": len(pred_by_id),
                  "missing_in_pred": len(missing), "extra_in_pred": len(extra)},
        "iou_min": IOU_MIN,
        "by_type": by_type,
        "by_family": by_family,
        "overall_excluding_person_name": overall,
        "person_name": person,
        "negative_fps": {
            "count": len(neg_fps),
            "by_type": dict(Counter(x["type"] for x in neg_fps).most_common()),
            "by_decoy": dict(Counter(x["decoy"] for x in neg_fps).most_common()),
            "items": neg_fps,
        },
        "false_negatives": fn_items,
        "bars": bars,
        "pass": all(b["pass"] for b in bars),
        "warnings": warnings,
    }


def bar(name, value, threshold):
    return {"bar": name, "value": value, "threshold": threshold, "pass": value is not None and value >= threshold}


def fmt(x):
    return "–" if x is None else f"{x:.4f}"


def markdown(res, max_items=50):
    out = []
    L = res["lines"]
    out.append(f"# PII evaluation: {L['gold']} lines ({L['positive']} positive, {L['negative']} negative), "
               f"{L['pred']} prediction lines, IoU >= {res['iou_min']}\n")
    for w in res["warnings"]:
        out.append(f"> warning: {w}\n")
    out.append("## Per fine type\n")
    out.append("| type | gold | pred | TP | FP | FN | precision | recall | F1 | FP on negatives | left in text |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for t, r in res["by_type"].items():
        out.append(f"| {t} | {r['gold']} | {r['pred']} | {r['tp']} | {r['fp']} | {r['fn']} | {fmt(r['precision'])} | "
                   f"{fmt(r['recall'])} | {fmt(r['f1'])} | {r['fp_on_negatives']} | {r['leaked']} |")
    for name, r in (("**overall, all but PERSON_NAME**", res["overall_excluding_person_name"]),
                    ("**PERSON_NAME**", res["person_name"])):
        out.append(f"| {name} | {r['tp'] + r['fn']} | {r['tp'] + r['fp']} | {r['tp']} | {r['fp']} | {r['fn']} | "
                   f"{fmt(r['precision'])} | {fmt(r['recall'])} | {fmt(r['f1'])} | | |")
    out.append("\n`left in text`: gold values still present verbatim in the redacted `text` of the prediction line.\n")
    out.append("## Per placeholder family (matched on the family)\n")
    out.append("| family | TP | FP | FN | precision | recall | F1 |")
    out.append("|---|---:|---:|---:|---:|---:|---:|")
    for f, r in res["by_family"].items():
        out.append(f"| {f} | {r['tp']} | {r['fp']} | {r['fn']} | {fmt(r['precision'])} | {fmt(r['recall'])} | {fmt(r['f1'])} |")
    n = res["negative_fps"]
    out.append(f"\n## False positives on negative lines: {n['count']}\n")
    if n["count"]:
        out.append("By type: " + ", ".join(f"{k} {v}" for k, v in n["by_type"].items()) + "  ")
        out.append("By decoy: " + ", ".join(f"{k} {v}" for k, v in n["by_decoy"].items()) + "\n")
        out.append("| id | type | span | value | decoy |")
        out.append("|---|---|---|---|---|")
        for x in n["items"][:max_items]:
            out.append(f"| {x['id']} | {x['type']} | {x['start']}–{x['end']} | `{x['value']}` | {x['decoy']} |")
        if n["count"] > max_items:
            out.append(f"\n… {n['count'] - max_items} more (all in --json)")
    fns = res["false_negatives"]
    out.append(f"\n## Missed gold spans: {len(fns)}\n")
    if fns:
        by_tag = Counter((x["tag"] or x["type"]).rsplit("/", 2)[0] for x in fns)
        out.append("By type/form: " + ", ".join(f"{k} {v}" for k, v in by_tag.most_common()) + "\n")
        out.append("| id | type | span | value | tag |")
        out.append("|---|---|---|---|---|")
        for x in fns[:max_items]:
            out.append(f"| {x['id']} | {x['type']} | {x['start']}–{x['end']} | `{x['value']}` | {x['tag']} |")
        if len(fns) > max_items:
            out.append(f"\n… {len(fns) - max_items} more (all in --json)")
    out.append("\n## Bars\n")
    for b in res["bars"]:
        out.append(f"- {'PASS' if b['pass'] else 'FAIL'}: {b['bar']} (got {fmt(b['value'])})")
    out.append(f"\n**{'ALL BARS PASS' if res['pass'] else 'SOME BARS FAIL'}**")
    return "\n".join(out) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description="Score corpus redact output against fixtures/pii/eval.jsonl.")
    ap.add_argument("--gold", required=True, help="labelled set, e.g. fixtures/pii/eval.jsonl")
    ap.add_argument("--pred", required=True, help="output of `corpus redact --input GOLD --output PRED`")
    ap.add_argument("--json", action="store_true", help="print JSON instead of markdown")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a bar fails")
    args = ap.parse_args(argv)
    try:
        res = score(read_jsonl(args.gold, "gold"), read_jsonl(args.pred, "pred"))
    except InputError as e:
        print(f"score.py: error: {e}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(res, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(markdown(res))
    return 1 if args.strict and not res["pass"] else 0


if __name__ == "__main__":
    sys.exit(main())
