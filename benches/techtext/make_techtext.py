#!/usr/bin/env python3
"""A "technical text" evaluation corpus: Debian's Simplified-Chinese documentation, in Traditional.

Where the text comes from: Debian 12 (bookworm) binary packages, fetched with `apt-get download`
(no install, no root needed beyond what apt-get download itself wants) into target/techtext-debs/,
at the versions pinned in PACKAGES below (`--unpinned` takes apt's candidate instead). Only the
zh-CN / zh_CN members of each package are extracted (by member name, from `dpkg-deb
--fsys-tarfile`); everything else in a package is never written to disk:

  debian-reference-zh-cn         Debian Reference (Osamu Aoki), HTML chapters
  debian-faq-zh-cn               Debian FAQ, HTML pages
  debian-edu-doc-zh-cn           Debian Edu bookworm/bullseye manuals, one HTML page each
  debian-edu-doc-legacy-zh-cn    Debian Edu legacy manuals (ITIL, Audacity, Rosegarden)
  maint-guide-zh-cn              Debian New Maintainers' Guide, HTML pages
  debian-handbook                The Debian Administrator's Handbook: html/zh-CN/ only
  installation-guide-amd64       Debian installation guide: zh_CN/ only
  manpages-zh                    Chinese man pages: usr/share/man/zh_CN/ only (`man -l`)

HELD OUT: Debian's Traditional-Chinese documentation (every *-zh-tw package, the zh_TW and
zh-TW parts of manpages-zh, debian-handbook, installation-guide, ...) is never downloaded as a
package of its own, never extracted and never read; the script refuses any member whose path
names zh-TW. The Simplified text is converted to Traditional (Taiwan phrasing) with OpenCC's
`s2twp` config (PyPI `OpenCC`, pinned, in the venv target/techtext-venv created on first use).

HTML is turned into text with the standard library's html.parser: navigation chrome (DocBook
navheader/navfooter, Publican docnav/banner) and <head>, <script>, <style> are dropped, block
elements end lines (paragraph-level ones leave a blank line), <pre> is kept line for line.
Man pages are rendered with `man -l` (80 columns, ragged right, no hyphenation, rule lines of
underscores dropped); `.so` alias pages and symlinks are skipped.

One JSONL record per HTML page or man page, in sorted member order (deterministic):
  {"id": "<package>/<path in package>", "text": ..., "source": "<package> <version>",
   "license": SPDX from the package's DEP-5 copyright file (the stanzas that name the document,
              else `Files: *`), else the copyright file's first line}

  python3 benches/techtext/make_techtext.py --out target/techtext.jsonl
"""

import argparse
import collections
import glob
import gzip
import hashlib
import html.parser
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "../.."))
VENV = os.path.join(ROOT, "target/techtext-venv")
PINNED = ["OpenCC==1.4.2"]  # the version benches/script/make_opencc_ref.sh pins

# (package, bookworm version, members to take: a regex on the tar member name, kind)
PACKAGES = [
    ("debian-reference-zh-cn", "2.100", r"\./usr/share/debian-reference/[^/]+\.zh-cn\.html", "html"),
    ("debian-faq-zh-cn", "11.1", r"\./usr/share/doc/debian/FAQ/zh-cn/[^/]+\.html", "html"),
    ("debian-edu-doc-zh-cn", "2.12.23~deb12u1", r"\./usr/share/doc/debian-edu-doc-zh-cn/[^/]+\.html", "html"),
    ("debian-edu-doc-legacy-zh-cn", "2.12.23~deb12u1",
     r"\./usr/share/doc/debian-edu-doc-legacy-zh-cn/[^/]+\.html", "html"),
    ("maint-guide-zh-cn", "1.2.53", r"\./usr/share/doc/maint-guide-zh-cn/html/[^/]+\.zh-cn\.html", "html"),
    ("debian-handbook", "11.20220922", r"\./usr/share/doc/debian-handbook/html/zh-CN/[^/]+\.html", "html"),
    ("installation-guide-amd64", "20230508+deb12u1",
     r"\./usr/share/doc/installation-guide-amd64/zh_CN/[^/]+\.html", "html"),
    ("manpages-zh", "1.6.4.0-1", r"\./usr/share/man/zh_CN/man[^/]+/[^/]+\.gz", "man"),
]
HELD_OUT = re.compile(r"zh[-_]?tw|zh[-_]hant|big5", re.I)


