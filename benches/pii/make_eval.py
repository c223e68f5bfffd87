#!/usr/bin/env python3
"""Generate the labelled Taiwan PII evaluation set `fixtures/pii/eval.jsonl` (and its README).

Deterministic: `random.Random(20261124)`, standard library only (Python 3.11). Carrier sentences
are real sentences of the laws sample (`shared/data/tw-laws/sample-200.jsonl`, OGDL-Taiwan-1.0,
PII-free); every planted value is synthetic and valid under the real algorithm of its type
(`shared/reference/pii-and-licences.md` Part A).

    python3 benches/pii/make_eval.py            # write fixtures/pii/eval.jsonl and README.md
    python3 benches/pii/make_eval.py --check    # regenerate in memory, compare, re-validate

Record format (one JSON object per line):

    {"id": "eval-00001", "text": "…", "spans": [{"type": "TW_MOBILE", "start": 12, "end": 22}],
     "kind": "positive", "tags": ["TW_MOBILE/dash-4-3-3/half/glued-both"]}

`spans` are sorted, disjoint, in Unicode code points (Python str indices) of `text`, and cover
the value only, never its keyword. `tags` is informational: one entry per span for positives
(type/form/width/context), the decoy category for negatives.
"""

import argparse
import calendar
import hashlib
import ipaddress
import json
import os
import re
import sys
from collections import Counter
from random import Random
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fixture_tools  # noqa: E402  (benches/fixture_tools.py)

SEED = 20261124
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT_JSONL = os.path.join(REPO, "fixtures", "pii", "eval.jsonl")
OUT_README = os.path.join(REPO, "fixtures", "pii", "README.md")
LAWS_REL = os.path.join("data", "tw-laws", "sample-200.jsonl")
LAWS_SHA256 = "61ffc318f5c637c5383e49fbc71b569bfcbc87b728b8ea067901ac934c9c47f2"

TYPES = [
    "TW_NATIONAL_ID", "TW_ARC_NEW", "TW_ARC_OLD", "TW_UBN", "TW_MOBILE", "TW_LANDLINE",
    "TW_NHI_CARD", "PASSPORT", "CREDIT_CARD", "BANK_ACCOUNT", "EMAIL", "IPV4", "IPV6",
    "TW_ADDRESS", "LICENSE_PLATE", "DATE_OF_BIRTH", "PERSON_NAME",
]

# Values per type (sum 2,030) packed into 1,500 positive lines: 1,045 with one value, 380 with
# two, 75 with three (values of different types in one line).
TARGET = {
    "TW_NATIONAL_ID": 180, "TW_ARC_NEW": 90, "TW_ARC_OLD": 90, "TW_UBN": 100, "TW_MOBILE": 180,
    "TW_LANDLINE": 180, "TW_NHI_CARD": 70, "PASSPORT": 70, "CREDIT_CARD": 130, "BANK_ACCOUNT": 90,
    "EMAIL": 160, "IPV4": 110, "IPV6": 100, "TW_ADDRESS": 150, "LICENSE_PLATE": 70,
    "DATE_OF_BIRTH": 130, "PERSON_NAME": 130,
}
LINES_BY_K = {1: 1045, 2: 380, 3: 75}
N_NEGATIVE = 600

# --------------------------------------------------------------------------------------------
# character helpers


def is_han(c):
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def to_full(s):
    """Every printable ASCII character to its full-width form; space to U+3000 (1:1)."""
    out = []
    for c in s:
        if "!" <= c <= "~":
            out.append(chr(ord(c) + 0xFEE0))
        elif c == " ":
            out.append("\u3000")
        else:
            out.append(c)
    return "".join(out)


