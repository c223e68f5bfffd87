#!/usr/bin/env python3
"""Load a `corpus` dataset's shards with the four common Python readers and check them against
its manifest.

    python3 .ci/check_loaders.py DATASET          # DATASET: the directory with manifest.json

For every (tier, split) in manifest.json's `shards`, its shard files are read with
  pyarrow   pyarrow.parquet (each shard, streamed by record batch) and pyarrow.dataset (the split)
  datasets  load_dataset("parquet", data_files=[...], split="train"), cache in a temp dir
  polars    pl.scan_parquet([...]) (and the schema it reports)
  duckdb    SELECT count(*), sum(n_tokens) FROM read_parquet([...])
and each loader must find the manifest's rows and, when the manifest has a tokenizer, its tokens
(sum of n_tokens) and an `input_ids` column of list<id_type>. pyarrow also checks, per shard,
rows/tokens/bytes against the shard entry, n_tokens == len(input_ids) on every row, ids below
vocab_size, and in packed mode (`packing.seq_len`) the doc_ids/doc_starts columns. Then the
per-(tier, split) totals are compared with manifest `splits` (documents too: rows in document
mode, distinct doc_ids in packed mode). Without a tokenizer only rows (and documents) are checked.

Then each loader is pointed at each release directory (`public/`, `public-share-alike/<licence>/`,
`restricted/`) and discovers its files itself -- HF load_dataset(dir) through the dataset card,
pyarrow.dataset on dir/data, polars on dir/data and dir/**/*.parquet, DuckDB on dir/**/*.parquet --
and must read exactly that release's rows, each of its tier; HF load_dataset(<run>) must read
the public release alone.

Prints one line per loader per (tier, split), e.g.
    pyarrow   public/train  rows=136 tokens=95210 ids=uint16 ok
and exits 0 when everything matches, 1 on any mismatch (each one printed as `MISMATCH ...` and
summed up at the end), 2 when the dataset or manifest cannot be read. Needs Python >= 3.10 with
pyarrow, datasets, polars and duckdb (.ci/loaders-requirements.txt; .ci/check_loaders.sh makes
the venv). Runs offline: HF_HUB_OFFLINE=1, HF_HOME in a temp dir.
"""

import argparse
import json
import os
import re
import sys
import tempfile
from collections import defaultdict

LOADERS = ("pyarrow", "datasets", "polars", "duckdb")
ID_TYPES = ("uint16", "uint32")
SHARD_NAME = re.compile(r"(?P<split>[^/]+)-(?P<index>\d{5})-of-(?P<count>\d{5})\.parquet$")


class Problems:
    def __init__(self):
        self.items = []

    def add(self, where, msg):
        self.items.append(f"{where}: {msg}")
        print(f"MISMATCH {where}: {msg}", flush=True)

    def expect(self, where, what, got, want, says="manifest says"):
        if got != want:
            self.add(where, f"{what} = {got}, {says} {want}")
            return False
        return True


# --------------------------------------------------------------------------- loaders
# Each takes the group's files and returns {"rows", "tokens" (None without tokenizer),
# "id_type" (None when no input_ids column), ...}.


