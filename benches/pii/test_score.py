#!/usr/bin/env python3
"""Self-test of benches/pii/score.py on fake prediction files (standard library only).

    python3 benches/pii/test_score.py

Builds fake `corpus redact` outputs from fixtures/pii/eval.jsonl (every field kept, `text`
redacted, `pii` added) and checks that the scorer gives exactly the expected numbers: perfect
predictions score 1.0 everywhere; dropping, shifting, retyping, duplicating spans and adding
false positives move precision/recall by the expected amounts.
"""

import copy
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True  # keep benches/pii free of __pycache__
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
GOLD = os.path.join(REPO, "fixtures", "pii", "eval.jsonl")
SCORE = os.path.join(HERE, "score.py")

spec = importlib.util.spec_from_file_location("pii_score", SCORE)
score = importlib.util.module_from_spec(spec)
spec.loader.exec_module(score)

FAMILY_TOKEN = "|||{}|||"


def load_gold():
    with open(GOLD, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def redact(text, spans):
    out, pos = [], 0
    for s in sorted(spans, key=lambda s: s["start"]):
        if s["start"] < pos:
            continue
        out.append(text[pos:s["start"]])
        out.append(FAMILY_TOKEN.format(score.FAMILY.get(s["type"], "UNKNOWN")))
        pos = s["end"]
    out.append(text[pos:])
    return "".join(out)


def fake_pred(gold, edit=None):
    """The redact contract: all fields kept, text redacted, pii = spans (after `edit`)."""
    out = []
    for rec in gold:
        spans = copy.deepcopy(rec["spans"])
        if edit:
            spans = edit(rec, spans)
        if spans is None:
            continue  # line left out
        p = dict(rec)
        p["text"] = redact(rec["text"], spans)
        p["pii"] = spans
        out.append(p)
    return out


def run(gold, pred):
    return score.score(gold, pred)


class PerfectPredictions(unittest.TestCase):
    def test_everything_is_one(self):
        gold = load_gold()
        res = run(gold, fake_pred(gold))
        for t in score.TYPES:
            r = res["by_type"][t]
            self.assertGreaterEqual(r["gold"], 60, t)
            self.assertEqual((r["precision"], r["recall"], r["f1"], r["fp"], r["fn"]), (1.0, 1.0, 1.0, 0, 0), t)
            self.assertEqual(r["leaked"], 0, t)
        for f, r in res["by_family"].items():
            self.assertEqual((r["precision"], r["recall"]), (1.0, 1.0), f)
        self.assertEqual(res["overall_excluding_person_name"]["precision"], 1.0)
        self.assertEqual(res["overall_excluding_person_name"]["recall"], 1.0)
        self.assertEqual(res["person_name"]["recall"], 1.0)
        self.assertEqual(res["negative_fps"]["count"], 0)
        self.assertEqual(res["false_negatives"], [])
        self.assertTrue(res["pass"])
        self.assertEqual(len(res["bars"]), 13)
        self.assertEqual(res["warnings"], [])

    def test_gold_shape(self):
        gold = load_gold()
        kinds = [r["kind"] for r in gold]
        self.assertEqual(len(gold), kinds.count("positive") + kinds.count("negative"))
        self.assertGreaterEqual(kinds.count("positive"), 1400)
        self.assertGreaterEqual(kinds.count("negative"), 550)
        ids = [r["id"] for r in gold]
        self.assertEqual(len(ids), len(set(ids)))
        for r in gold:
            self.assertEqual(r["kind"] == "negative", r["spans"] == [], r["id"])
            for s in r["spans"]:
                self.assertIn(s["type"], score.TYPES)
                self.assertTrue(0 <= s["start"] < s["end"] <= len(r["text"]))
        self.assertLess(os.path.getsize(GOLD), 1_000_000)


class Degraded(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.gold = load_gold()
        cls.n = {t: sum(s["type"] == t for r in cls.gold for s in r["spans"]) for t in score.TYPES}

    def test_dropping_spans_lowers_recall_exactly(self):
        counter = {"i": 0, "dropped": 0}

        def drop_every_tenth_mobile(rec, spans):
            keep = []
            for s in spans:
                if s["type"] == "TW_MOBILE":
                    counter["i"] += 1
                    if counter["i"] % 10 == 0:
                        counter["dropped"] += 1
                        continue
                keep.append(s)
            return keep

        res = run(self.gold, fake_pred(self.gold, drop_every_tenth_mobile))
        n, d = self.n["TW_MOBILE"], counter["dropped"]
        self.assertEqual(d, n // 10)
        r = res["by_type"]["TW_MOBILE"]
        self.assertEqual((r["tp"], r["fn"], r["fp"]), (n - d, d, 0))
        self.assertAlmostEqual(r["recall"], (n - d) / n)
        self.assertEqual(r["precision"], 1.0)
        self.assertEqual(r["leaked"], d)  # dropped values stay in the redacted text
        self.assertEqual(res["by_family"]["PHONE_NUMBER"]["fn"], d)
        total = sum(v for t, v in self.n.items() if t != "PERSON_NAME")
        self.assertAlmostEqual(res["overall_excluding_person_name"]["recall"], (total - d) / total)
        self.assertEqual(res["overall_excluding_person_name"]["precision"], 1.0)
        mob = [b for b in res["bars"] if "TW_MOBILE" in b["bar"]][0]
        self.assertFalse(mob["pass"])  # 0.9 < 0.99
        self.assertFalse(res["pass"])
        self.assertEqual(len(res["false_negatives"]), d)
        self.assertTrue(all(x["type"] == "TW_MOBILE" for x in res["false_negatives"]))
        for t in score.TYPES:
            if t != "TW_MOBILE":
                self.assertEqual(res["by_type"][t]["recall"], 1.0, t)

    def test_dropping_all_names_leaves_overall_untouched(self):
        res = run(self.gold, fake_pred(self.gold, lambda r, s: [x for x in s if x["type"] != "PERSON_NAME"]))
        self.assertEqual(res["person_name"]["recall"], 0.0)
        self.assertEqual(res["overall_excluding_person_name"]["recall"], 1.0)
        self.assertTrue(res["pass"])  # names carry no bar

    def test_small_shift_still_matches_large_shift_does_not(self):
        def shift(by):
            def edit(rec, spans):
                for s in spans:
                    if s["type"] == "TW_ADDRESS":
                        s["start"] += by
                        s["end"] = min(s["end"] + by, len(rec["text"]))
                return spans
            return edit

        res = run(self.gold, fake_pred(self.gold, shift(1)))
        self.assertEqual(res["by_type"]["TW_ADDRESS"]["recall"], 1.0)  # addresses are >= 8 chars: IoU stays >= 0.5
        res = run(self.gold, fake_pred(self.gold, shift(1000)))
        r = res["by_type"]["TW_ADDRESS"]
        self.assertEqual((r["tp"], r["fn"]), (0, self.n["TW_ADDRESS"]))

    def test_wrong_fine_type_same_family(self):
        def retype(rec, spans):
            for s in spans:
                if s["type"] == "TW_ARC_NEW":
                    s["type"] = "TW_NATIONAL_ID"
            return spans

        res = run(self.gold, fake_pred(self.gold, retype))
        n_arc, n_id = self.n["TW_ARC_NEW"], self.n["TW_NATIONAL_ID"]
        self.assertEqual(res["by_type"]["TW_ARC_NEW"]["recall"], 0.0)
        self.assertEqual(res["by_type"]["TW_NATIONAL_ID"]["fp"], n_arc)
        self.assertAlmostEqual(res["by_type"]["TW_NATIONAL_ID"]["precision"], n_id / (n_id + n_arc))
        fam = res["by_family"]["ID_NUMBER"]
        self.assertEqual((fam["precision"], fam["recall"]), (1.0, 1.0))

    def test_each_gold_matched_once(self):
        def dup(rec, spans):
            return spans + [dict(s) for s in spans if s["type"] == "EMAIL"]

        res = run(self.gold, fake_pred(self.gold, dup))
        r = res["by_type"]["EMAIL"]
        self.assertEqual((r["tp"], r["fp"], r["fn"]), (self.n["EMAIL"], self.n["EMAIL"], 0))
        self.assertEqual(r["precision"], 0.5)

    def test_false_positives_on_negatives_are_listed(self):
        def add_fp(rec, spans):
            if rec["kind"] == "negative" and rec["tags"] == ["NEG_VERSION"]:
                return spans + [{"type": "IPV4", "start": 0, "end": 4}]
            return spans

        res = run(self.gold, fake_pred(self.gold, add_fp))
        k = sum(1 for r in self.gold if r["tags"] == ["NEG_VERSION"])
        self.assertGreater(k, 0)
        n = res["negative_fps"]
        self.assertEqual(n["count"], k)
        self.assertEqual(n["by_type"], {"IPV4": k})
        self.assertEqual(n["by_decoy"], {"NEG_VERSION": k})
        self.assertEqual(res["by_type"]["IPV4"]["fp_on_negatives"], k)
        total = sum(v for t, v in self.n.items() if t != "PERSON_NAME")
        self.assertAlmostEqual(res["overall_excluding_person_name"]["precision"], total / (total + k))

    def test_missing_lines_and_unknown_types(self):
        dropped = {r["id"] for r in self.gold[:10]}
        lost = sum(len(r["spans"]) for r in self.gold[:10])

        def edit(rec, spans):
            if rec["id"] in dropped:
                return None
            if rec["id"] == self.gold[20]["id"]:
                return spans + [{"type": "US_SSN", "start": 0, "end": 1}]
            return spans

        res = run(self.gold, fake_pred(self.gold, edit))
        self.assertEqual(res["lines"]["missing_in_pred"], 10)
        got_fn = sum(r["fn"] for r in res["by_type"].values())
        self.assertEqual(got_fn, lost)
        self.assertEqual(res["by_type"]["US_SSN"]["fp"], 1)
        self.assertEqual(res["overall_excluding_person_name"]["fp"], 1)
        self.assertTrue(any("outside the 17" in w for w in res["warnings"]))
        self.assertTrue(any("no prediction line" in w for w in res["warnings"]))

    def test_no_predictions_fails_every_bar(self):
        res = run(self.gold, fake_pred(self.gold, lambda r, s: []))
        self.assertIsNone(res["overall_excluding_person_name"]["precision"])
        self.assertTrue(all(not b["pass"] for b in res["bars"]))


class IoUBoundary(unittest.TestCase):
    def rec(self, spans, pii, kind="positive"):
        g = {"id": "x", "text": "0123456789" * 3, "spans": spans, "kind": kind, "tags": []}
        p = dict(g, pii=pii)
        return [g], [p]

    def test_iou_half_is_a_match(self):
        g, p = self.rec([{"type": "EMAIL", "start": 0, "end": 10}], [{"type": "EMAIL", "start": 5, "end": 10}])
        self.assertEqual(score.score(g, p)["by_type"]["EMAIL"]["tp"], 1)  # 5/10

    def test_iou_below_half_is_not(self):
        g, p = self.rec([{"type": "EMAIL", "start": 0, "end": 10}], [{"type": "EMAIL", "start": 4, "end": 13}])
        r = score.score(g, p)["by_type"]["EMAIL"]  # 6/13
        self.assertEqual((r["tp"], r["fp"], r["fn"]), (0, 1, 1))

    def test_best_pairs_win(self):
        g, p = self.rec([{"type": "IPV4", "start": 0, "end": 10}, {"type": "IPV4", "start": 10, "end": 20}],
                        [{"type": "IPV4", "start": 2, "end": 12}, {"type": "IPV4", "start": 10, "end": 20}])
        r = score.score(g, p)["by_type"]["IPV4"]  # IoU 8/12 with the first, 2/18 and 1.0 with the second
        self.assertEqual((r["tp"], r["fp"], r["fn"]), (2, 0, 0))


class CommandLine(unittest.TestCase):
    def test_markdown_json_and_exit_codes(self):
        gold = load_gold()
        with tempfile.TemporaryDirectory() as d:
            perfect = os.path.join(d, "perfect.jsonl")
            worse = os.path.join(d, "worse.jsonl")
            for path, pred in ((perfect, fake_pred(gold)),
                               (worse, fake_pred(gold, lambda r, s: [x for x in s if x["type"] != "IPV6"]))):
                with open(path, "w", encoding="utf-8") as f:
                    for rec in pred:
                        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            cmd = [sys.executable, SCORE, "--gold", GOLD, "--pred"]
            md = subprocess.run(cmd + [perfect], capture_output=True, text=True)
            self.assertEqual(md.returncode, 0, md.stderr)
            self.assertIn("| type | gold | pred | TP | FP | FN |", md.stdout)
            self.assertIn("ALL BARS PASS", md.stdout)
            self.assertEqual(md.stdout.count("PASS: "), 13)
            js = subprocess.run(cmd + [worse, "--json"], capture_output=True, text=True)
            self.assertEqual(js.returncode, 0, js.stderr)
            res = json.loads(js.stdout)
            self.assertEqual(res["by_type"]["IPV6"]["recall"], 0.0)
            self.assertFalse(res["pass"])
            strict = subprocess.run(cmd + [worse, "--strict"], capture_output=True, text=True)
            self.assertEqual(strict.returncode, 1)
            self.assertIn("FAIL: recall IPV6 >= 0.99", strict.stdout)
            missing = subprocess.run(cmd + [os.path.join(d, "nope.jsonl")], capture_output=True, text=True)
            self.assertEqual(missing.returncode, 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