def to_full_alnum(s):
    """Only ASCII digits and letters to full width (punctuation stays half-width)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in s)


def fold(s):
    """The width folding of spec A.0 rule 2: U+FF01–FF5E → ASCII, U+3000 → space."""
    return "".join(
        chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else (" " if c == "\u3000" else c) for c in s
    )


def apply_width(value, width):
    if width == "full":
        return to_full(value)
    if width == "full-alnum":
        return to_full_alnum(value)
    return value


def digits(rng, n):
    return "".join(str(rng.randrange(10)) for _ in range(n))


# --------------------------------------------------------------------------------------------
# check-digit algorithms (spec A.1–A.3, A.8)

LETTER = {
    "A": 10, "B": 11, "C": 12, "D": 13, "E": 14, "F": 15, "G": 16, "H": 17, "I": 34, "J": 18,
    "K": 19, "L": 20, "M": 21, "N": 22, "O": 35, "P": 23, "Q": 24, "R": 25, "S": 26, "T": 27,
    "U": 28, "V": 29, "W": 32, "X": 30, "Y": 31, "Z": 33,
}
ID_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 1]


def _id_partial(letter, nine):
    """Weighted sum of letter + first 8 of the nine digits (d1…d8)."""
    n = LETTER[letter]
    return n // 10 + (n % 10) * 9 + sum(int(d) * w for d, w in zip(nine[:8], ID_WEIGHTS))


def id_valid(s):
    """National ID / new ARC ([A-Z][12|89]\\d{8}) and old ARC ([A-Z][A-D]\\d{8})."""
    s = fold(s).upper()
    if not re.fullmatch(r"[A-Z][0-9A-D][0-9]{8}", s):
        return False
    nine = (str(LETTER[s[1]] % 10) if s[1] in "ABCD" else s[1]) + s[2:]
    return (_id_partial(s[0], nine) + int(nine[8])) % 10 == 0


def make_id(rng, letter, second):
    """letter + second character (digit or A–D) + 7 serial digits + check digit."""
    body = digits(rng, 7)
    first = str(LETTER[second] % 10) if second in "ABCD" else second
    check = (-_id_partial(letter, first + body + "0")) % 10
    return letter + second + body + str(check)


def ubn_sum(s):
    return sum((int(d) * w) // 10 + (int(d) * w) % 10 for d, w in zip(s, [1, 2, 1, 2, 1, 2, 4, 1]))


def ubn_valid(s):
    """2023 rule: S ÷ 5; 7th digit 7 (7×4=28 → 10, counted 1 or 0): also (S+1) ÷ 5."""
    s = fold(s)
    if not re.fullmatch(r"[0-9]{8}", s):
        return False
    total = ubn_sum(s)
    return total % 5 == 0 or (s[6] == "7" and (total + 1) % 5 == 0)


def ubn_valid_legacy(s):
    total = ubn_sum(s)
    return total % 10 == 0 or (s[6] == "7" and (total + 1) % 10 == 0)


def luhn_valid(s):
    ds = [int(c) for c in s][::-1]
    total = 0
    for i, d in enumerate(ds):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn_complete(payload):
    for c in "0123456789":
        if luhn_valid(payload + c):
            return payload + c
    raise AssertionError("unreachable")


def card_brand(num):
    """Brand by the IIN/length table of spec A.8, or None."""
    n = len(num)
    if num[0] == "4" and n in (13, 16, 19):
        return "visa"
    if n == 16 and (51 <= int(num[:2]) <= 55 or 2221 <= int(num[:4]) <= 2720):
        return "mastercard"
    if n == 16 and 3528 <= int(num[:4]) <= 3589:
        return "jcb"
    if n == 15 and num[:2] in ("34", "37"):
        return "amex"
    if num[:2] == "62" and 16 <= n <= 19:
        return "unionpay"
    if n == 14 and (num[:2] in ("36", "38") or 300 <= int(num[:3]) <= 305):
        return "diners"
    return None


def isbn13_complete(twelve):
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(twelve))
    return twelve + str((10 - total % 10) % 10)


def isbn10_complete(nine):
    total = sum(int(d) * (10 - i) for i, d in enumerate(nine))
    c = (11 - total % 11) % 11
    return nine + ("X" if c == 10 else str(c))


# --------------------------------------------------------------------------------------------
# phones (spec A.4, A.5; subscriber leading digits kept inside libphonenumber's TW metadata)

# (area code without trunk 0, subscriber length, allowed first subscriber digits, region)
LANDLINE_AREAS = [
    ("2", 8, "2345678", "臺北"), ("3", 7, "2345689", "桃園新竹"), ("37", 6, "2345678", "苗栗"),
    ("4", 8, "23", "臺中"), ("4", 7, "78", "彰化"), ("49", 7, "2345679", "南投"),
    ("5", 7, "2345678", "嘉義雲林"), ("6", 7, "2357", "臺南"), ("7", 7, "2345678", "高雄"),
    ("8", 7, "78", "屏東"), ("89", 6, "2345678", "臺東"), ("82", 6, "3", "金門"),
    ("836", 5, "2256789", "馬祖"), ("826", 5, "6", "烏坵"),
]
AREA_WEIGHTS = [30, 10, 5, 12, 5, 5, 6, 7, 9, 4, 3, 3, 3, 2]


def landline_valid(national):
    """Trunk-less national number against the area/length table above."""
    for area, n, firsts, _ in LANDLINE_AREAS:
        if national.startswith(area) and len(national) == len(area) + n and national[len(area)] in firsts:
            return True
    return False


def mobile_valid(national):
    return re.fullmatch(r"9[0-8][0-9]{7}", national) is not None


# --------------------------------------------------------------------------------------------
# vocabularies

SURNAMES = list("陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯翁魏孫戴")
COMPOUND_SURNAMES = ["歐陽", "張簡", "范姜", "司馬"]
GIVEN = list("志明俊傑建宏家豪冠宇承翰怡君雅婷淑芬美玲佳穎欣宜庭柏彥宗諭政偉文雄信嘉慧娟秀琴惠珍麗華育誠哲瑋筱涵詩晴子軒睿")
NAME_CONTEXTS = [
    # (pre, post)  post starts with punctuation or a title so the name's right edge is unambiguous
    ("姓名：", "，"), ("姓名:", "，"), ("姓名", "、"), ("聯絡人", "，"), ("聯絡人：", "，"),
    ("申請人", "，"), ("申請人：", "；"), ("負責人", "，"), ("收件人：", "，"), ("承辦人", "，"),
    ("當事人", "，"), ("請洽", "先生，"), ("請洽", "小姐，"), ("通知", "女士，"), ("由", "先生"),
    ("致", "小姐"), ("承辦人：", "（男），"), ("代理人", "，"), ("姓名：", "（女），"), ("聯絡人為", "老師，"),
]

SURNAME_ROMAN = ["chen", "lin", "huang", "chang", "lee", "wang", "wu", "liu", "tsai", "yang", "hsu",
                 "cheng", "hsieh", "kuo", "chiu", "tseng", "liao", "lai", "chou", "yeh", "su", "lu"]
GIVEN_ROMAN = ["yijun", "meiling", "zhiming", "jiahao", "yating", "weiting", "chihao", "shuhui",
               "yuhsuan", "tzuyu", "pohan", "hsinyi", "chunhung", "yichen", "kaiwen", "peiling"]
ENGLISH_GIVEN = ["amy", "kevin", "vivian", "jason", "grace", "eric", "tina", "david", "joyce", "allen"]
EMAIL_DOMAINS = ["example.com", "example.org", "example.net", "mail.example.com", "example.com.tw",
                 "example.org.tw", "example.edu.tw", "ms1.example.net", "corp.example.org",
                 "dept.example.edu.tw"]

COUNTIES = {
    "臺北市": [("中正區", "100"), ("大同區", "103"), ("中山區", "104"), ("松山區", "105"), ("大安區", "106"),
             ("萬華區", "108"), ("信義區", "110"), ("士林區", "111"), ("北投區", "112"), ("內湖區", "114"),
             ("南港區", "115"), ("文山區", "116")],
    "新北市": [("板橋區", "220"), ("汐止區", "221"), ("新店區", "231"), ("永和區", "234"), ("中和區", "235"),
             ("土城區", "236"), ("樹林區", "238"), ("三重區", "241"), ("新莊區", "242"), ("蘆洲區", "247"),
             ("淡水區", "251")],
    "桃園市": [("中壢區", "320"), ("平鎮區", "324"), ("楊梅區", "326"), ("桃園區", "330"), ("龜山區", "333"),
             ("八德區", "334"), ("蘆竹區", "338")],
    "臺中市": [("中區", "400"), ("東區", "401"), ("南區", "402"), ("西區", "403"), ("北區", "404"),
             ("北屯區", "406"), ("西屯區", "407"), ("南屯區", "408"), ("太平區", "411"), ("大里區", "412"),
             ("豐原區", "420")],
    "臺南市": [("中西區", "700"), ("東區", "701"), ("南區", "702"), ("北區", "704"), ("安平區", "708"),
             ("安南區", "709"), ("永康區", "710"), ("新營區", "730")],
    "高雄市": [("新興區", "800"), ("前金區", "801"), ("苓雅區", "802"), ("鹽埕區", "803"), ("鼓山區", "804"),
             ("前鎮區", "806"), ("三民區", "807"), ("楠梓區", "811"), ("小港區", "812"), ("左營區", "813"),
             ("鳳山區", "830")],
    "基隆市": [("仁愛區", "200"), ("信義區", "201"), ("中正區", "202"), ("中山區", "203"), ("安樂區", "204"),
             ("暖暖區", "205"), ("七堵區", "206")],
    "新竹市": [("東區", "300"), ("北區", "300"), ("香山區", "300")],
    "嘉義市": [("東區", "600"), ("西區", "600")],
    "新竹縣": [("竹北市", "302"), ("湖口鄉", "303"), ("新埔鎮", "305"), ("竹東鎮", "310")],
    "苗栗縣": [("竹南鎮", "350"), ("頭份市", "351"), ("苑裡鎮", "358"), ("苗栗市", "360")],
    "彰化縣": [("彰化市", "500"), ("鹿港鎮", "505"), ("和美鎮", "508"), ("員林市", "510")],
    "南投縣": [("南投市", "540"), ("草屯鎮", "542"), ("埔里鎮", "545")],
    "雲林縣": [("虎尾鎮", "632"), ("斗六市", "640"), ("北港鎮", "651")],
    "嘉義縣": [("太保市", "612"), ("朴子市", "613"), ("民雄鄉", "621")],
    "屏東縣": [("屏東市", "900"), ("潮州鎮", "920"), ("東港鎮", "928")],
    "宜蘭縣": [("宜蘭市", "260"), ("礁溪鄉", "262"), ("羅東鎮", "265")],
    "花蓮縣": [("花蓮市", "970"), ("吉安鄉", "973"), ("玉里鎮", "981")],
    "臺東縣": [("臺東市", "950"), ("關山鎮", "956"), ("成功鎮", "961")],
    "澎湖縣": [("馬公市", "880"), ("湖西鄉", "885")],
    "金門縣": [("金湖鎮", "891"), ("金城鎮", "893")],
    "連江縣": [("南竿鄉", "209"), ("北竿鄉", "210")],
}
ROADS = ["中山路", "中正路", "民生路", "民族路", "民權路", "復興路", "建國路", "光復路", "自由路", "文化路",
         "和平路", "成功路", "信義路", "仁愛路", "中華路", "三民路", "公園路", "大同路", "忠孝東路",
         "和平東路", "羅斯福路", "復興南路", "中山北路", "建國北路", "民生東路", "林森北路", "永康街",
         "博愛街", "和平街", "光明街", "大仁街", "中興街", "臺灣大道", "中港大道", "文心路", "五福一路"]
SECTIONED = {"忠孝東路", "和平東路", "羅斯福路", "復興南路", "中山北路", "建國北路", "民生東路",
             "林森北路", "臺灣大道", "中山路", "中正路", "民生路"}
VILLAGES = ["福德里", "中興里", "仁愛里", "光明里", "和平里", "忠孝里", "新生里", "大安里", "永安村", "東興村"]
CN_DIGIT = "〇一二三四五六七八九"


def cn_num(n):
    """1–199 in Chinese numerals (十二, 二十三, 一百零五)."""
    assert 0 < n < 200
    if n >= 100:
        rest = n - 100
        if rest == 0:
            return "一百"
        return "一百" + ("零" + CN_DIGIT[rest] if rest < 10 else ("一" + cn_num(rest) if rest < 20 else cn_num(rest)))
    if n < 10:
        return CN_DIGIT[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGIT[tens]) + "十" + (CN_DIGIT[ones] if ones else "")


def cn_digits(n):
    return "".join(CN_DIGIT[int(c)] for c in str(n))


PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I, O
PLATE_DIGITS = "012356789"  # no 4

# --------------------------------------------------------------------------------------------
# forms: (name, weight) per type; a schedule per type gives every form at least twice

FORMS = {
    "TW_NATIONAL_ID": [("upper", 50), ("lower-informal", 10), ("no-keyword", 8)],
    "TW_ARC_NEW": [("upper", 55), ("lower-informal", 8)],
    "TW_ARC_OLD": [("upper", 60), ("lower-informal", 6)],
    "TW_UBN": [("new-rule-only", 30), ("both-rules", 40), ("seventh-digit-7", 25), ("mof-test-number", 4)],
    "TW_MOBILE": [("plain", 25), ("dash-4-3-3", 25), ("dash-4-6", 8), ("space-4-3-3", 12), ("intl-space", 10),
                  ("intl-dash", 8), ("intl-compact", 6), ("intl-paren", 6)],
    "TW_LANDLINE": [("paren", 25), ("paren-space", 10), ("dash", 25), ("compact", 10), ("space", 8),
                    ("intl-dash", 10), ("intl-space", 8)],
    "TW_NHI_CARD": [("plain", 50), ("dash-4-4-4", 20), ("space-4-4-4", 20)],
    "PASSPORT": [("plain", 80), ("passport-no-en", 15)],
    "CREDIT_CARD": [("visa-dash", 12), ("visa-space", 10), ("visa-compact", 8), ("mastercard-5x", 12),
                    ("mastercard-2x", 8), ("jcb", 14), ("amex-4-6-5", 10), ("unionpay", 10),
                    ("no-keyword", 8)],
    "BANK_ACCOUNT": [("compact", 40), ("dashed", 20), ("spaced", 8), ("bank-code-prefix", 18),
                     ("post-office-7-7", 12)],
    "EMAIL": [("lower", 45), ("mixed-case", 20), ("upper", 10), ("angle-brackets", 6), ("mailto", 4),
              ("plus-tag", 8), ("fullwidth-at", 5)],
    "IPV4": [("plain", 60), ("with-port", 15), ("in-url", 10)],
    "IPV6": [("compressed", 40), ("full", 15), ("no-leading-zeros", 15), ("upper", 12), ("v4-embedded", 10),
             ("bracket-port", 8)],
    "TW_ADDRESS": [("county-district-road", 45), ("with-village-neighbourhood", 10), ("postal-3", 12),
                   ("postal-5", 10), ("postal-6", 10), ("no-county", 10), ("road-only", 4)],
    "LICENSE_PLATE": [("new-dash", 60), ("new-compact", 12), ("old-2-4", 10), ("old-4-2", 8)],
    "DATE_OF_BIRTH": [("roc-minguo", 14), ("roc-zhonghua", 6), ("roc-bare", 10), ("roc-chinese-numerals", 10),
                      ("gregorian-chinese-numerals", 5), ("gregorian-ymd", 10), ("gregorian-slash", 10),
                      ("gregorian-dash", 8), ("roc-slash", 6), ("roc-dot", 6), ("roc-7-digit", 8),
                      ("roc-6-digit", 5), ("nianci", 5)],
    "PERSON_NAME": [("surname-2-given", 70), ("surname-1-given", 20), ("compound-surname", 10)],
}
# width applies to the value's ASCII part: half, all full-width, or only letters/digits full-width
WIDTHS = {
    "TW_NATIONAL_ID": [("half", 75), ("full", 20), ("full-alnum", 5)],
    "TW_ARC_NEW": [("half", 80), ("full", 20)],
    "TW_ARC_OLD": [("half", 80), ("full", 20)],
    "TW_UBN": [("half", 80), ("full", 20)],
    "TW_MOBILE": [("half", 70), ("full", 20), ("full-alnum", 10)],
    "TW_LANDLINE": [("half", 72), ("full", 18), ("full-alnum", 10)],
    "TW_NHI_CARD": [("half", 80), ("full", 20)],
    "PASSPORT": [("half", 80), ("full", 20)],
    "CREDIT_CARD": [("half", 80), ("full", 14), ("full-alnum", 6)],
    "BANK_ACCOUNT": [("half", 80), ("full", 20)],
    "EMAIL": [("half", 95), ("full", 5)],
    "IPV4": [("half", 88), ("full", 12)],
    "IPV6": [("half", 95), ("full", 5)],
    "TW_ADDRESS": [("half", 80), ("full", 20)],  # full: digits of the address full-width
    "LICENSE_PLATE": [("half", 80), ("full", 20)],
    "DATE_OF_BIRTH": [("half", 82), ("full", 18)],
    "PERSON_NAME": [("half", 1)],  # Han only: width does not apply
}


def schedule(rng, weighted, n):
    """n items following the weights, every item at least twice, shuffled."""
    total = sum(w for _, w in weighted)
    counts = [max(2, round(n * w / total)) for _, w in weighted]
    while sum(counts) > n:
        i = max(range(len(counts)), key=lambda j: counts[j])
        counts[i] -= 1
    while sum(counts) < n:
        i = max(range(len(counts)), key=lambda j: weighted[j][1] / counts[j])
        counts[i] += 1
    out = [name for (name, _), c in zip(weighted, counts) for _ in range(c)]
    rng.shuffle(out)
    return out


# --------------------------------------------------------------------------------------------
# value generators: each returns (pre, value, post, form_tag)


def sep(rng, glued_share=0.4):
    """Separator between keyword and value: none (glued) or a colon/space variant."""
    r = rng.random()
    if r < glued_share:
        return ""
    return rng.choice(["：", "：", ":", " ", "為", "是"])


def kw_sep(rng, kw, glued_share=0.4):
    """kw + separator; a keyword ending in ASCII (ID, ARC No.) never touches the value, one
    ending in a colon or space takes nothing more."""
    if kw[-1] in ":： ":
        return kw
    if kw[-1] in "為是至於":
        return kw + rng.choice(["", "", " "])
    if kw[-1].isascii():
        return kw + rng.choice([" ", "：", ":"])
    return kw + sep(rng, glued_share)


class Gen:
    def __init__(self, rng):
        self.rng = rng
        self.letter_cycle = {}

    def next_letter(self, key):
        """Region letters in shuffled rounds, so all 26 (I, O, W–Z included) occur."""
        cyc = self.letter_cycle.setdefault(key, [])
        if not cyc:
            cyc.extend(sorted(LETTER))
            self.rng.shuffle(cyc)
        return cyc.pop()

    # IDs ------------------------------------------------------------------------------------
    def id_value(self, kind, form, width):
        rng = self.rng
        letter = self.next_letter(kind)
        if kind == "TW_NATIONAL_ID":
            value = make_id(rng, letter, rng.choice("12"))
            keywords = ["身分證字號", "身份證字號", "身分證號碼", "身分證統一編號", "國民身分證統一編號",
                        "身分證", "申請人身分證字號", "ID"]
            informal = ["我的身分證是", "身分證字號是", "身份證號"]
        elif kind == "TW_ARC_NEW":
            value = make_id(rng, letter, rng.choice("89"))
            keywords = ["居留證號", "居留證統一證號", "外來人口統一證號", "統一證號", "居留證號碼", "ARC",
                        "外僑居留證號碼"]
            informal = ["我的居留證號是", "居留證號碼是"]
        else:
            value = make_id(rng, letter, rng.choice("ABCD"))
            keywords = ["居留證", "外僑居留證", "居留證統一證號", "外來人口統一證號", "統一證號", "ARC No.",
                        "居留證號碼"]
            informal = ["居留證號是", "舊式居留證號碼"]
        assert id_valid(value)
        post = ""
        if form == "lower-informal":
            value = value.lower()
            pre = rng.choice(informal)
            post = rng.choice(["喔", "，麻煩了", "", "啦"])
        elif form == "no-keyword":
            pre = rng.choice(["持有", "經查", "查詢", "核對", "比對資料"])
        else:
            pre = kw_sep(rng, rng.choice(keywords))
        return pre, apply_width(value, width), post

    def ubn(self, form, width):
        rng = self.rng
        if form == "mof-test-number":
            value = rng.choice(["04595252", "10458570", "04595257", "10458575", "10458574"])
        else:
            while True:
                value = digits(rng, 8)
                if form == "seventh-digit-7":
                    value = value[:6] + "7" + value[7]
                if not ubn_valid(value):
                    continue
                if form == "new-rule-only" and ubn_valid_legacy(value):
                    continue
                if form == "both-rules" and not ubn_valid_legacy(value):
                    continue
                if form == "seventh-digit-7" and ubn_sum(value) % 5 == 0:
                    continue  # valid only through the (S+1) branch
                break
        assert ubn_valid(value)
        kw = rng.choice(["統一編號", "統編", "營利事業統一編號", "扣繳單位統一編號", "公司統編", "賣方統編",
                         "商號統一編號", "買受人統編"])
        return kw_sep(rng, kw), apply_width(value, width), ""

    # phones ---------------------------------------------------------------------------------
    def mobile(self, form, width):
        rng = self.rng
        nat = "9" + str(rng.randrange(9)) + digits(rng, 7)
        assert mobile_valid(nat)
        a, b, c = nat[:3], nat[3:6], nat[6:]
        value = {
            "plain": "0" + nat,
            "dash-4-3-3": f"0{a}-{b}-{c}",
            "dash-4-6": f"0{a}-{b}{c}",
            "space-4-3-3": f"0{a} {b} {c}",
            "intl-space": f"+886 {a} {b} {c}",
            "intl-dash": f"+886-{a}-{b}-{c}",
            "intl-compact": f"+886{nat}",
            "intl-paren": rng.choice([f"(+886){nat}", f"(+886) {a}-{b}-{c}"]),
        }[form]
        kw = rng.choice(["手機", "行動電話", "手機號碼", "聯絡電話", "電話", "請撥", "行動", "手機號碼為",
                         "聯絡手機", "來電"])
        return kw_sep(rng, kw), apply_width(value, width), ""

    def landline(self, form, width, ext):
        rng = self.rng
        i = rng.choices(range(len(LANDLINE_AREAS)), weights=AREA_WEIGHTS)[0]
        area, n, firsts, _ = LANDLINE_AREAS[i]
        sub = rng.choice(firsts) + digits(rng, n - 1)
        assert landline_valid(area + sub)
        if n == 8:
            g = f"{sub[:4]}-{sub[4:]}"
        elif n == 7:
            g = f"{sub[:3]}-{sub[3:]}"
        elif n == 6:
            g = f"{sub[:3]}-{sub[3:]}"
        else:
            g = sub
        value = {
            "paren": f"(0{area}){g}",
            "paren-space": f"(0{area}) {g.replace('-', ' ')}",
            "dash": f"0{area}-{g}",
            "compact": f"0{area}{sub}",
            "space": f"0{area} {g.replace('-', ' ')}",
            "intl-dash": f"+886-{area}-{g}",
            "intl-space": f"+886 {area} {g.replace('-', ' ')}",
        }[form]
        value = apply_width(value, width)
        if ext:
            e = str(rng.randrange(10, 10000))
            value += {"分機": "分機" + e, "#": "#" + e, "轉": "轉" + e, "ext": " ext. " + e,
                      "ext-compact": "ext." + e}[ext]
        kw = rng.choice(["電話", "聯絡電話", "市話", "室內電話", "傳真", "TEL:", "Tel：", "連絡電話", "辦公室電話",
                         "電話號碼"])
        return kw_sep(rng, kw), value, ""

    # keyed numbers --------------------------------------------------------------------------
    def nhi(self, form, width):
        rng = self.rng
        value = ("0000" + digits(rng, 8)) if rng.random() < 0.7 else (str(rng.randrange(1, 10)) + digits(rng, 11))
        if form == "dash-4-4-4":
            value = f"{value[:4]}-{value[4:8]}-{value[8:]}"
        elif form == "space-4-4-4":
            value = f"{value[:4]} {value[4:8]} {value[8:]}"
        kw = rng.choice(["健保卡號", "健保卡卡號", "健保IC卡號", "健保卡號碼", "健保卡號為"])
        return kw_sep(rng, kw), apply_width(value, width), ""

    def passport(self, form, width):
        rng = self.rng
        value = "3" + digits(rng, 8)
        if form == "passport-no-en":
            pre = rng.choice(["Passport No. ", "Passport No.", "護照（Passport No.）"])
        else:
            pre = kw_sep(rng, rng.choice(["護照號碼", "護照號", "中華民國護照號碼", "護照", "持護照", "護照號碼為"]))
        return pre, apply_width(value, width), ""

    def card(self, form, width):
        rng = self.rng
        brand = form.split("-")[0] if form != "no-keyword" else rng.choice(["visa", "mastercard", "jcb", "amex"])
        if form == "mastercard-2x":
            prefix, length = str(rng.randint(2221, 2720)), 16
        elif brand == "mastercard":
            prefix, length = str(rng.randint(51, 55)), 16
        elif brand == "visa":
            prefix, length = "4", 16
        elif brand == "jcb":
            prefix, length = str(rng.randint(3528, 3589)), 16
        elif brand == "amex":
            prefix, length = rng.choice(["34", "37"]), 15
        else:
            prefix, length = "62", 16
        num = luhn_complete(prefix + digits(rng, length - len(prefix) - 1))
        assert luhn_valid(num) and card_brand(num) is not None
        if length == 15:
            value = f"{num[:4]} {num[4:10]} {num[10:]}" if rng.random() < 0.6 else f"{num[:4]}-{num[4:10]}-{num[10:]}"
        elif form in ("visa-dash", "visa-space", "visa-compact"):
            joiner = {"visa-dash": "-", "visa-space": " ", "visa-compact": ""}[form]
            value = joiner.join(num[i:i + 4] for i in range(0, 16, 4))
        else:
            value = rng.choice(["-", "-", " ", ""]).join(num[i:i + 4] for i in range(0, 16, 4))
        if form == "no-keyword":
            pre, post = rng.choice(["以", "使用", "刷", "授權"]), rng.choice(["付款", "支付", "扣款", ""])
        else:
            pre = kw_sep(rng, rng.choice(["信用卡號", "卡號", "信用卡卡號", "刷卡卡號", "信用卡號碼", "卡片號碼"]))
            post = ""
        return pre, apply_width(value, width), post

    def bank(self, form, width):
        rng = self.rng
        while True:
            n = rng.randint(10, 16)
            raw = digits(rng, n)
            if re.fullmatch(r"09[0-8][0-9]{7}", raw) or raw.startswith("0000"):
                continue  # mobile- or NHI-shaped
            if raw[0] == "0" and landline_valid(raw[1:]):
                continue  # a whole landline number (0229222891)
            if 13 <= n <= 19 and luhn_valid(raw) and card_brand(raw):
                continue
            break
        if form == "post-office-7-7":
            value = "000" + digits(rng, 4) + "-" + digits(rng, 7)
            kw = rng.choice(["郵局帳號", "郵局局號帳號", "劃撥帳號", "郵局帳戶"])
        else:
            if form == "dashed":
                cut = [3, 3] if n <= 12 else [4, 3]
                value = raw[:cut[0]] + "-" + raw[cut[0]:cut[0] + cut[1]] + "-" + raw[cut[0] + cut[1]:]
            elif form == "spaced":
                value = " ".join(raw[i:i + 4] for i in range(0, n, 4))
            else:
                value = raw
            kw = rng.choice(["帳號", "匯款帳號", "匯入帳戶", "轉帳帳號", "銀行帳號", "戶頭", "帳戶號碼", "匯款至",
                             "轉帳至帳號"])
        if form == "bank-code-prefix":
            code = rng.choice(["004", "005", "006", "007", "008", "009", "012", "013", "017", "700", "808",
                               "812", "822"])
            pre = rng.choice([f"{kw}({code})", f"{kw}（{code}）", f"銀行代碼{code}，帳號", f"代碼{code} 帳號："])
        else:
            pre = kw_sep(rng, kw)
        return pre, apply_width(value, width), ""

    # e-mail / IPs ---------------------------------------------------------------------------
    def email(self, form, width):
        rng = self.rng
        s, g = rng.choice(SURNAME_ROMAN), rng.choice(GIVEN_ROMAN)
        shape = rng.randrange(6)
        if shape == 0:
            local = f"{s}.{g}"
        elif shape == 1:
            local = f"{g}.{s}"
        elif shape == 2:
            local = f"{rng.choice(ENGLISH_GIVEN)}.{s}"
        elif shape == 3:
            local = f"{s}_{g}{rng.randrange(1, 100)}"
        elif shape == 4:
            local = f"{g}-{s}"
        else:
            local = f"{s}{rng.randrange(1960, 2010)}"
        if form == "plus-tag":
            local += "+" + rng.choice(["news", "tw", "work", "2024"])
        domain = rng.choice(EMAIL_DOMAINS)
        value = f"{local}@{domain}"
        if form == "mixed-case":
            value = ".".join(p[:1].upper() + p[1:] for p in local.split(".")) + "@" + ".".join(
                p.capitalize() if i == 0 else p for i, p in enumerate(domain.split(".")))
        elif form == "upper":
            value = value.upper()
        elif form == "fullwidth-at":
            value = value.replace("@", "＠")
        value = apply_width(value, width)
        kw = rng.choice(["電子郵件", "電子信箱", "E-mail:", "Email：", "信箱", "請寄信至", "請來信", "聯絡信箱",
                         "來信請寄", "e-mail "])
        post = ""
        if form == "angle-brackets":
            opener = rng.choice(["<", "〈", " <"])
            pre, post = kw + opener, (">" if "<" in opener else "〉")
        elif form == "mailto":
            pre = kw + rng.choice(["mailto:", " mailto:"])
        else:
            pre = kw_sep(rng, kw, 0.5)
        return pre, value, post

    def ipv4(self, form, width):
        rng = self.rng
        while True:
            first = rng.randint(1, 223)
            a = ipaddress.IPv4Address(f"{first}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randint(1, 254)}")
            if a.is_global and not a.is_multicast and not a.is_reserved:
                break
        value = apply_width(str(a), width)
        kw = rng.choice(["IP位址", "來源IP", "登入IP", "連線來源", "伺服器位址", "IP：", "來源位址", "自IP",
                         "用戶端IP", "登入來源"])
        pre = kw_sep(rng, kw, 0.5)
        post = ""
        if form == "with-port":
            post = ":" + str(rng.choice([80, 443, 8080, 22, 3389, 8443]))
        elif form == "in-url":
            pre = rng.choice(["連線至http://", "網址https://", "請連http://"])
            post = rng.choice(["/login", "/", ":8080/admin"])
        return pre, value, post

    def ipv6(self, form, width):
        rng = self.rng
        prefixes = ["2001:b011", "2001:b400", "2001:e10", "2402:7500", "2404:0", "2400:8902", "2a03:2880",
                    "2600:1f18", "2607:f8b0", "2406:da14", "2401:e180", "2403:c300"]
        while True:
            p = rng.choice(prefixes)
            groups = p.split(":") + [format(rng.randrange(0x10000), "x") for _ in range(8 - len(p.split(":")))]
            zero_run = rng.randint(2, 4)
            if form in ("compressed", "bracket-port", "upper", "v4-embedded"):
                start = rng.randint(2, 5 - (1 if form == "v4-embedded" else 0))
                for j in range(start, min(start + zero_run, 6 if form == "v4-embedded" else 7)):
                    groups[j] = "0"
            groups[7] = format(rng.randrange(1, 0x10000), "x")
            addr = ipaddress.IPv6Address(":".join(groups))
            if addr.is_global:
                break
        if form == "full":
            value = addr.exploded
        elif form == "no-leading-zeros":
            value = ":".join(format(int(x, 16), "x") for x in addr.exploded.split(":"))
        elif form == "v4-embedded":
            v4 = ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
            six = [format(int(x, 16), "x") for x in addr.exploded.split(":")[:6]]
            best, i = (0, 0), 0
            while i < 6:  # longest run of zero groups (length >= 2) becomes ::
                j = i
                while j < 6 and six[j] == "0":
                    j += 1
                if j - i > best[1] - best[0] and j - i >= 2:
                    best = (i, j)
                i = max(j, i + 1)
            if best[1] > best[0]:
                left, right = six[:best[0]], six[best[1]:]
                value = ":".join(left) + "::" + "".join(g + ":" for g in right) + str(v4)
            else:
                value = ":".join(six) + ":" + str(v4)
            assert ipaddress.IPv6Address(value) == addr, (value, addr)
        else:
            value = addr.compressed
            if form == "upper":
                value = value.upper()
        value = apply_width(value, width)
        kw = rng.choice(["IPv6位址", "來源IPv6", "IPv6：", "連線位址", "登入來源", "伺服器IPv6位址", "用戶端位址"])
        pre = kw_sep(rng, kw, 0.5)
        post = ""
        if form == "bracket-port":
            pre = rng.choice(["連線至http://[", "網址https://[", "來源["])
            post = "]:" + str(rng.choice([80, 443, 8080]))
        return pre, value, post

    # address / plate / birth date / name ------------------------------------------------------
    def address(self, form, width):
        rng = self.rng
        county = rng.choice(sorted(COUNTIES))
        district, zip3 = rng.choice(COUNTIES[county])
        if county.startswith("臺") and rng.random() < 0.35:
            county = "台" + county[1:]
        road = rng.choice(ROADS)
        sectioned = road in SECTIONED
        if road.startswith("臺") and rng.random() < 0.4:
            road = "台" + road[1:]
        parts = []
        cnum = rng.random() < 0.25  # Chinese numerals for 號/樓
        if form == "with-village-neighbourhood":
            parts.append(rng.choice(VILLAGES) + str(rng.randint(1, 30)) + "鄰")
        parts.append(road)
        if sectioned:
            if rng.random() < 0.6:
                parts.append((cn_num(rng.randint(1, 7)) if rng.random() < 0.8 else str(rng.randint(1, 7))) + "段")
        if rng.random() < 0.45:
            parts.append(str(rng.randint(1, 350)) + "巷")
            if rng.random() < 0.35:
                parts.append(str(rng.randint(1, 60)) + "弄")
        no = rng.randint(1, 99 if cnum else 400)
        house = (cn_num(no) if cnum else str(no))
        if rng.random() < 0.2:
            m = rng.randint(1, 9)
            house += rng.choice(["之" + (cn_num(m) if cnum else str(m)), "-" + str(m)]) if not cnum else "之" + cn_num(m)
        parts.append(house + "號")
        if rng.random() < 0.6:
            fl = rng.randint(1, 25)
            floor = (cn_num(fl) if cnum else str(fl)) + "樓"
            if rng.random() < 0.2:
                floor += "之" + (cn_num(rng.randint(1, 9)) if cnum else str(rng.randint(1, 9)))
            elif rng.random() < 0.1:
                floor += str(fl) + "0" + str(rng.randint(1, 9)) + "室"
            parts.append(floor)
        tail = "".join(parts)
        head = county + district
        if form == "no-county":
            head = district
        elif form == "road-only":
            head = ""
        postal = ""
        if form == "postal-3":
            postal = zip3
        elif form == "postal-5":
            postal = zip3 + digits(rng, 2)
        elif form == "postal-6":
            postal = zip3 + digits(rng, 3)
        if postal:
            postal += rng.choice(["", " "])
        value = postal + head + tail
        if width == "full":
            value = value.replace(" ", "\u3000")
            value = to_full_alnum(value).replace("-", "－")
        kw = rng.choice(["住", "住址", "地址", "戶籍地址", "通訊地址", "寄送地址", "居住於", "收件地址", "現住",
                         "戶籍地", "住所"])
        pre = kw + (sep(rng, 0.6) if kw not in ("住", "居住於", "現住") else "")
        if form == "road-only":
            pre = rng.choice(["住", "住在", "住址：", "地址："])
        return pre, value, ""

    def plate(self, form, width):
        rng = self.rng
        L = "".join(rng.choice(PLATE_LETTERS) for _ in range(3))
        D = "".join(rng.choice(PLATE_DIGITS) for _ in range(4))
        value = {
            "new-dash": f"{L}-{D}",
            "new-compact": f"{L}{D}",
            "old-2-4": f"{L[:2]}-{D}",
            "old-4-2": f"{D}-{L[:2]}",
        }[form]
        kw = rng.choice(["車牌", "車號", "牌照號碼", "車牌號碼", "號牌", "車牌號碼為", "車牌是", "自小客車車號"])
        pre = kw if kw.endswith(("為", "是")) else kw_sep(rng, kw, 0.5)
        return pre, apply_width(value, width), ""

    def birth(self, form, width):
        rng = self.rng
        year = rng.randint(1951, 2011)
        month = rng.randint(1, 12)
        day = rng.randint(1, calendar.monthrange(year, month)[1])
        roc = year - 1911
        value = {
            "roc-minguo": f"民國{roc}年{month}月{day}日",
            "roc-zhonghua": f"中華民國{roc}年{month}月{day}日",
            "roc-bare": f"{roc}年{month}月{day}日",
            "roc-chinese-numerals": rng.choice(["民國", ""]) + f"{cn_num(roc)}年{cn_num(month)}月{cn_num(day)}日",
            "gregorian-chinese-numerals": f"{cn_digits(year)}年{cn_num(month)}月{cn_num(day)}日",
            "gregorian-ymd": f"{year}年{month}月{day}日",
            "gregorian-slash": f"{year}/{month:02d}/{day:02d}",
            "gregorian-dash": f"{year}-{month:02d}-{day:02d}",
            "roc-slash": rng.choice([f"{roc:03d}/{month:02d}/{day:02d}", f"{roc}/{month:02d}/{day:02d}"]),
            "roc-dot": f"{roc}.{month:02d}.{day:02d}",
            "roc-7-digit": f"{roc:03d}{month:02d}{day:02d}",
            "roc-6-digit": f"{roc:02d}{month:02d}{day:02d}" if roc < 100 else f"{roc:03d}{month:02d}{day:02d}",
            "nianci": f"{roc}年次",
        }[form]
        value = apply_width(value, width)
        post = ""
        if form == "nianci":
            pre = rng.choice(["為", "屬", "本人", "申請人為", "係"])
        elif rng.random() < 0.2 and form not in ("roc-7-digit", "roc-6-digit"):
            pre = rng.choice(["於", "係", "本人於", "申請人係"])
            post = rng.choice(["出生，", "生，"])  # never glued on: 出生證 would be a certificate
        else:
            kw = rng.choice(["出生日期", "出生年月日", "生日", "生於", "出生於", "DOB: ", "Birthday: ", "出生日"])
            pre = kw_sep(rng, kw)
            if form in ("roc-7-digit", "roc-6-digit"):
                pre = rng.choice(["出生日期", "出生年月日", "出生日期：", "出生年月日：", "生日："])
        return pre, value, post

    def name(self, form, width):
        rng = self.rng
        if form == "compound-surname":
            value = rng.choice(COMPOUND_SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        else:
            value = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(1 if form == "surname-1-given" else 2))
        pre, post = rng.choice(NAME_CONTEXTS)
        return pre, value, post

    def make(self, typ, form, width, ext=None):
        if typ in ("TW_NATIONAL_ID", "TW_ARC_NEW", "TW_ARC_OLD"):
            return self.id_value(typ, form, width)
        return {
            "TW_UBN": self.ubn, "TW_MOBILE": self.mobile, "TW_NHI_CARD": self.nhi, "PASSPORT": self.passport,
            "CREDIT_CARD": self.card, "BANK_ACCOUNT": self.bank, "EMAIL": self.email, "IPV4": self.ipv4,
            "IPV6": self.ipv6, "TW_ADDRESS": self.address, "LICENSE_PLATE": self.plate,
            "DATE_OF_BIRTH": self.birth, "PERSON_NAME": self.name,
        }[typ](form, width) if typ != "TW_LANDLINE" else self.landline(form, width, ext)


# --------------------------------------------------------------------------------------------
# carriers

POSITIVE_CARRIER_STOP = ("身分 身份 居留 統一證號 統一編號 統編 電話 手機 傳真 健保 護照 信用卡 卡號 帳號 帳戶 戶頭 匯款 "
                         "轉帳 郵件 信箱 位址 地址 住址 住所 車牌 車號 牌照 號牌 出生 生日 生於 年次 姓名 先生 小姐 "
                         "女士 聯絡人 收件人 發票 料號 型號 序號 訂單 案號 文號 ISBN IP").split()
CN_DATE = re.compile(r"[〇○零一二三四五六七八九十百]+年[〇○零一二三四五六七八九十]+月")


def find_laws():
    for base in (os.path.join(REPO, "shared"), os.path.join(REPO, "..", "shared")):
        p = os.path.normpath(os.path.join(base, LAWS_REL))
        if os.path.exists(p):
            return p
    sys.exit("make_eval.py: shared/data/tw-laws/sample-200.jsonl not found (tried <repo>/shared and <repo>/../shared); use --laws")


def load_carriers(path):
    raw = open(path, "rb").read()
    got = hashlib.sha256(raw).hexdigest()
    if got != LAWS_SHA256:
        sys.exit(f"make_eval.py: {path} has sha256 {got}, expected {LAWS_SHA256} (shared/data/README.md)")
    sents, seen = [], set()
    for line in raw.decode("utf-8").splitlines():
        doc = json.loads(line)
        for s in re.split("[。\n]", doc["text"]):
            s = s.strip().lstrip("，、；：")
            if not 10 <= len(s) <= 80 or s in seen:
                continue
            seen.add(s)
            if sum(map(is_han, s)) / len(s) < 0.7 or re.search("[\u2500-\u257f]", s):
                continue  # table drawings and mostly non-Han lines
            sents.append(s)
    positive = [s for s in sents
                if not re.search(r"[0-9０-９A-Za-zＡ-Ｚａ-ｚ]", s)
                and not any(k in s for k in POSITIVE_CARRIER_STOP) and not CN_DATE.search(s)]
    return sents, positive


# --------------------------------------------------------------------------------------------
# insertion

GUARD = set("〇○零一二三四五六七八九十百千兩之號樓室巷弄段路街鄰里村年月日時分秒轉生先小女")


def glue_positions(text, protected):
    out = []
    for k in range(1, len(text)):
        a, b = text[k - 1], text[k]
        if not (is_han(a) and is_han(b)) or a in GUARD or b in GUARD:
            continue
        if any(ps <= k <= pe for ps, pe in protected):
            continue
        out.append(k)
    return out


def insert(rng, text, spans, protected, clause, mode):
    """Insert clause (pre, value, post) into text; returns (text, mode used)."""
    pre, value, post = clause
    body = pre + value + post
    if mode == "glued":
        pos = glue_positions(text, protected)
        if not pos:
            mode = "suffix"
    if mode == "glued":
        k = rng.choice(pos)
        ins, off = body, 0
    elif mode == "prefix":
        k, ins, off = 0, body + ("" if body[-1] in "，、；。" else "，"), 0
    elif text[-1] in "：:，、；":
        k, ins, off = len(text), body, 0  # the carrier already ends in a separator
    elif mode == "sentence":
        k, ins, off = len(text), "。" + body, 1
    else:
        k, ins, off = len(text), "，" + body, 1
    for s in spans:
        if s[0] >= k:
            s[0] += len(ins)
            s[1] += len(ins)
    for j, (ps, pe) in enumerate(protected):
        if ps >= k:
            protected[j] = (ps + len(ins), pe + len(ins))
    text = text[:k] + ins + text[k:]
    start = k + off + len(pre)
    return text, start, start + len(value), (k, k + len(ins)), mode


def close(text):
    """End the line with 「。」, replacing a trailing separator (never part of a value)."""
    return text[:-1] + "。" if text[-1] in "，、；：" else text + "。"


# --------------------------------------------------------------------------------------------
# hard negatives


def bad_id(rng, seconds):
    while True:
        letter = rng.choice(sorted(LETTER))
        v = letter + rng.choice(seconds) + digits(rng, 8)
        if not id_valid(v):
            return v


def neg_clause(rng, cat, gen):
    """One decoy (no personal data) of the category."""
    r = rng.randrange
    if cat == "NEG_LAW_ARTICLE":
        n = r(1, 300)
        return rng.choice([f"依第{n}條規定", f"第{n}條之{r(1, 5)}", f"司法院釋字第{r(100, 813)}號解釋",
                           f"第{r(1, 9)}項第{r(1, 12)}款", f"依同法第{n}條第{r(1, 5)}項", "釋字第748號",
                           f"依本法第{n}條", f"準用第{n}條至第{n + r(1, 9)}條"])
    if cat == "NEG_AMOUNT":
        a = r(1000, 99999999)
        return rng.choice([f"新臺幣{a:,}元", f"新台幣{a:,}元", f"NT${a:,}", f"處新臺幣{r(1, 30) * 10000:,}元以上"
                           f"{r(31, 300) * 10000:,}元以下罰鍰", f"總經費{r(1000000000, 9999999999)}元",
                           f"預算數{a}千元", f"補助{a:,}元整"])
    if cat == "NEG_YEAR_RANGE":
        y = r(1990, 2024)
        return rng.choice([f"{y}-{y + r(1, 6)}年", f"{y}-{y + r(1, 6)}", f"{y - 1911}-{y - 1911 + r(1, 5)}年度",
                           f"自{y}年至{y + r(1, 6)}年", f"{y}～{y + r(1, 6)}年間"])
    if cat == "NEG_ROC_DATE":
        y, m, d = r(60, 114), r(1, 13), r(1, 29)
        return rng.choice([f"中華民國{y}年{m}月{d}日訂定", f"{y}-{m:02d}-{d:02d}", f"自{y}年{m}月{d}日起施行",
                           f"{y}年度預算", f"民國{y}年{m}月{d}日公布", f"{y + 1911}/{m:02d}/{d:02d}發布",
                           f"{y}.{m:02d}.{d:02d}修正", f"中華民國{y}年{m}月{d}日（{y}）台內字第{y:03d}{m:02d}{d:02d}號令",
                           f"{cn_num(y)}年{cn_num(m)}月{cn_num(d)}日修正發布", f"{y + 1911}-{m:02d}-{d:02d}生效"])
    if cat == "NEG_ISBN":
        if rng.random() < 0.5:
            v = isbn13_complete(rng.choice(["978957", "978986", "978626"]) + digits(rng, 6))
            return rng.choice([f"ISBN {v[:3]}-{v[3:6]}-{v[6:8]}-{v[8:12]}-{v[12]}", f"ISBN：{v}", f"ISBN-13 {v}"])
        v = isbn10_complete(rng.choice(["957", "986"]) + digits(rng, 6))
        return rng.choice([f"ISBN {v[:3]}-{v[3:5]}-{v[5:9]}-{v[9]}", f"ISBN-10：{v}", f"ISBN {v}"])
    if cat == "NEG_EINVOICE":
        while True:
            v = rng.choice(PLATE_LETTERS) + rng.choice("ABCD") + digits(rng, 8)
            if rng.random() < 0.5 or id_valid(v):
                break  # half of them pass the old-ARC check on purpose
        shown = v[:2] + "-" + v[2:] if rng.random() < 0.6 else v
        return rng.choice([f"發票號碼{shown}", f"統一發票號碼：{shown}", f"中獎發票{shown}", f"電子發票字軌{shown}",
                           f"發票{shown}已中獎"])
    if cat == "NEG_ID_SHAPED_PRODUCT_CODE":
        v = bad_id(rng, "1289")
        if rng.random() < 0.15:
            v = v.lower()
        return rng.choice([f"料號{v}", f"型號：{v}", f"產品序號{v}", f"零件編號{v}", f"（{v}）", f"貨號{v}",
                           f"設備編號{v}"])
    if cat == "NEG_UBN_NO_KEYWORD":
        while True:
            v = digits(rng, 8)
            if rng.random() < 0.5 or ubn_valid(v):
                break
        return rng.choice([f"訂單編號{v}", f"案號{v}", f"文號第{v}號", f"掛號號碼{v}", f"日期{r(2000, 2025)}"
                           f"{r(1, 13):02d}{r(1, 29):02d}", f"收據號碼{v}", f"編號{v}"])
    if cat == "NEG_STATISTIC":
        return rng.choice([f"成長率{r(1, 40)}.{r(10)}%", f"較去年增加{r(1, 9)}.{r(10)}個百分點",
                           f"共計1{r(0, 9)}0912{digits(rng, 6)}筆", f"編號10912{digits(rng, 6)}",
                           f"流水號0912{digits(rng, 9)}", f"比率為0.{r(10, 99)}%", f"人口{r(1000, 9999)}萬{r(1000, 9999)}人",
                           f"平均{r(1, 99)}.{r(10, 99)}分", f"比例尺1:{r(1, 9)}0000", f"第{r(1, 9)}/{r(10, 20)}頁",
                           f"時間09:{r(10, 59)}-1{r(0, 8)}:00"])
    if cat == "NEG_VERSION":
        return rng.choice([f"版本{r(1, 12)}.{r(0, 20)}.{r(0, 9)}.{r(1, 99)}", "核心版本5.10.0.21",
                           f"韌體版本v{r(1, 5)}.{r(0, 9)}.{r(0, 9)}.{r(100, 999)}", f"系統版本{r(6, 11)}.0.{r(10000, 20000)}.{r(100, 999)}",
                           f"套件版本{r(1, 3)}.{r(0, 20)}.{r(0, 20)}.{r(0, 9)}"])
    if cat == "NEG_PRIVATE_IP":
        return rng.choice([f"192.168.{r(256)}.{r(1, 255)}", f"10.{r(256)}.{r(256)}.{r(1, 255)}",
                           f"172.{r(16, 32)}.{r(256)}.{r(1, 255)}", "127.0.0.1", f"169.254.{r(256)}.{r(1, 255)}",
                           f"192.0.2.{r(1, 255)}", f"198.51.100.{r(1, 255)}", f"203.0.113.{r(1, 255)}",
                           "::1", f"fe80::{r(1, 0xffff):x}", f"2001:db8::{r(1, 0xffff):x}", f"fd{r(0, 255):02x}:{r(1, 0xffff):x}::1",
                           "255.255.255.0", "0.0.0.0"])
    if cat == "NEG_NON_EMAIL":
        return rng.choice(["root@localhost", "admin@localhost", "@types/node", f"lodash@4.17.{r(10, 22)}",
                           "@Override", f"@user{r(1, 999)}", "deploy@buildhost:app.git", f"npm i react@{r(16, 19)}.0.0",
                           "@vue/cli", "git@internal:group/repo.git"])
    if cat == "NEG_MODEL_NAME":
        return rng.choice(["GTX-1080", "RTX-4090", "ISO-9001", "CNS-1497", "RTX-3080", "GTX-1660",
                           f"型號{rng.choice(PLATE_LETTERS)}{rng.choice(PLATE_LETTERS)}{rng.choice(PLATE_LETTERS)}-"
                           f"{''.join(rng.choice(PLATE_DIGITS) for _ in range(4))}", "ISO-27001", "CNS-15408", "USB-3020"])
    if cat == "NEG_ADDRESS_PARTIAL":
        county = rng.choice(sorted(COUNTIES))
        return rng.choice(["3樓", f"本大樓{r(2, 20)}樓會議室", rng.choice(ROADS), f"{county}政府",
                           county + rng.choice(COUNTIES[county])[0], f"{rng.choice(sorted(SECTIONED))}{cn_num(r(1, 6))}段",
                           f"{county}{rng.choice(COUNTIES[county])[0]}公所", f"第{r(1, 6)}段", f"{r(2, 12)}樓之{r(1, 5)}",
                           f"沿{rng.choice(ROADS)}兩側"])
    if cat == "NEG_NAME_LIKE_WORD":
        return rng.choice(["展示櫃陳列之商品", "林業及自然保育署", "黃金及白銀", "高雄港務", "方法如下", "文件保存",
                           "安全檢查", "周末假日", "申請人應檢具", "負責人員", "聯絡人員", "承辦人員", "申請人高雄市政府",
                           "王道精神", "許可證明", "曾經辦理", "周邊設施", "江河水域", "何種方式", "施行細則",
                           "余額不足", "高雄市林園區", "陳情案件", "林務單位", "黃色標誌", "張貼公告", "李樹栽植",
                           "楊柳植栽", "吳郭魚養殖"])
    if cat == "NEG_DIGIT_RUN":
        while True:
            n = r(10, 17)
            v = str(r(1, 10)) + digits(rng, n - 1)
            if not (luhn_valid(v) and card_brand(v)):
                break
        if rng.random() < 0.3:
            ean = "471" + digits(rng, 9)
            ean = isbn13_complete(ean)  # EAN-13 uses the ISBN-13 weights
            if not luhn_valid(ean):
                return rng.choice([f"商品條碼{ean}", f"條碼：{ean}"])
        return rng.choice([f"訂單編號{v}", f"追蹤號碼{' '.join(v[i:i + 4] for i in range(0, len(v), 4))}",
                           f"案件編號{v}", f"物流單號{v}", f"報關單號{v}"])
    raise AssertionError(cat)


NEG_CATEGORIES = ["NEG_LAW_ARTICLE", "NEG_AMOUNT", "NEG_YEAR_RANGE", "NEG_ROC_DATE", "NEG_ISBN", "NEG_EINVOICE",
                  "NEG_ID_SHAPED_PRODUCT_CODE", "NEG_UBN_NO_KEYWORD", "NEG_STATISTIC", "NEG_VERSION",
                  "NEG_PRIVATE_IP", "NEG_NON_EMAIL", "NEG_MODEL_NAME", "NEG_ADDRESS_PARTIAL",
                  "NEG_NAME_LIKE_WORD", "NEG_DIGIT_RUN"]
# Keywords that would turn a decoy into real personal data; negative carriers must not hold them.
NEG_CARRIER_STOP = ("身分 身份 居留 統一證號 統一編號 統編 電話 手機 傳真 健保 護照 信用卡 卡號 帳號 帳戶 戶頭 匯款 "
                    "轉帳 郵件 信箱 位址 地址 住址 住所 車牌 車號 牌照 號牌 出生 生日 生於 年次 姓名 先生 小姐 女士 "
                    "IP 登入 連線").split()


# --------------------------------------------------------------------------------------------
# build


def build(laws_path):
    rng = Random(SEED)
    all_carriers, pos_carriers = load_carriers(laws_path)
    neg_carriers = [s for s in all_carriers if not any(k in s for k in NEG_CARRIER_STOP)]
    gen = Gen(rng)

    # per-type schedules of forms and widths
    forms = {t: schedule(rng, FORMS[t], TARGET[t]) for t in TYPES}
    widths = {t: schedule(rng, WIDTHS[t], TARGET[t]) if len(WIDTHS[t]) > 1 else ["half"] * TARGET[t] for t in TYPES}
    exts = schedule(rng, [("", 75), ("分機", 10), ("#", 5), ("轉", 4), ("ext", 4), ("ext-compact", 2)],
                    TARGET["TW_LANDLINE"])

    # pack values into lines: 3-value lines first, weighted by what remains
    remaining = dict(TARGET)
    line_types = []
    for k in (3, 2, 1):
        for _ in range(LINES_BY_K[k]):
            chosen = []
            for _ in range(k):
                pool = [t for t in TYPES if remaining[t] > 0 and t not in chosen]
                t = rng.choices(pool, weights=[remaining[t] for t in pool])[0]
                chosen.append(t)
                remaining[t] -= 1
            line_types.append(chosen)
    assert all(v == 0 for v in remaining.values()), remaining

    records = []
    for types in line_types:
        carrier = rng.choice(pos_carriers)
        text, spans, protected = carrier, [], []
        for t in types:
            form, width = forms[t].pop(), widths[t].pop()
            ext = exts.pop() if t == "TW_LANDLINE" else None
            clause = gen.make(t, form, width, ext)
            mode = rng.choices(["glued", "prefix", "suffix", "sentence"], weights=[40, 20, 28, 12])[0]
            if t == "PERSON_NAME" and clause[0] == "" and mode == "glued":
                mode = "suffix"
            text, s, e, region, mode = insert(rng, text, spans, protected, clause, mode)
            protected.append(region)
            v = clause[1]
            if not any("\uff01" <= c <= "\uff5e" or c == "\u3000" for c in v):
                width = "half"  # nothing to widen (Han-only value)
            tag = [t, form + (f"+ext-{ext}" if ext else ""), width]
            spans.append([s, e, t, tag])
        text = close(text)
        spans.sort()
        for s in spans:
            left = text[s[0] - 1] if s[0] > 0 else ""
            right = text[s[1]] if s[1] < len(text) else ""
            s[3].append("glued-both" if is_han(left) and is_han(right) else
                        "glued-left" if is_han(left) else "glued-right" if is_han(right) else "delimited")
        records.append({
            "text": text,
            "spans": [{"type": t, "start": a, "end": b} for a, b, t, _ in spans],
            "kind": "positive",
            "tags": ["/".join(tag) for _, _, _, tag in spans],
        })

    neg_sched = schedule(rng, [(c, 1) for c in NEG_CATEGORIES], N_NEGATIVE)
    for cat in neg_sched:
        carrier = rng.choice(neg_carriers)
        decoy = neg_clause(rng, cat, gen)
        mode = rng.choices(["glued", "prefix", "suffix", "sentence"], weights=[35, 20, 30, 15])[0]
        text, _, _, _, _ = insert(rng, carrier, [], [], ("", decoy, ""), mode)
        records.append({"text": close(text), "spans": [], "kind": "negative", "tags": [cat]})

    rng.shuffle(records)
    out = []
    for i, rec in enumerate(records, 1):
        out.append({"id": f"eval-{i:05d}", **rec})
    return out


# --------------------------------------------------------------------------------------------
# validation of the output (independent of how it was built)

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}")


def validate_value(typ, value, text, start, end):
    """Re-check a planted value from its surface form alone."""
    f = fold(value)
    d = re.sub(r"[^0-9]", "", f)
    if typ in ("TW_NATIONAL_ID", "TW_ARC_NEW", "TW_ARC_OLD"):
        u = f.upper()
        second = {"TW_NATIONAL_ID": "12", "TW_ARC_NEW": "89", "TW_ARC_OLD": "ABCD"}[typ]
        return len(u) == 10 and u[1] in second and id_valid(u)
    if typ == "TW_UBN":
        return ubn_valid(f)
    if typ == "TW_MOBILE":
        core = re.sub(r"[\s\-()+]", "", f)
        core = core[3:] if core.startswith("886") else core[1:] if core.startswith("0") else None
        return core is not None and mobile_valid(core)
    if typ == "TW_LANDLINE":
        m = re.match(r"(.*?)(?:分機|#|轉| ?ext\. ?)(\d+)$", f)
        num = m.group(1) if m else f
        core = re.sub(r"[\s\-()]", "", num)
        if core.startswith("+886"):
            core = core[4:]
        elif core.startswith("0"):
            core = core[1:]
        else:
            return False
        return core.isdigit() and landline_valid(core)
    if typ == "TW_NHI_CARD":
        return len(d) == 12 and re.fullmatch(r"[0-9 \-]+", f) is not None
    if typ == "PASSPORT":
        return re.fullmatch(r"3[0-9]{8}", f) is not None
    if typ == "CREDIT_CARD":
        return re.fullmatch(r"[0-9 \-]+", f) is not None and luhn_valid(d) and card_brand(d) is not None
    if typ == "BANK_ACCOUNT":
        return re.fullmatch(r"[0-9 \-]+", f) is not None and 10 <= len(d) <= 16
    if typ == "EMAIL":
        return EMAIL_RE.fullmatch(f) is not None
    if typ == "IPV4":
        a = ipaddress.IPv4Address(f)
        return a.is_global and not a.is_multicast
    if typ == "IPV6":
        return ipaddress.IPv6Address(f).is_global
    if typ == "TW_ADDRESS":
        return re.search(r"(?:[號樓室]|樓之[0-9一二三四五六七八九十]+)$", f) is not None and re.search(r"(?:路|街|大道)", f) is not None
    if typ == "LICENSE_PLATE":
        return (re.fullmatch(r"[A-HJ-NP-Z]{3}-?[0-35-9]{4}|[A-HJ-NP-Z]{2}-[0-35-9]{4}|[0-35-9]{4}-[A-HJ-NP-Z]{2}", f)
                is not None)
    if typ == "DATE_OF_BIRTH":
        window = fold(text[max(0, start - 20):end + 5])
        return any(k in window for k in ("出生", "生日", "生於", "年次", "DOB", "Birthday", "生"))
    if typ == "PERSON_NAME":
        return (value[:2] in COMPOUND_SURNAMES or value[0] in SURNAMES) and 2 <= len(value) <= 4
    return False


def lint(records):
    """Raise on any label problem: bad offsets, invalid values, personal data in negatives."""
    problems = []
    for r in records:
        text = r["text"]
        prev_end = 0
        for s in r["spans"]:
            if not (prev_end <= s["start"] < s["end"] <= len(text)):
                problems.append(f"{r['id']}: bad/overlapping span {s}")
                continue
            prev_end = s["end"]
            v = text[s["start"]:s["end"]]
            if v != v.strip() or not validate_value(s["type"], v, text, s["start"], s["end"]):
                problems.append(f"{r['id']}: invalid {s['type']} value {v!r}")
            left = fold(text[s["start"] - 1]) if s["start"] else ""
            right = fold(text[s["end"]]) if s["end"] < len(text) else ""
            if left.isascii() and left.isalnum() or right.isascii() and right.isalnum():
                problems.append(f"{r['id']}: {s['type']} touches an ASCII letter/digit: {text!r}")
        f = fold(text)
        masked = list(f)
        for s in r["spans"]:
            for i in range(s["start"], s["end"]):
                masked[i] = "\u25a1"
        rest = "".join(masked)
        for m in re.finditer(r"(?<![A-Za-z0-9])[A-Za-z][0-9A-Da-d][0-9]{8}(?![0-9])", rest):
            if m.group()[1] in "1289" and id_valid(m.group()):
                problems.append(f"{r['id']}: unlabelled valid ID {m.group()!r}")
        for m in re.finditer(r"(?<![0-9])09[0-8][0-9]{7}(?![0-9])", rest):
            problems.append(f"{r['id']}: unlabelled mobile {m.group()!r}")
        for m in EMAIL_RE.finditer(rest):
            problems.append(f"{r['id']}: unlabelled e-mail {m.group()!r}")
        if r["kind"] == "negative":
            if r["spans"]:
                problems.append(f"{r['id']}: negative with spans")
            if r["tags"] != ["NEG_VERSION"]:
                for m in re.finditer(r"(?<![0-9.])(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?![0-9.])", f):
                    try:
                        if ipaddress.IPv4Address(m.group()).is_global:
                            problems.append(f"{r['id']}: global IPv4 in a negative {m.group()!r}")
                    except ValueError:
                        pass
    if problems:
        raise SystemExit("make_eval.py: label problems:\n  " + "\n  ".join(problems[:50]))


# --------------------------------------------------------------------------------------------
# output


def dump(records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def readme(records, data):
    pos = [r for r in records if r["kind"] == "positive"]
    neg = [r for r in records if r["kind"] == "negative"]
    per_type = Counter(s["type"] for r in pos for s in r["spans"])
    per_form = Counter()
    per_width = Counter()
    per_ctx = Counter()
    per_ext = Counter()
    for r in pos:
        for tag in r["tags"]:
            t, form, width, ctx = tag.split("/")
            form, _, ext = form.partition("+")
            per_form[(t, form)] += 1
            per_ext[ext or "none"] += 1 if t == "TW_LANDLINE" else 0
            per_width[(t, width)] += 1
            per_ctx[ctx] += 1
    per_k = Counter(len(r["spans"]) for r in pos)
    per_neg = Counter(r["tags"][0] for r in neg)
    sha = hashlib.sha256(data).hexdigest()

    rows_type = "\n".join(
        f"| `{t}` | {FAMILY[t]} | {per_type[t]} | "
        + (", ".join(f"{w} {per_width[(t, w)]}" for w, _ in WIDTHS[t] if per_width[(t, w)])
           if t != "PERSON_NAME" else "– (Han only)")
        + " |" for t in TYPES)
    rows_form = "\n".join(
        f"| `{t}` | " + ", ".join(f"{f} {c}" for (tt, f), c in sorted(per_form.items()) if tt == t) + " |" for t in TYPES)
    rows_neg = "\n".join(f"| `{c}` | {per_neg[c]} | {NEG_DESCRIPTION[c]} |" for c in NEG_CATEGORIES)
    return README_TEMPLATE.format(
        n=len(records), npos=len(pos), nneg=len(neg), nvalues=sum(per_type.values()),
        k1=per_k[1], k2=per_k[2], k3=per_k[3], size=len(data), sha=sha,
        rows_type=rows_type, rows_form=rows_form, rows_neg=rows_neg,
        glued_both=per_ctx["glued-both"], glued_left=per_ctx["glued-left"], glued_right=per_ctx["glued-right"],
        delimited=per_ctx["delimited"], seed=SEED, laws_sha=LAWS_SHA256,
        exts=", ".join(f"{e} {c}" for e, c in sorted(per_ext.items()) if c),
    )


FAMILY = {
    "TW_NATIONAL_ID": "ID_NUMBER", "TW_ARC_NEW": "ID_NUMBER", "TW_ARC_OLD": "ID_NUMBER", "TW_NHI_CARD": "ID_NUMBER",
    "PASSPORT": "ID_NUMBER", "TW_UBN": "BUSINESS_ID", "TW_MOBILE": "PHONE_NUMBER", "TW_LANDLINE": "PHONE_NUMBER",
    "EMAIL": "EMAIL_ADDRESS", "IPV4": "IP_ADDRESS", "IPV6": "IP_ADDRESS", "CREDIT_CARD": "CARD_NUMBER",
    "BANK_ACCOUNT": "BANK_ACCOUNT", "TW_ADDRESS": "ADDRESS", "LICENSE_PLATE": "LICENSE_PLATE",
    "DATE_OF_BIRTH": "BIRTH_DATE", "PERSON_NAME": "PERSON_NAME",
}

NEG_DESCRIPTION = {
    "NEG_LAW_ARTICLE": "第12條, 第3項第2款, 釋字第748號",
    "NEG_AMOUNT": "新臺幣1,234,567元, NT$…, 10-digit budget totals",
    "NEG_YEAR_RANGE": "2019-2023, 109-112年度",
    "NEG_ROC_DATE": "dates outside birth context: 中華民國104年7月27日訂定, 112-03-15, 文號 0850302-shaped",
    "NEG_ISBN": "ISBN-13 (978…) and ISBN-10 with valid check digits",
    "NEG_EINVOICE": "e-invoice AB-12345678 with 發票 context (old-ARC shape; half pass the ARC check)",
    "NEG_ID_SHAPED_PRODUCT_CODE": "[A-Z][1289]\\d{8} with a bad check digit, 料號/型號/序號 context",
    "NEG_UBN_NO_KEYWORD": "8-digit numbers without a UBN keyword (訂單編號, 案號, 日期20231231); half pass ÷5",
    "NEG_STATISTIC": "成長率12.5%, 0912 inside longer digit runs, ratios, scales, times",
    "NEG_VERSION": "four-part version strings (5.10.0.21) that parse as global IPv4",
    "NEG_PRIVATE_IP": "private, loopback, link-local, documentation, netmask IPs (v4 and v6)",
    "NEG_NON_EMAIL": "root@localhost, @types/node, lodash@4.17.21, @Override, git remotes",
    "NEG_MODEL_NAME": "GTX-1080, RTX-4090, ISO-9001, CNS-1497, plate-shaped 型號 codes",
    "NEG_ADDRESS_PARTIAL": "3樓 alone, 中山路 without a number, 臺北市政府, 新北市板橋區, 第3段",
    "NEG_NAME_LIKE_WORD": "陳列, 林業, 黃金, 高雄, 方法, 申請人應…, 負責人員",
    "NEG_DIGIT_RUN": "10–16 digit order/tracking numbers without keyword (Luhn-failing), EAN-13 471…",
}

README_TEMPLATE = """# fixtures/pii — labelled evaluation set for the Taiwan PII detectors