def load_pyarrow(files, ctx, where, problems):
    import pyarrow.compute as pc
    import pyarrow.dataset as pads
    import pyarrow.parquet as pq

    tok, packed = ctx["tokenizer"], ctx["seq_len"]
    rows = tokens = list_tokens = 0
    id_types = set()
    doc_ids = set()
    for entry, path in files:
        pf = pq.ParquetFile(path)
        shard = f"{where} {entry['path']}"
        problems.expect(shard, "rows (parquet metadata)", pf.metadata.num_rows, entry.get("rows"))
        if "bytes" in entry:
            problems.expect(shard, "bytes", os.path.getsize(path), entry["bytes"])
        schema = pf.schema_arrow
        id_type = _arrow_id_type(schema)
        if id_type is not None:
            id_types.add(id_type)
        cols = []
        if tok:
            for c in ("input_ids", "n_tokens"):
                if c not in schema.names:
                    problems.add(shard, f"no `{c}` column although the manifest has a tokenizer")
            cols = [c for c in ("input_ids", "n_tokens") if c in schema.names]
        if packed:
            # Documents wholly in a dropped tail are in no row; the entry names them.
            doc_ids.update(entry.get("documents_dropped", []))
            if ctx.get("tail") == "pad":
                cols += ["attention_mask"] if "attention_mask" in schema.names else []
            for c in ("doc_ids", "doc_starts"):
                if c not in schema.names:
                    problems.add(shard, f"no `{c}` column although the manifest has packing")
            cols += [c for c in ("doc_ids", "doc_starts") if c in schema.names]
        elif "doc_id" not in schema.names:
            problems.add(shard, "no `doc_id` column")
        shard_rows = shard_tokens = 0
        if cols:
            for batch in pf.iter_batches(batch_size=8192, columns=cols):
                shard_rows += batch.num_rows
                n = batch.column("n_tokens") if "n_tokens" in cols else None
                ids = batch.column("input_ids") if "input_ids" in cols else None
                if n is not None:
                    shard_tokens += pc.sum(n.cast("uint64")).as_py() or 0
                if ids is not None:
                    lens = pc.list_value_length(ids)
                    list_tokens += pc.sum(lens.cast("uint64")).as_py() or 0
                    if n is not None and ctx.get("tail") == "pad":
                        # Padded rows: n_tokens counts the real tokens, the mask marks them.
                        if not _all(pc.less_equal(n.cast(lens.type), lens)):
                            problems.add(shard, "n_tokens > len(input_ids) on some rows")
                        if "attention_mask" in batch.schema.names:
                            mask = pc.list_flatten(batch.column("attention_mask")).cast("uint64")
                            if (pc.sum(mask).as_py() or 0) != (pc.sum(n.cast("uint64")).as_py() or 0):
                                problems.add(shard, "attention_mask does not mark n_tokens tokens")
                    elif n is not None and not _all(pc.equal(lens, n.cast(lens.type))):
                        problems.add(shard, "n_tokens != len(input_ids) on some rows")
                    top = pc.max(pc.list_flatten(ids)).as_py()
                    if top is not None and tok.get("vocab_size") and top >= tok["vocab_size"]:
                        problems.add(shard, f"id {top} >= vocab_size {tok['vocab_size']}")
                    if packed:
                        longest = pc.max(lens).as_py()
                        if longest is not None and longest > packed:
                            problems.add(
                                shard, f"a sequence has {longest} tokens > seq_len {packed}"
                            )
                        shortest = pc.min(lens).as_py()
                        if ctx.get("tail") in ("drop", "pad") and shortest is not None and shortest != packed:
                            problems.add(
                                shard, f"a sequence has {shortest} tokens, not seq_len {packed} (tail {ctx['tail']})"
                            )
                if packed and "doc_ids" in cols and "doc_starts" in cols:
                    _check_packed(batch, shard, problems)
                    doc_ids.update(pc.list_flatten(batch.column("doc_ids")).to_pylist())
        else:
            shard_rows = pf.metadata.num_rows
        if tok:
            problems.expect(shard, "tokens (sum of n_tokens)", shard_tokens, entry.get("tokens"))
        rows += shard_rows
        tokens += shard_tokens
    if len(id_types) > 1:
        problems.add(where, f"shards disagree on the input_ids type: {sorted(id_types)}")

    # The split as one pyarrow.dataset.
    dset = pads.dataset([p for _, p in files], format="parquet")
    ds_rows = dset.count_rows()
    if ds_rows != rows:
        problems.add(where, f"pyarrow.dataset counts {ds_rows} rows, pyarrow.parquet {rows}")
    if tok and "n_tokens" in dset.schema.names:
        t = dset.to_table(columns=["n_tokens"]).column("n_tokens")
        ds_tokens = pc.sum(t.cast("uint64")).as_py() or 0
        if ds_tokens != tokens:
            problems.add(
                where, f"pyarrow.dataset sums {ds_tokens} tokens, pyarrow.parquet {tokens}"
            )
    out = {
        "rows": rows,
        "tokens": tokens if tok else None,
        "id_type": (id_types.pop() if len(id_types) == 1 else None),
        "documents": len(doc_ids) if packed else rows,
    }
    if tok:
        out["list_tokens"] = list_tokens
    return out


