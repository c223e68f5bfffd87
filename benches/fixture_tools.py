"""Helpers shared by the scripts that generate fixtures (benches/*/make_*.py): where the shared
corpus is, how to read it, how to sample one sentence per law, and the write-or-`--check` step
that CI uses to prove a committed fixture is exactly what its script makes.

Standard library only; the scripts put `benches/` on sys.path to import it.
"""

import hashlib
import io
import os
import subprocess
import sys
from random import Random

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def find_shared(rel):
    """`<repo>/../shared/<rel>` (where CI puts it), else `<repo>/shared/<rel>`."""
    for base in (os.path.join(REPO, "..", "shared"), os.path.join(REPO, "shared")):
        path = os.path.join(base, rel)
        if os.path.isfile(path):
            return os.path.normpath(path)
    sys.exit(f"{rel} not found under <repo>/../shared or <repo>/shared; pass its path")


def read_zst_lines(path):
    """Decompressed lines of a zstd file: pip's zstandard if present, else `zstd -dc`."""
    try:
        import zstandard
    except ImportError:
        data = subprocess.run(["zstd", "-q", "-dc", path], check=True, stdout=subprocess.PIPE).stdout
    else:
        with open(path, "rb") as f:
            data = zstandard.ZstdDecompressor().stream_reader(f).read()
    return io.StringIO(data.decode("utf-8"))


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def pick_one_per_doc(docs, n, seed):
    """`n` (doc index, position, sentence), at most one per document and no sentence twice,
    documents visited in a seeded shuffle; returned in corpus order."""
    rng = Random(seed)
    order = list(range(len(docs)))
    rng.shuffle(order)
    taken, picked = set(), []
    for d in order:
        free = [i for i, s in enumerate(docs[d]) if s not in taken]
        if not free:
            continue
        i = rng.choice(free)
        taken.add(docs[d][i])
        picked.append((d, i, docs[d][i]))
        if len(picked) == n:
            break
    if len(picked) < n:
        sys.exit(f"only {len(picked)} sentences found")
    return sorted(picked)


def write_or_check(script, outputs, check):
    """Writes each (path, bytes); with `check`, compares instead and exits 0 (all equal) or 1."""
    if check:
        ok = True
        for path, want in outputs:
            have = open(path, "rb").read() if os.path.exists(path) else b""
            if have != want:
                print(f"DIFFERS: {os.path.relpath(path, REPO)}")
                ok = False
        print(f"{script} --check:", "OK" if ok else "FAILED")
        sys.exit(0 if ok else 1)
    for path, data in outputs:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