def ensure_venv():
    """Re-executes this script in the pinned venv (created on first use)."""
    sys.path.insert(0, os.path.join(ROOT, "benches"))
    from pyvenv import reexec_in
    reexec_in(VENV, "techtext", PINNED)


# ---------------------------------------------------------------------------------------- fetch

def deb_field(path, field):
    return subprocess.run(["dpkg-deb", "-f", path, field], check=True, capture_output=True,
                          text=True).stdout.strip()


def fetch(package, version, debs, unpinned):
    """The .deb of package (at version unless unpinned) in debs, downloaded when missing."""
    for path in sorted(glob.glob(os.path.join(debs, f"{package}_*.deb"))):
        if unpinned or deb_field(path, "Version") == version:
            return path
    spec = package if unpinned else f"{package}={version}"
    r = subprocess.run(["apt-get", "download", spec], cwd=debs, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"[techtext] apt-get download {spec} failed (empty package lists? run "
                 f"`apt-get update`):\n{r.stderr.strip()}")
    found = sorted(glob.glob(os.path.join(debs, f"{package}_*.deb")))
    found = [p for p in found if unpinned or deb_field(p, "Version") == version]
    if not found:
        sys.exit(f"[techtext] apt-get download {spec} left no {package}_*.deb in {debs}")
    return found[-1]


def members(deb, pattern, extra=()):
    """{member name: bytes} of the regular files of deb whose names match pattern (or are in
    extra), read from `dpkg-deb --fsys-tarfile`; nothing else is kept."""
    tar_bytes = subprocess.run(["dpkg-deb", "--fsys-tarfile", deb], check=True,
                               capture_output=True).stdout
    rx = re.compile(pattern)
    out = {}
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as tar:
        for m in tar:
            if not m.isfile() or not (rx.fullmatch(m.name) or m.name in extra):
                continue
            if HELD_OUT.search(m.name):
                sys.exit(f"[techtext] refusing held-out member {m.name}")
            out[m.name] = tar.extractfile(m).read()
    return out


# -------------------------------------------------------------------------------------- licence

SPDX = {"GPL-2": "GPL-2.0-only", "GPL-2.0": "GPL-2.0-only", "GPL-2+": "GPL-2.0-or-later",
        "GPL-2.0+": "GPL-2.0-or-later", "GPL-3+": "GPL-3.0-or-later", "GPL-3.0+": "GPL-3.0-or-later",
        "GFDL-1.2+": "GFDL-1.2-or-later", "CC-BY-SA-3.0": "CC-BY-SA-3.0", "MIT": "MIT"}


def spdx(expr):
    parts = re.split(r"\s+(or|and)\s+", expr.strip())
    return " ".join(p.upper() if p in ("or", "and") else SPDX.get(p, p) for p in parts)


def licence_for(copyright_text, doc_path):
    """SPDX for doc_path from a DEP-5 copyright file: the licences of the stanzas whose Files
    patterns name the document (by file stem, joined with AND when they differ), else the
    `Files: *` stanza's; for a copyright file that is not DEP-5, its first line."""
    first = copyright_text.strip().splitlines()[0].strip() if copyright_text.strip() else ""
    if not first.startswith("Format:"):
        return first
    stem = os.path.basename(doc_path).split(".")[0]
    named, star = [], None
    for stanza in re.split(r"\n\s*\n", copyright_text):
        fields, key = {}, None
        for line in stanza.splitlines():
            if line[:1] in (" ", "\t") and key:
                if key != "License":  # a License field's body is the licence text
                    fields[key] += " " + line.strip()
            elif ":" in line:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        if "Files" not in fields or not fields.get("License"):
            continue
        lic = fields["License"]
        patterns = fields["Files"].split()
        if patterns == ["*"]:
            star = lic
        elif any(len(s) >= 6 and s == stem for s in (os.path.basename(p).split(".")[0] for p in patterns)):
            if spdx(lic) not in named:
                named.append(spdx(lic))
    if named:
        return " AND ".join(named)
    return spdx(star) if star else first