def _arrow_id_type(schema):
    import pyarrow as pa

    if "input_ids" not in schema.names:
        return None
    t = schema.field("input_ids").type
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return str(t.value_type)
    return f"not a list: {t}"


def _all(mask):
    import pyarrow.compute as pc

    return len(mask) == 0 or bool(pc.all(pc.fill_null(mask, False)).as_py())


def _check_packed(batch, shard, problems):
    """doc_ids and doc_starts: same length (>= 1) per row, starts at 0, increasing, < n_tokens."""
    import pyarrow.compute as pc

    ids, starts = batch.column("doc_ids"), batch.column("doc_starts")
    n = batch.column("n_tokens") if "n_tokens" in batch.schema.names else None
    nid, nst = pc.list_value_length(ids), pc.list_value_length(starts)
    if not _all(pc.equal(nid, nst)):
        problems.add(shard, "len(doc_ids) != len(doc_starts) on some rows")
        return
    if not _all(pc.greater(nst, 0)):
        problems.add(shard, "a sequence has no doc_ids")
        return
    if not _all(pc.equal(pc.list_element(starts, 0), 0)):
        problems.add(shard, "doc_starts[0] != 0 on some rows")
    flat = pc.list_flatten(starts)
    parent = pc.list_parent_indices(starts)
    if len(flat) > 1:
        same_row = pc.equal(parent[1:], parent[:-1])
        increasing = pc.or_(pc.invert(same_row), pc.greater(flat[1:], flat[:-1]))
        if not _all(increasing):
            problems.add(shard, "doc_starts not strictly increasing within a sequence")
    if n is not None and not _all(pc.less(flat.cast("uint64"), pc.take(n, parent).cast("uint64"))):
        problems.add(shard, "a doc_starts offset >= n_tokens")


def load_datasets(files, ctx, where, problems):
    import datasets

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    with tempfile.TemporaryDirectory(prefix="check-loaders-hf-") as cache:
        d = datasets.load_dataset(
            "parquet", data_files=[p for _, p in files], split="train", cache_dir=cache
        )
        out = {"rows": d.num_rows, "tokens": None, "id_type": None}
        feat = d.features.get("input_ids")
        if feat is not None:
            inner = getattr(feat, "feature", None)  # List / Sequence / LargeList of Value
            out["id_type"] = getattr(inner, "dtype", None) or f"not a list: {feat}"
        if ctx["tokenizer"] and "n_tokens" in d.column_names:
            # numpy sums uint32 into uint64; no Python loop over the rows.
            col = d.select_columns(["n_tokens"]).with_format("numpy")["n_tokens"]
            out["tokens"] = int(col[:].sum()) if d.num_rows else 0
        del d
    return out


def load_polars(files, ctx, where, problems):
    import polars as pl

    lf = pl.scan_parquet([p for _, p in files])
    schema = lf.collect_schema()
    out = {"rows": None, "tokens": None, "id_type": None}
    if "input_ids" in schema:
        t = schema["input_ids"]
        out["id_type"] = (
            str(t.inner).lower() if isinstance(t, (pl.List, pl.Array)) else f"not a list: {t}"
        )
    aggs = [pl.len().alias("rows")]
    if ctx["tokenizer"] and "n_tokens" in schema:
        # Cast first: polars sums a UInt32 column into UInt32 and wraps past 2^32.
        aggs.append(pl.col("n_tokens").cast(pl.UInt64).sum().alias("tokens"))
    res = lf.select(aggs).collect().row(0, named=True)
    out["rows"] = int(res["rows"])
    if "tokens" in res:
        out["tokens"] = int(res["tokens"] or 0)
    return out


DUCKDB_TYPES = {
    "USMALLINT": "uint16",
    "UINTEGER": "uint32",
    "UBIGINT": "uint64",
    "SMALLINT": "int16",
    "INTEGER": "int32",
    "BIGINT": "int64",
}


