#!/usr/bin/env python3
"""The held-out set of issue #19: Debian's Traditional-Chinese man pages, laid out as five
contributions the way clerks lay out their files, for benches/validate-preview.sh.

    python3 benches/validate/make_manpages.py WORK     # then: benches/validate-preview.sh WORK/contribs/*

Downloads `manpages-zh` from Debian's archive (apt-get download; run `apt-get update` first on a
fresh machine), renders every zh_TW page with groff (`preconv | groff -Tutf8 -mandoc | col -b`),
and writes WORK/contribs/{man1-txt, man8-jsonl, all-csv, json-array, mixed}. Held out: the
project is measured on it and never tuned on it. The pages are GFDL-1.2 or later (the package's
copyright file), so the manifests say GFDL-1.3-or-later, an alias of the registry's GFDL-1.3.
Built first by a helper with its own scripts; this is the same layout in one file.
"""
import csv, glob, gzip, json, os, shutil, subprocess, sys

work = os.path.abspath(sys.argv[1])
os.makedirs(work, exist_ok=True)
if not glob.glob(os.path.join(work, "manpages-zh_*.deb")):
    subprocess.run(["apt-get", "download", "manpages-zh"], cwd=work, check=True)
deb = sorted(glob.glob(os.path.join(work, "manpages-zh_*.deb")))[-1]
pkg = os.path.join(work, "pkg")
subprocess.run(["dpkg-deb", "-x", deb, pkg], check=True)
root = os.path.join(pkg, "usr/share/man/zh_TW")


def render(raw: bytes) -> str:
    for enc in ("utf-8", "big5", "cp950"):
        try:
            src = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        src = raw.decode("utf-8", "replace")
    r = subprocess.run("preconv -e utf-8 | groff -Tutf8 -mandoc -P-cbou 2>/dev/null | col -b", shell=True,
                       input=src.encode(), capture_output=True, cwd=os.path.dirname(root), timeout=60)
    return r.stdout.decode("utf-8", "replace")


pages = []  # (section, page, text)
failed = 0
for sec in sorted(os.listdir(root)):
    for name in sorted(os.listdir(os.path.join(root, sec))):
        text = render(gzip.open(os.path.join(root, sec, name)).read())
        if text.strip():
            pages.append((sec, name[:-3] if name.endswith(".gz") else name, text))
        else:
            failed += 1
c = os.path.join(work, "contribs")
shutil.rmtree(c, ignore_errors=True)


def manifest(d, files, extra=""):
    os.makedirs(os.path.join(c, d), exist_ok=True)
    with open(os.path.join(c, d, "contribution.toml"), "w", encoding="utf-8") as f:
        f.write(f'id = "{d}"\ntitle = "Debian 中文手冊頁 ({d})"\ncontributor = "Chinese Man Pages Project"\n'
                f'licence = "GFDL-1.3-or-later"\nvisibility = "public"\nattribution = "manpages-zh"\n'
                f'language = "zh-Hant"\nfiles = {json.dumps(files)}\n{extra}')


m1 = [p for p in pages if p[0] == "man1"]
m8 = [p for p in pages if p[0] == "man8"]
rest = [p for p in pages if p[0] not in ("man1", "man8")]
manifest("man1-txt", ["*.txt"])
for _, page, text in m1:
    open(os.path.join(c, "man1-txt", page + ".txt"), "w", encoding="utf-8").write(text)
manifest("man8-jsonl", ["*.jsonl"], 'id_field = "id"\n')
with open(os.path.join(c, "man8-jsonl", "man8.jsonl"), "w", encoding="utf-8") as f:
    for _, page, text in m8:
        f.write(json.dumps({"id": page, "text": text}, ensure_ascii=False) + "\n")
manifest("all-csv", ["*.csv"], 'text_field = "內文"\nid_field = "編號"\n')
with open(os.path.join(c, "all-csv", "pages.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)  # QUOTE_MINIMAL, "\r\n" between rows, as Excel writes
    w.writerow(["編號", "標題", "內文"])
    for sec, page, text in pages:
        w.writerow([f"{sec}/{page}", page, text])
manifest("json-array", ["*.json"], 'id_field = "id"\n')
json.dump([{"id": page, "text": text} for _, page, text in rest[:50]],
          open(os.path.join(c, "json-array", "data.json"), "w", encoding="utf-8"), ensure_ascii=False, indent=2)
manifest("mixed", ["*.txt"])
for _, page, text in rest[50:]:
    open(os.path.join(c, "mixed", page + ".txt"), "w", encoding="utf-8").write(text)
english = subprocess.run("zcat /usr/share/man/man1/ls.1.gz | groff -Tutf8 -mandoc -P-cbou 2>/dev/null | col -b",
                         shell=True, capture_output=True).stdout.decode()
open(os.path.join(c, "mixed", "english-ls.txt"), "w", encoding="utf-8").write(english)
open(os.path.join(c, "mixed", "短.txt"), "w", encoding="utf-8").write("臺灣法規。")
open(os.path.join(c, "mixed", "menu.txt"), "w", encoding="utf-8").write("首頁 | 關於我們 | 聯絡我們\n" * 10)
print(f"{len(pages)} pages rendered, {failed} empty or failed; contributions in {c}")