# ----------------------------------------------------------------------------------------- HTML

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}
PARA = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "ul", "ol", "dl",
        "blockquote", "section", "article", "header", "footer", "figure", "address", "hr",
        "center", "form", "fieldset"}
LINE = {"li", "dt", "dd", "tr", "br", "caption", "thead", "tbody", "tfoot"}
SKIP_TAGS = {"head", "script", "style", "title", "noscript"}
SKIP_CLASS = {"navheader", "navfooter", "docnav"}
SKIP_ID = {"banner", "title"}
CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
JOIN_CJK = re.compile(rf"(?<=[{CJK}])[ \t\r\f\v]*\n\s*(?=[{CJK}])")


class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, skip, pre)
        self.out = []  # finished blocks and separators
        self.buf = []  # inline text of the block in progress

    def skipping(self):
        return bool(self.stack) and self.stack[-1][1]

    def in_pre(self):
        return bool(self.stack) and self.stack[-1][2]

    def flush(self):
        if self.in_pre():
            return
        s = "".join(self.buf)
        self.buf = []
        s = re.sub(r"\s+", " ", JOIN_CJK.sub("", s)).strip()
        if s:
            self.out.append(s)

    def sep(self, n):
        self.flush()
        self.out.append("\n" * n)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        skip = self.skipping() or tag in SKIP_TAGS or bool(classes & SKIP_CLASS) or a.get("id") in SKIP_ID
        if not skip and not self.in_pre():
            if tag in PARA:
                self.sep(2)
            elif tag in LINE:
                self.sep(1)
            elif tag in ("td", "th") and self.buf:
                self.buf.append(" ")
        if tag == "pre" and not skip:
            self.flush()
        if tag not in VOID:
            self.stack.append((tag, skip, self.in_pre() or tag == "pre"))

    def handle_endtag(self, tag):
        if tag in VOID or not any(t == tag for t, _, _ in self.stack):
            return
        while self.stack:
            t, skip, pre = self.stack[-1]
            if t == "pre" and not skip and not (len(self.stack) > 1 and self.stack[-2][2]):
                self.out.append("".join(self.buf).strip("\n"))
                self.buf = []
            self.stack.pop()
            if not skip and (t in PARA or t in LINE):
                self.sep(2 if t in PARA else 1)
            if t == tag:
                break

    def handle_data(self, data):
        if not self.skipping():
            self.buf.append(data)

    def text(self):
        self.flush()
        s = "".join(self.out)
        s = re.sub(r"[ \t]+\n", "\n", s)
        s = re.sub(r"\n{3,}", "\n\n", s)
        return s.strip("\n") + "\n"


def decode(raw):
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def html_text(raw):
    p = Text()
    p.feed(decode(raw))
    p.close()
    return p.text()


# ------------------------------------------------------------------------------------------ man

RULE = re.compile(r"\s*_{10,}\s*")