def load_duckdb(files, ctx, where, problems):
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        paths = [p for _, p in files]
        cols = {
            r[0]: r[1]
            for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [paths]).fetchall()
        }
        out = {"rows": None, "tokens": None, "id_type": None}
        if "input_ids" in cols:
            t = cols["input_ids"]
            out["id_type"] = DUCKDB_TYPES.get(t[:-2], t) if t.endswith("[]") else f"not a list: {t}"
        if ctx["tokenizer"] and "n_tokens" in cols:
            rows, tokens = con.execute(
                "SELECT count(*), coalesce(sum(n_tokens), 0) FROM read_parquet(?)", [paths]
            ).fetchone()
            out["tokens"] = int(tokens)
        else:
            (rows,) = con.execute("SELECT count(*) FROM read_parquet(?)", [paths]).fetchone()
        out["rows"] = int(rows)
        return out
    finally:
        con.close()


LOADER_FNS = {
    "pyarrow": load_pyarrow,
    "datasets": load_datasets,
    "polars": load_polars,
    "duckdb": load_duckdb,
}


# --------------------------------------------------------------------------- manifest


def read_manifest(root):
    path = os.path.join(root, "manifest.json")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        print(f"error: cannot read {path}: {e}", file=sys.stderr)
        sys.exit(2)


def release_of(entry):
    """The release directory of a shard entry: its tier, and a share-alike shard's licence."""
    lic = entry.get("licence")
    return f"{entry.get('tier')}/{lic}" if lic else str(entry.get("tier"))


# --------------------------------------------------------------------------- isolation
# A loader pointed at one release directory (or at the run, whose card names public as the
# default config) must read exactly that release's rows: every listed file of it, no file of
# another tier or licence. Rows are compared as a multiset of keys (doc_id, or in packed mode
# the row's doc_ids), and every row's `tier` must be the release's.


def _row_keys(table):
    names = table.column_names
    col = "doc_id" if "doc_id" in names else "doc_ids"
    values = table.column(col).to_pylist()
    return [v if isinstance(v, str) else "|".join(v) for v in values]


def expected_rows(m, root):
    """{release: {split: Counter(keys)}} and {release: tier}, from the listed files."""
    from collections import Counter

    import pyarrow.parquet as pq

    want = defaultdict(lambda: defaultdict(Counter))
    tiers = {}
    for e in m.get("shards") or []:
        release = release_of(e)
        tiers[release] = e.get("tier")
        t = pq.read_table(os.path.join(root, e["path"]), columns=None)
        want[release][e.get("split")].update(_row_keys(t))
    return want, tiers


def _tiers(table):
    """The `tier` values of a table (packed sequences have no such column: None)."""
    return set(table.column("tier").to_pylist()) if "tier" in table.column_names else None


def discover(name, path, problems, where):
    """What loader `name` finds when pointed at the directory `path`: {split: (keys, tiers)}."""
    import pyarrow as pa

    if name == "datasets":
        import datasets

        datasets.disable_progress_bars()
        datasets.logging.set_verbosity_error()
        with tempfile.TemporaryDirectory(prefix="check-loaders-hf-") as cache:
            dd = datasets.load_dataset(path, cache_dir=cache)
            return {
                split: (_row_keys(d.data.table), _tiers(d.data.table))
                for split, d in dd.items()
            }
    if name == "pyarrow":
        import pyarrow.dataset as pads

        t = pads.dataset(os.path.join(path, "data"), format="parquet").to_table()
    elif name == "polars":
        import polars as pl

        frames = [pl.scan_parquet(os.path.join(path, "data")).collect()]
        frames.append(pl.scan_parquet(os.path.join(path, "**", "*.parquet")).collect())
        tables = [f.to_arrow() for f in frames]
        if _row_keys(tables[0]) != _row_keys(tables[1]):
            problems.add(where, "polars reads other rows through a ** glob than through data/")
        t = tables[0]
    else:
        import duckdb

        glob = os.path.join(path, "**", "*.parquet").replace("'", "''")
        t = duckdb.connect(":memory:").sql(f"SELECT * FROM read_parquet('{glob}')").arrow()
        if isinstance(t, pa.RecordBatchReader):
            t = t.read_all()
    return {"*": (_row_keys(t), _tiers(t))}