`eval.jsonl`: {n} lines, {npos} positive (personal data planted, {nvalues} labelled values) and
{nneg} hard negatives (look-alikes, no personal data). Scored by `benches/pii/score.py` against
the output of `corpus redact`. Generated by `benches/pii/make_eval.py`; do not edit by hand.

| file | bytes | sha256 |
|---|---:|---|
| `eval.jsonl` | {size} | `{sha}` |

## Provenance and licence

* **Carrier sentences** are real sentences of `shared/data/tw-laws/sample-200.jsonl` (sha256
  `{laws_sha}`), the R.O.C. (Taiwan) national law database (全國法規資料庫, 法務部,
  https://law.moj.gov.tw, snapshot 2024-10-11) as described in `shared/data/README.md`: the text
  of laws cannot be the subject of copyright (著作權法 art. 9), and the records are tagged
  **OGDL-Taiwan-1.0** (政府資料開放授權條款－第1版). Attribution:
  「法務部 全國法規資料庫 2024 法規資料（2024-10-11 版）。此開放資料依政府資料開放授權條款
  (Open Government Data License) 進行公眾釋出，使用者於遵守本條款各項規定之前提下，得利用之。
  政府資料開放授權條款：https://data.gov.tw/license」. That text is PII-free (`shared/data/README.md`).
  Sentences are the pieces of each law's text split on 「。」 and newlines (leading 「，、；：」
  dropped), 10–80 characters, at least 70 % Han, no table drawing, first occurrence only; positive lines use only sentences with no Latin letters or
  digits and none of the PII keywords (so that no carrier word changes a label).
