#!/usr/bin/env python3
"""Compares two sets of real-world corpus reports written by scan.sh: per corpus and rule, how many findings
each build reported, and (with --show) examples of what appeared and disappeared, and the input errors that
appeared or disappeared."""
import collections
import json
import os
import sys


def load(folder, corpus):
    path = os.path.join(folder, corpus + ".json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def key(f):
    return (f["slug"], f["file"], f["line"], f.get("container"), f["severity"])


def main():
    args = sys.argv[1:]
    show, rule = 0, None
    if "--show" in args:
        i = args.index("--show"); show = int(args[i + 1]); del args[i:i + 2]
    if "--rule" in args:
        i = args.index("--rule"); rule = args[i + 1]; del args[i:i + 2]
    before_dir, after_dir = args
    for corpus in ("compose", "dockerfiles", "kubernetes"):
        before, after = load(before_dir, corpus), load(after_dir, corpus)
        if before is None or after is None:
            continue
        print(f"== {corpus}: findings {before['summary']['findings']} -> {after['summary']['findings']}, "
              f"errors {before['summary']['errors']} -> {after['summary']['errors']}, "
              f"warnings {before['summary'].get('warnings', 0)} -> {after['summary'].get('warnings', 0)}, "
              f"files {before['summary']['files']} -> {after['summary']['files']}, "
              f"objects {before['summary']['objects']} -> {after['summary']['objects']}")
        cb = collections.Counter((f["slug"], f["severity"]) for f in before["findings"])
        ca = collections.Counter((f["slug"], f["severity"]) for f in after["findings"])
        for k in sorted(set(cb) | set(ca)):
            if cb[k] != ca[k] and (rule is None or k[0] == rule):
                print(f"  {k[0]:40} {k[1]:9} {cb[k]:6} -> {ca[k]:6} ({ca[k] - cb[k]:+d})")
        if show:
            kb = collections.Counter(key(f) for f in before["findings"] if rule is None or f["slug"] == rule)
            ka = collections.Counter(key(f) for f in after["findings"] if rule is None or f["slug"] == rule)
            msgs = {key(f): f["message"] for f in before["findings"] + after["findings"]}
            gone, new = list((kb - ka).elements()), list((ka - kb).elements())
            for label, items in (("gone", gone), ("new", new)):
                for k in items[:show]:
                    print(f"    {label}: {k[0]} {k[4]} {k[1]}:{k[2]} {msgs[k][:160]}")
        eb = {(e["file"], e["message"]) for e in before["errors"]}
        ea = {(e["file"], e["message"]) for e in after["errors"]}
        for label, items in (("error gone", eb - ea), ("error new", ea - eb)):
            for e in sorted(items)[: show or 5]:
                print(f"    {label}: {e[0]}: {e[1][:160]}")


if __name__ == "__main__":
    main()