def check_isolation(m, root, loaders, problems):
    from collections import Counter

    want, tiers = expected_rows(m, root)
    targets = [(release, os.path.join(root, release), release) for release in sorted(want)]
    if "public" in want:
        targets.append(("(run) -> public", root, "public"))
    for label, path, release in targets:
        for name in loaders if label == release else ["datasets"]:
            where = f"isolation {name} {label}"
            try:
                got = discover(name, path, problems, where)
            except Exception as e:
                problems.add(where, f"failed to load the directory: {type(e).__name__}: {e}")
                continue
            before = len(problems.items)
            for split, (keys, seen_tiers) in got.items():
                expect = (
                    sum(want[release].values(), Counter()) if split == "*" else want[release].get(split)
                )
                if expect is None:
                    problems.add(where, f"split {split} is not one of this release's")
                    continue
                if Counter(keys) != expect:
                    extra = sum((Counter(keys) - expect).values())
                    missing = sum((expect - Counter(keys)).values())
                    problems.add(where, f"split {split}: {extra} rows not of this release, {missing} of its rows missing")
                if seen_tiers is not None and seen_tiers - {tiers[release]}:
                    problems.add(where, f"split {split}: rows of tier {sorted(seen_tiers - {tiers[release]})}")
            if "*" not in got and set(got) != set(want[release]):
                problems.add(where, f"splits {sorted(got)}, the release has {sorted(want[release])}")
            status = "ok" if len(problems.items) == before else "MISMATCH"
            rows = sum(len(k) for k, _ in got.values())
            print(f"{name:<9} {label} (directory)  rows={rows} {status}", flush=True)


