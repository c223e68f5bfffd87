#!/usr/bin/env python3
"""An independent PII evaluation set (issue #16): values we did not make, in text we did not write.

Values come from third-party generators and are judged by third-party validators, installed from
PyPI in a pinned venv (`target/pii-venv`, created on first use):

  Faker zh_TW      names, addresses, phone numbers, e-mail, IPv4/IPv6, cards, national IDs
                   (`ssn`), licence plates, dates of birth
  phonenumbers     the judge of a phone number's type (mobile or fixed line, region TW)
  python-stdnum    the judge of check digits: cards (Luhn), UBN (`stdnum.tw.ubn`, values drawn at
                   random and kept when valid)

Each value is planted in a real sentence of the laws corpus (../shared/data, not written here),
at a random place, with a context drawn by a generator (cue before, after, both or none; half- or
full-width colon, brackets, spaces, glued), so no template is written one by one. The output is
in the format of `fixtures/pii/eval.jsonl`, scored by `benches/pii/score.py`.

  python3 benches/pii/make_independent.py --seed 1 --n 3000 --out target/pii-indep-1.jsonl
  python3 benches/pii/make_independent.py --seed 2 --text techtext --out target/pii-indep-tech-2.jsonl

Seed 1 may be looked at while working on the detectors; seed 2 is held out: report it, never tune
on it (BENCHMARKS.md, "PII quality: the independent set").
"""

import argparse
import json
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "../.."))
LAWS = os.path.normpath(os.path.join(ROOT, "../shared/data/tw-laws/laws-zh.jsonl.zst"))
VENV = os.path.join(ROOT, "target/pii-venv")
TECHTEXT = os.path.join(ROOT, "target/techtext.jsonl")
PINNED = ["Faker==40.63.0", "phonenumbers==9.0.43", "python-stdnum==2.2"]

# Cue words as a form or a letter uses them, per type; drawn, combined and placed by `context`.
CUES = {
    "TW_NATIONAL_ID": ["身分證字號", "身分證統一編號", "身分證號", "國民身分證", "統一編號(身分證)", "身分證"],
    "TW_UBN": ["統一編號", "統編", "營利事業統一編號", "扣繳單位統一編號"],
    "TW_MOBILE": ["手機", "行動電話", "手機號碼", "聯絡電話", "電話", "Tel", "TEL"],
    "TW_LANDLINE": ["電話", "市話", "聯絡電話", "辦公室電話", "住家電話", "Tel", "傳真"],
    "EMAIL": ["電子郵件", "電子信箱", "E-mail", "Email", "信箱", "聯絡信箱"],
    "IPV4": ["IP位址", "IP", "來源IP", "IP 位址", "主機位址"],
    "IPV6": ["IPv6位址", "IPv6", "IP位址", "來源位址"],
    "CREDIT_CARD": ["信用卡號", "信用卡卡號", "卡號", "信用卡", "簽帳卡號"],
    "TW_ADDRESS": ["地址", "住址", "戶籍地址", "通訊地址", "聯絡地址", "現住"],
    "LICENSE_PLATE": ["車牌", "車牌號碼", "車號", "牌照號碼", "機車車牌", "自用小客車"],
    "DATE_OF_BIRTH": ["出生日期", "生日", "出生年月日", "出生", "生於"],
    "PERSON_NAME": ["姓名", "申請人", "聯絡人", "承辦人", "負責人", "代理人", "當事人"],
}
# Words that may follow a value (a cue after it).
AFTER = {
    "TW_NATIONAL_ID": ["為其身分證字號", "（身分證）", "之身分證"],
    "TW_MOBILE": ["（手機）", "為其手機"],
    "TW_LANDLINE": ["（電話）", "（市話）"],
    "DATE_OF_BIRTH": ["出生", "生"],
    "PERSON_NAME": ["先生", "女士", "君"],
}


def ensure_venv():
    """Re-executes this script in the pinned venv (created on first use)."""
    sys.path.insert(0, os.path.join(ROOT, "benches"))
    from pyvenv import reexec_in
    reexec_in(VENV, "pii-indep", PINNED)


def sentences(limit, source="laws"):
    """Sentences of the laws corpus (or of Debian's documentation in Traditional, from
    benches/techtext/make_techtext.py), in corpus order: clauses cut at 。 of 12 to 80 characters,
    without digits (a planted value must be the only number)."""
    if source == "techtext":
        if not os.path.exists(TECHTEXT):
            sys.exit(f"{TECHTEXT} is missing: run python3 benches/techtext/make_techtext.py first")
        with open(TECHTEXT, encoding="utf-8") as f:
            raw = f.read().encode("utf-8")
    else:
        raw = subprocess.run(["zstd", "-dc", LAWS], check=True, capture_output=True).stdout
    out = []
    for line in raw.decode("utf-8").splitlines():
        for part in json.loads(line)["text"].replace("\n", "").split("。"):
            part = part.strip()
            if 12 <= len(part) <= 80 and not any(c.isdigit() for c in part):
                out.append(part + "。")
                if len(out) >= limit:
                    return out
    return out