* **Every planted value is synthetic**, drawn from `random.Random({seed})` and made valid with the
  real algorithm of its type (check digits, Luhn, IIN and area-code tables). No value was taken
  from any person or record; e-mail domains are `example.*` names. Random numbers can coincide
  with numbers in use by chance; they identify no one here. Names are random combinations of
  common surnames and given-name characters.
* The file itself: CC-BY-4.0, © sovereign-corpus contributors (the carrier text keeps its
  OGDL-Taiwan-1.0 attribution above).

## Record format

```json
{{"id": "eval-00001", "text": "…", "spans": [{{"type": "TW_MOBILE", "start": 12, "end": 22}}],
 "kind": "positive", "tags": ["TW_MOBILE/dash-4-3-3/half/glued-both"]}}
```

* `spans`: sorted, disjoint, `[start, end)` in **Unicode code points** of `text` (Python `str`
  indices; not bytes, not UTF-16 units). A span covers the **value only**, never its keyword:
  `身分證字號：A123456789` → the span covers `A123456789`. Some values include their own
  punctuation: `+886 912 345 678`, `(02)2345-6789分機123` (extensions are inside the landline
  span), `民國85年3月2日` / `中華民國…` (the era prefix is part of the date), `75年次`, a postal code
  that opens an address (`106 臺北市…`). Not inside: `mailto:`, `<…>`, `:443` ports, URL parts,
  bank codes such as `(822)` before an account, titles (`先生`, `小姐`).