def check_manifest(m, root, problems):
    """Static checks; returns {(tier, split): [(entry, abs path)]} in manifest order."""
    tok = m.get("tokenizer") or None
    if tok:
        it = tok.get("id_type")
        if it not in ID_TYPES:
            problems.add("manifest", f"tokenizer.id_type = {it!r}, expected one of {ID_TYPES}")
        vs = tok.get("vocab_size")
        if isinstance(vs, int) and it in ID_TYPES:
            want = "uint16" if vs <= 1 << 16 else "uint32"
            if it != want:
                problems.add("manifest", f"vocab_size {vs} but id_type {it} (contract: {want})")
    groups = defaultdict(list)
    shards = m.get("shards")
    if not isinstance(shards, list) or not shards:
        problems.add("manifest", "no `shards` list")
        return groups
    for e in shards:
        key = (e.get("tier"), e.get("split"))
        path = os.path.join(root, e.get("path", ""))
        if not os.path.isfile(path):
            problems.add(f"{key[0]}/{key[1]}", f"shard file missing: {e.get('path')}")
            continue
        groups[key].append((e, path))
    for (tier, split), items in groups.items():
        where = f"{tier}/{split}"
        for e, _ in items:
            rel = e["path"]
            mt = SHARD_NAME.search(rel)
            release = release_of(e)
            if not rel.startswith(f"{release}/data/") or not mt or mt["split"] != split:
                problems.add(
                    where, f"path {rel} is not {release}/data/{split}-NNNNN-of-MMMMM.parquet"
                )
            elif int(mt["count"]) != (count := sum(release_of(i) == release for i, _ in items)):
                problems.add(
                    where, f"path {rel} says of-{mt['count']}, the split has {count} shards in {release}/"
                )
    return groups


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("dataset", help="the run's directory: manifest.json and a directory per tier")
    ap.add_argument(
        "--loaders",
        default=",".join(LOADERS),
        help=f"comma-separated subset of {','.join(LOADERS)}",
    )
    args = ap.parse_args()
    loaders = [x for x in args.loaders.split(",") if x]
    unknown = [x for x in loaders if x not in LOADERS]
    if unknown:
        ap.error(f"unknown loader(s): {', '.join(unknown)}")
    root = args.dataset
    if not os.path.isdir(root):
        print(f"error: {root} is not a directory", file=sys.stderr)
        sys.exit(2)

    # Offline and self-contained HF: no hub calls, no writes to ~/.cache.
    hf_home = tempfile.TemporaryDirectory(prefix="check-loaders-hf-home-")
    os.environ["HF_HOME"] = hf_home.name
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["HF_DATASETS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

    m = read_manifest(root)
    problems = Problems()
    tok = m.get("tokenizer") or None
    packing = m.get("packing") or None
    ctx = {
        "tokenizer": tok,
        "seq_len": packing.get("seq_len") if packing else None,
        "tail": packing.get("tail", "keep") if packing else None,
    }
    id_type = tok.get("id_type") if tok else None
    mode = f"packed seq_len={ctx['seq_len']}" if ctx["seq_len"] else "documents"
    tname = f"{tok.get('name')} ({id_type}, vocab {tok.get('vocab_size')})" if tok else "none"
    print(f"dataset {root}: {len(m.get('shards') or [])} shards, mode {mode}, tokenizer {tname}")

    groups = check_manifest(m, root, problems)
    width = max([len(f"{t}/{s}") for t, s in groups] + [1])
    totals = {}
    for (tier, split), items in groups.items():
        where = f"{tier}/{split}"
        want_rows = sum(e.get("rows", 0) for e, _ in items)
        want_tokens = sum(e.get("tokens", 0) for e, _ in items) if tok else None
        for name in loaders:
            before = len(problems.items)
            try:
                got = LOADER_FNS[name](items, ctx, where, problems)
            except Exception as e:  # a loader that cannot read the files is a finding, not a crash
                problems.add(f"{name} {where}", f"failed to load: {type(e).__name__}: {e}")
                continue
            tag = f"{name} {where}"
            problems.expect(tag, "rows", got["rows"], want_rows)
            if tok:
                problems.expect(tag, "tokens (sum of n_tokens)", got["tokens"], want_tokens)
                problems.expect(tag, "input_ids value type", got["id_type"], id_type)
                if "list_tokens" in got and ctx.get("tail") != "pad":
                    # Padded rows hold more ids than tokens; n_tokens and the mask count them.
                    problems.expect(
                        tag, "tokens (sum of len(input_ids))", got["list_tokens"], want_tokens
                    )
            if name == "pyarrow":
                totals[(tier, split)] = got
            status = "ok" if len(problems.items) == before else "MISMATCH"
            line = f"{name:<9} {where:<{width}}  rows={got['rows']}"
            if tok:
                line += f" tokens={got['tokens']} ids={got['id_type']}"
            print(f"{line} {status}", flush=True)

    check_splits(m, groups, totals, tok, problems, "pyarrow" in loaders, width)
    check_isolation(m, root, loaders, problems)

    hf_home.cleanup()
    if problems.items:
        print(f"FAILED: {len(problems.items)} mismatch(es) in {root}:", file=sys.stderr)
        for p in problems.items:
            print(f"  {p}", file=sys.stderr)
        sys.exit(1)
    print(
        f"all {len(loaders)} loaders agree with the manifest on {len(groups)} (tier, split) groups"
    )


def check_splits(m, groups, totals, tok, problems, have_documents, width):
    """Manifest `splits` against the shard entries (and the documents pyarrow counted)."""
    splits = m.get("splits")
    if not isinstance(splits, dict):
        problems.add("manifest", "no `splits` object")
        return
    listed = {
        (t, s): v for t, per in splits.items() if isinstance(per, dict) for s, v in per.items()
    }
    for key in sorted(set(listed) | set(groups), key=str):
        where = f"splits {key[0]}/{key[1]}"
        items = groups.get(key, [])
        want = listed.get(key)
        if want is None:
            problems.add(where, "has shards but no entry in `splits`")
            continue
        says = "`splits` says"
        ok = problems.expect(where, "shard entries", len(items), want.get("shards"), says)
        ok &= problems.expect(
            where,
            "rows of the shard entries",
            sum(e.get("rows", 0) for e, _ in items),
            want.get("rows"),
            says,
        )
        if tok:
            ok &= problems.expect(
                where,
                "tokens of the shard entries",
                sum(e.get("tokens", 0) for e, _ in items),
                want.get("tokens"),
                says,
            )
        if have_documents and "documents" in want:
            got_docs = totals[key]["documents"] if key in totals else 0
            what = "distinct doc_ids read" if m.get("packing") else "documents (rows) read"
            ok &= problems.expect(where, what, got_docs, want["documents"], says)
        name = f"{key[0]}/{key[1]}"
        print(
            f"{'splits':<9} {name:<{width}}  shards={want.get('shards')} rows={want.get('rows')}"
            + (f" tokens={want.get('tokens')}" if tok else "")
            + (f" documents={want.get('documents')}" if "documents" in want else "")
            + (" ok" if ok else " MISMATCH")
        )


if __name__ == "__main__":
    main()
