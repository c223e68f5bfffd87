#!/usr/bin/env python3
"""Builds corpus-core/data/names/given.tsv and bigrams.tsv from jieba-rs's own dict.txt (MIT),
the tables of the person-name finder (corpus-core/src/pii/names.rs). Standard library only;
run from the repository root after `cargo fetch` (jieba-rs 0.11.0 in the cargo registry):

    python3 benches/pii/names_tables.py && git diff --stat corpus-core/data/names

given.tsv: per character (in jieba's Simplified image), the log-odds of appearing as the
first / second given-name character of a 3-character nr entry whose first character is a
surname (vs. its frequency in all dictionary words, frequency-weighted), and as the single
given character of a 2-character nr entry.
bigrams.tsv: 2-character dictionary words not tagged nr*, freq >= 20, with ln(freq).
"""
import collections, glob, math, os, sys
CARGO = os.environ.get('CARGO_HOME', os.path.expanduser('~/.cargo'))
dict_path = glob.glob(f'{CARGO}/registry/src/*/jieba-rs-0.11.0/src/data/dict.txt')[0]
OUT = 'corpus-core/data/names'
ts = {}
for l in open('corpus-core/data/opencc/TSCharacters.txt', encoding='utf-8'):
    k, v = l.rstrip('\n').split('\t')
    if len(k) == 1 and len(v.split(' ')[0]) == 1:
        ts[k] = v.split(' ')[0]
img = lambda s: ''.join(ts.get(c, c) for c in s)
sur = set()
for l in open(f'{OUT}/surnames.txt', encoding='utf-8'):
    if l.startswith('#') or not l.strip(): continue
    t, *xs = l.split()
    if t in 'ABC':
        sur.update(img(x) for x in xs)
g1, g2, g0, bg = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter()
big = {}
for l in open(dict_path, encoding='utf-8'):
    p = l.split()
    if len(p) < 3: continue
    w, f, t = p[0], int(p[1]), p[2]
    for c in w: bg[c] += f
    if t == 'nr' and len(w) == 3 and w[0] in sur:
        g1[w[1]] += 1; g2[w[2]] += 1
    elif t == 'nr' and len(w) == 2 and w[0] in sur:
        g0[w[1]] += 1
    elif len(w) == 2 and not t.startswith('nr') and f >= 20:
        big[w] = max(big.get(w, 0), f)
BG = sum(bg.values())
def lo(cnt, c):
    N = sum(cnt.values()) or 1
    return math.log((cnt[c] + 0.1) / N) - math.log((bg[c] + 50) / BG)
chars = set(g1) | set(g2) | set(g0)
with open(f'{OUT}/given.tsv', 'w', encoding='utf-8') as o:
    for c in sorted(chars):
        o.write(f"{c}\t{lo(g1,c):.2f}\t{lo(g2,c):.2f}\t{lo(g0,c):.2f}\n")
    # default for unseen characters: the value of a character with zero name count and median bg
with open(f'{OUT}/bigrams.tsv', 'w', encoding='utf-8') as o:
    for w, f in sorted(big.items()):
        o.write(f"{w}\t{math.log(f):.1f}\n")
print(len(chars), len(big), sum(g1.values()), sum(g0.values()), file=sys.stderr)
