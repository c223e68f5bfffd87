#!/usr/bin/env python3
"""Run Microsoft Presidio (presidio-analyzer 2.2.366), pattern recognizers only, over a JSONL file.

    python presidio_run.py config
    python presidio_run.py predict --input fixtures/pii/eval.jsonl --output PRED.jsonl
    python presidio_run.py bench --input SAMPLE.jsonl [--repeat 3]

No spaCy model is loaded: a stub NlpEngine returns empty NlpArtifacts, and the NER recognizer
(SpacyRecognizer: PERSON, LOCATION, NRP, ORGANIZATION, DATE_TIME) is dropped. Everything else
Presidio enables by default for language "en" is kept, with PhoneRecognizer rebuilt to add "TW"
to its default regions. Presidio has no Chinese ("zh") recognizers.

`predict` writes every input field, `text` redacted with <TYPE>, and `pii`: [{type, start,
end, presidio_type, score}] in code points (the format of benches/pii/score.py). Presidio types
map to our fine types: EMAIL_ADDRESS->EMAIL, CREDIT_CARD->CREDIT_CARD, IP_ADDRESS->IPV6 if the
match holds ':' else IPV4, PHONE_NUMBER->TW_MOBILE if its digits start with 09 or 8869 else
TW_LANDLINE; every other type keeps its Presidio name (URL, DATE_TIME, US_BANK_NUMBER, ...), so
the scorer counts it as a false positive. Overlapping results are resolved as a redactor would:
highest score first, then the longer span; a result overlapping a kept one is dropped.

`predict --min-score S` passes S as Presidio's `score_threshold`. `bench` prints JSON: text
bytes (UTF-8 of the `text` fields), wall and CPU seconds of the analyze calls alone (engine built
beforehand, file already read) for each repeat, and the detections of the last repeat (counts by
type, first 8 values).
"""

import argparse
import json
import os
import statistics
import sys
import time
import unicodedata
from collections import Counter

# EmailRecognizer checks TLDs with tldextract, which would try to download the Public Suffix List;
# an empty URL list makes it use the snapshot bundled with the package (no network).
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine
from presidio_analyzer.predefined_recognizers import PhoneRecognizer
from spacy.tokens import Doc
from spacy.vocab import Vocab

LANGUAGE = "en"
PHONE_REGIONS = PhoneRecognizer.DEFAULT_SUPPORTED_REGIONS + ("TW",)


class StubNlpEngine(NlpEngine):
    """No tokenizer, no NER: every text gets empty NlpArtifacts."""

    vocab = Vocab()

    def load(self):
        pass

    def is_loaded(self):
        return True

    def process_text(self, text, language):
        return NlpArtifacts(entities=[], tokens=Doc(self.vocab, words=[]), tokens_indices=[],
                            lemmas=[], nlp_engine=self, language=language)

    def process_batch(self, texts, language, **kwargs):
        for text in texts:
            yield text, self.process_text(text, language)

    def is_stopword(self, word, language):
        return False

    def is_punct(self, word, language):
        return False

    def get_supported_entities(self):
        return []

    def get_supported_languages(self):
        return [LANGUAGE]


def build_engine():
    nlp = StubNlpEngine()
    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    registry.load_predefined_recognizers(languages=[LANGUAGE], nlp_engine=nlp)
    kept = []
    for r in registry.recognizers:
        if type(r).__name__ == "SpacyRecognizer":
            continue  # NER: needs a spaCy model
        if isinstance(r, PhoneRecognizer):
            r = PhoneRecognizer(supported_language=LANGUAGE, supported_regions=PHONE_REGIONS)
        kept.append(r)
    registry.recognizers = kept
    return AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=[LANGUAGE])


def describe(engine):
    recs = sorted((type(r).__name__, ",".join(r.supported_entities)) for r in engine.registry.recognizers)
    return {"presidio_analyzer": "2.2.366", "language": LANGUAGE, "nlp_engine": "stub (empty NlpArtifacts, no NER)",
            "score_threshold": engine.default_score_threshold, "phone_regions": list(PHONE_REGIONS),
            "recognizers": [f"{n} ({e})" for n, e in recs]}


def fine_type(ptype, value):
    if ptype == "EMAIL_ADDRESS":
        return "EMAIL"
    if ptype == "CREDIT_CARD":
        return "CREDIT_CARD"
    if ptype == "IP_ADDRESS":
        return "IPV6" if ":" in value or "：" in value else "IPV4"
    if ptype == "PHONE_NUMBER":
        digits = "".join(str(unicodedata.digit(c)) for c in value if unicodedata.digit(c, None) is not None)
        return "TW_MOBILE" if digits.startswith(("09", "8869")) else "TW_LANDLINE"
    return ptype


def detect(engine, text, min_score=None):
    results = sorted(engine.analyze(text=text, language=LANGUAGE, score_threshold=min_score),
                     key=lambda r: (-r.score, -(r.end - r.start), r.start))
    kept = []
    for r in results:
        if all(r.end <= k.start or r.start >= k.end for k in kept):
            kept.append(r)
    kept.sort(key=lambda r: r.start)
    return [{"type": fine_type(r.entity_type, text[r.start:r.end]), "start": r.start, "end": r.end,
             "presidio_type": r.entity_type, "score": round(r.score, 4)} for r in kept]


def redact(text, spans):
    out, pos = [], 0
    for s in spans:
        out += [text[pos:s["start"]], f"<{s['type']}>"]
        pos = s["end"]
    return "".join(out) + text[pos:]


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("config", help="print the Presidio configuration as JSON")
    p = sub.add_parser("predict")
    p.add_argument("--input", required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--min-score", type=float, help="Presidio's score_threshold (default: the engine's, 0)")
    b = sub.add_parser("bench")
    b.add_argument("--input", required=True)
    b.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    engine = build_engine()
    if args.cmd == "config":
        json.dump(describe(engine), sys.stdout, indent=1)
        print()
    elif args.cmd == "predict":
        with open(args.output, "w", encoding="utf-8") as out:
            for rec in read(args.input):
                spans = detect(engine, rec["text"], args.min_score)
                rec = {**rec, "text": redact(rec["text"], spans), "pii": spans}
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    else:
        texts = [rec["text"] for rec in read(args.input)]
        detect(engine, "warm-up 0912-345-678 a@example.com")
        seconds, cpu = [], []
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            found = [detect(engine, text) for text in texts]
            seconds.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        nbytes = sum(len(t.encode("utf-8")) for t in texts)
        counts = Counter(s["type"] for spans in found for s in spans)
        json.dump({"docs": len(texts), "bytes": nbytes, "seconds": seconds, "median_s": statistics.median(seconds),
                   "cpu_median_s": statistics.median(cpu),
                   "detections": {"docs_with_detections": sum(map(bool, found)),
                                  "by_type": dict(counts.most_common()),
                                  "examples": [f"{s['type']} `{t[s['start']:s['end']]}`"
                                               for t, spans in zip(texts, found) for s in spans][:8]}}, sys.stdout)
        print()


if __name__ == "__main__":
    main()