def man_text(raw, tmp):
    """A man page (gzip) rendered to plain text, or None for a `.so` alias page."""
    src = gzip.decompress(raw)
    body = [l for l in src.splitlines() if l.strip() and not l.startswith((b'.\\"', b"'\\\""))]
    if body and body[0].startswith(b".so ") and len(body) <= 2:
        return None
    # no justification, no hyphenation (after a leading '\" preprocessor line, which man reads)
    lines = src.split(b"\n")
    head = 1 if lines and lines[0].startswith((b"'\\\"", b'.\\"')) else 0
    src = b"\n".join(lines[:head] + [b".na", b".nh"] + lines[head:])
    path = os.path.join(tmp, "page.man")
    with open(path, "wb") as f:
        f.write(src)
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8", MANWIDTH="80", MAN_KEEP_FORMATTING="",
               MANPAGER="cat", PAGER="cat", MANROFFOPT="-rHY=0")
    if shutil.which("man"):
        cmd = ["man", "-l", path]
    elif shutil.which("groff"):
        cmd = ["groff", "-k", "-Tutf8", "-man", "-P", "-cbou", path]
    else:
        return strip_roff(decode(src))
    r = subprocess.run(cmd, env=env, capture_output=True)
    text = decode(r.stdout)
    text = re.sub(r".\x08", "", text)  # overstrike, should col -b not have run
    # horizontal rules (the Tcl/Tk macros' .BS/.BE boxes, drawn as underscores) are layout, not text
    text = "\n".join(line.rstrip() for line in text.splitlines() if not RULE.fullmatch(line))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def strip_roff(src):
    """A last resort when neither man nor groff is installed: macros dropped, their text kept."""
    out = []
    for line in src.splitlines():
        if line.startswith(('.\\"', "'\\\"")) or re.match(r"\.(TH|PD|IX|ad|na|nh|hy|ne|so|ds|de)\b", line):
            continue
        m = re.match(r"\.(SH|SS|B|I|BR|IR|RB|BI|IB|TP|IP|PP|LP|P|HP|RS|RE|br|sp|nf|fi)\b\s*(.*)", line)
        if m:
            line = m.group(2).replace('"', "")
        elif line.startswith("."):
            continue
        line = re.sub(r"\\f[BIRP]|\\f\(..|\\&|\\c", "", line)
        line = line.replace("\\-", "-").replace("\\(em", "—").replace("\\e", "\\")
        out.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n") + "\n"


# ----------------------------------------------------------------------------------------- main

def main():
    ensure_venv()
    import opencc

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "target/techtext.jsonl"))
    ap.add_argument("--debs", default=os.path.join(ROOT, "target/techtext-debs"))
    ap.add_argument("--unpinned", action="store_true", help="apt's candidate versions, not the pins")
    ap.add_argument("--only", nargs="*", help="only these packages")
    args = ap.parse_args()
    os.makedirs(args.debs, exist_ok=True)
    s2twp = opencc.OpenCC("s2twp")

    stats = collections.OrderedDict()
    skipped = collections.Counter()
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as out, tempfile.TemporaryDirectory() as tmp:
        for package, version, pattern, kind in PACKAGES:
            if args.only and package not in args.only:
                continue
            assert not HELD_OUT.search(package), package
            deb = fetch(package, version, args.debs, args.unpinned)
            actual = deb_field(deb, "Version")
            copyright_name = f"./usr/share/doc/{package}/copyright"
            files = members(deb, pattern, extra={copyright_name})
            copyright_text = decode(files.pop(copyright_name, b""))
            with open(deb, "rb") as f:
                sha = hashlib.sha256(f.read()).hexdigest()
            docs = chars = 0
            for name in sorted(files):
                text = html_text(files[name]) if kind == "html" else man_text(files[name], tmp)
                if text is None or not text.strip():
                    skipped[package] += 1
                    continue
                text = s2twp.convert(text)
                rec = {"id": f"{package}/{name[2:]}", "text": text, "source": f"{package} {actual}",
                       "license": licence_for(copyright_text, name)}
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                docs += 1
                chars += len(text)
            stats[package] = (actual, docs, chars, sha)

    total_docs = sum(v[1] for v in stats.values())
    total_chars = sum(v[2] for v in stats.values())
    print(f"{args.out}: {total_docs} documents, {total_chars:,} characters (OpenCC s2twp)")
    for package, (version, docs, chars, sha) in stats.items():
        extra = f", {skipped[package]} skipped (alias/empty)" if skipped[package] else ""
        print(f"  {package:30} {version:18} {docs:5} docs {chars:10,} chars{extra}  deb sha256 {sha[:16]}")


if __name__ == "__main__":
    main()