* `kind`: `positive` (≥ 1 span) or `negative` (no span; a look-alike that must not be redacted).
* `tags` (informational, ignored by the scorer; `corpus redact` keeps it like every field):
  positives have one entry per span, in span order, `TYPE/form/width/context`, where width is
  `half`, `full` (every ASCII character of the value full-width, U+FF01–FF5E / U+3000) or
  `full-alnum` (only letters and digits full-width), and context tells whether the value touches
  Han text on both sides (`glued-both`), one side, or neither (`delimited`); negatives have the
  decoy category.

## Types (exactly these 17 fine types)

| type | placeholder family | values | widths |
|---|---|---:|---|
{rows_type}

Positive lines: {k1} with one value, {k2} with two, {k3} with three (values of different types).
Context over all values: glued to Han on both sides {glued_both}, left only {glued_left}, right
only {glued_right}, delimited {delimited}.

### Surface forms per type

| type | forms (count) |
|---|---|
{rows_form}

Landline extensions (inside the span; tagged `+ext-…` after the form): {exts}.

What the forms mean: IDs are upper case with a keyword (身分證字號, 身份證字號, 居留證號, 統一證號,
ARC …), `lower-informal` is lower case in informal text (我的身分證是a123456789喔), `no-keyword` a
valid national ID with no ID keyword nearby; region letters cycle through all 26 (I=34, O=35,
W=32, X=30, Y=31, Z=33 included); new ARC second digit 8/9, old ARC second letter A–D. UBN:
`new-rule-only` valid under the 2023 ÷5 rule but not the legacy ÷10 rule, `seventh-digit-7`
valid only through the 7th-digit-7 branch ((S+1) ÷ 5), `mof-test-number` the MOF examples
(04595252, 10458570, …). Mobiles 09[0-8] + 7 digits; landlines follow the area-code/length table
of spec A.5 (02 8 digits, 03 7, 037 6, 04 8/7, 049 7, 05–08 7, 089/082 6, 0836/0826 5), with
`+ext-分機/#/轉/ext/ext-compact` extensions inside the span. Cards are Luhn-valid with real IIN
prefixes and lengths (Visa 4 ×16, Mastercard 51–55 and 2221–2720 ×16, JCB 3528–3589 ×16, Amex
34/37 ×15 grouped 4-6-5, UnionPay 62 ×16). IPs are global (not private, loopback, link-local,
documentation, multicast or reserved). Addresses run county/district → [村/里 N鄰] → road
[N段] [N巷] [N弄] → N號 [之M/-M] [N樓 [之M]/室], with 臺/台 variants, Chinese numerals for
段/號/樓 in about a quarter, optional 3/5/6-digit postal codes; `no-county` starts at the district,
`road-only` at the road. Plates: `new-dash` ABC-1235 (no I/O, no digit 4), `new-compact`,
`old-2-4` AB-1235, `old-4-2` 1235-AB, always after 車牌/車號/牌照/號牌. Birth dates appear only
next to a birth keyword (出生日期, 出生年月日, 生日, 生於, DOB, Birthday, …出生, 年次).
NHI card numbers (12 digits) only after 健保卡號-type keywords, passports (3 + 8 digits) only
after 護照/Passport No., bank accounts (10–16 digits; post office 7-7) only after 帳號/匯款/帳戶
keywords. Names are surname (incl. 歐陽, 張簡, 范姜, 司馬) + 1–2 given characters in a context
(姓名：X, 聯絡人X, 申請人X, 負責人X, 收件人：X, X先生/小姐/女士/老師); the character after a
name is always punctuation or a title.