def values(rng, fake):
    """One value per call: (type, value), from the generators, judged by the validators."""
    import phonenumbers
    from stdnum import luhn
    from stdnum.tw import ubn

    kinds = [
        "TW_NATIONAL_ID", "TW_UBN", "TW_MOBILE", "TW_LANDLINE", "EMAIL", "IPV4", "IPV6",
        "CREDIT_CARD", "TW_ADDRESS", "LICENSE_PLATE", "DATE_OF_BIRTH", "PERSON_NAME",
    ]
    while True:
        kind = rng.choice(kinds)
        if kind == "TW_NATIONAL_ID":
            yield kind, fake.ssn()
        elif kind == "TW_UBN":
            v = "".join(rng.choice("0123456789") for _ in range(8))
            if ubn.is_valid(v):
                yield kind, v
        elif kind in ("TW_MOBILE", "TW_LANDLINE"):
            v = fake.phone_number()
            try:
                t = phonenumbers.number_type(phonenumbers.parse(v, "TW"))
            except phonenumbers.NumberParseException:
                continue
            judged = {phonenumbers.PhoneNumberType.MOBILE: "TW_MOBILE",
                      phonenumbers.PhoneNumberType.FIXED_LINE: "TW_LANDLINE"}.get(t)
            if judged:
                yield judged, v
        elif kind == "EMAIL":
            yield kind, rng.choice([fake.email, fake.free_email, fake.company_email])()
        elif kind == "IPV4":
            yield kind, fake.ipv4()
        elif kind == "IPV6":
            yield kind, fake.ipv6()
        elif kind == "CREDIT_CARD":
            v = fake.credit_card_number()
            if luhn.is_valid(v):
                yield kind, v
        elif kind == "TW_ADDRESS":
            yield kind, fake.address()
        elif kind == "LICENSE_PLATE":
            yield kind, fake.license_plate()
        elif kind == "DATE_OF_BIRTH":
            d = fake.date_of_birth(minimum_age=1, maximum_age=100)
            roc = d.year - 1911
            yield kind, rng.choice([
                d.strftime("%Y-%m-%d"), d.strftime("%Y/%m/%d"), f"{d.year}年{d.month}月{d.day}日",
                f"民國{roc}年{d.month}月{d.day}日", f"{roc}年{d.month}月{d.day}日", f"{roc}.{d.month:02d}.{d.day:02d}",
            ])
        elif kind == "PERSON_NAME":
            yield kind, fake.name()


def context(rng, kind):
    """(before, after) around a value: a cue before, after, both or neither, with its separator."""
    before = after = ""
    where = rng.choice(["before", "before", "before", "after", "both", "none"])
    # A date alone is no one's birthday: a date of birth always has its cue.
    if kind == "DATE_OF_BIRTH" and where == "none":
        where = rng.choice(["before", "after"])
    if where in ("before", "both") and kind in CUES:
        cue = rng.choice(CUES[kind])
        before = cue + rng.choice(["：", ":", " ", "：", "為", "是", "（", ""])
        if before.endswith("（"):
            after = "）"
    if where in ("after", "both") and kind in AFTER:
        after = rng.choice(AFTER[kind]) + after
    return before, after


def main():
    ensure_venv()
    from faker import Faker

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--n", type=int, default=3000)
    p.add_argument("--out", required=True)
    p.add_argument("--text", choices=["laws", "techtext"], default="laws",
                   help="the sentences values are planted in (techtext: target/techtext.jsonl)")
    args = p.parse_args()
    rng = random.Random(args.seed)
    Faker.seed(args.seed)
    fake = Faker("zh_TW")
    pool = sentences(20000, args.text)
    gen = values(rng, fake)
    with open(args.out, "w", encoding="utf-8") as out:
        for i in range(args.n):
            kind, value = next(gen)
            before, after = context(rng, kind)
            s = rng.choice(pool)
            cut = rng.randrange(len(s))
            # Not inside an English word or a number of the text (`Mat|rix`): a value there is
            # part of a longer token, which no one writes.
            inside = lambda c: 0 < c < len(s) and s[c - 1].isascii() and s[c - 1].isalnum() and s[c].isascii() and s[c].isalnum()
            while inside(cut):
                cut = rng.randrange(len(s))
            head, tail = s[:cut], s[cut:]
            # Next to an English word a value is written with a space (`位址 2001:… nfs`), as
            # people write it; glued (`…1dd5nfs`) it would be part of that word.
            word = lambda c: c.isascii() and c.isalnum()
            if head and not before and word(head[-1]) and word(value[0]):
                head += " "
            if tail and not after and word(tail[0]) and word(value[-1]):
                tail = " " + tail
            text = head + before + value + after + tail
            start = len(head) + len(before)
            rec = {
                "id": f"indep-{args.seed}-{i:05d}",
                "text": text,
                "spans": [{"type": kind, "start": start, "end": start + len(value)}],
                "kind": "positive",
                "tags": [f"{kind}/{'cue' if before else 'nocue'}{'-after' if after else ''}"],
            }
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"[pii-indep] {args.n} records, seed {args.seed} -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