## Hard negatives

| category | lines | what |
|---|---:|---|
{rows_neg}

Negative lines use carrier sentences without PII keywords (身分證, 電話, 帳號, 出生, IP, 車牌, …), so
the decoy stays a non-personal value. The laws text itself also contains name-like words
(林業, 申請人應…); they are unlabelled everywhere.

## Regenerate

```sh
python3 benches/pii/make_eval.py            # writes fixtures/pii/eval.jsonl and this README
python3 benches/pii/make_eval.py --check    # regenerates in memory; fails if either file differs
```

Needs Python ≥ 3.11 (standard library only) and `shared/data/tw-laws/sample-200.jsonl` (looked up
at `<repo>/shared/` and `<repo>/../shared/`, or `--laws PATH`; its sha256 is checked). The
generator re-validates every span (offsets, check digits, Luhn/IIN, area codes, global IPs) and
fails if a negative or an unlabelled part of a line holds a valid ID, mobile number or e-mail.
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--laws", help="path of shared/data/tw-laws/sample-200.jsonl")
    ap.add_argument("--check", action="store_true", help="regenerate in memory and compare with the files")
    args = ap.parse_args()
    records = build(args.laws or find_laws())
    lint(records)
    data = dump(records)
    doc = readme(records, data).encode("utf-8")
    fixture_tools.write_or_check("make_eval.py", ((OUT_JSONL, data), (OUT_README, doc)), args.check)
    pos = sum(r["kind"] == "positive" for r in records)
    print(f"wrote {os.path.relpath(OUT_JSONL, REPO)}: {len(records)} lines ({pos} positive, "
          f"{len(records) - pos} negative), {len(data):,} bytes; and {os.path.relpath(OUT_README, REPO)}")


if __name__ == "__main__":
    main()
