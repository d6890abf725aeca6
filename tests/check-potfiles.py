#!/usr/bin/env python3
"""Checks po/POTFILES.in against the sources.

Fails when a source file with translatable strings (_( "...", N_(, C_(, or
translatable="yes" in a .ui file, or the translatable parts of desktop,
metainfo and schema files) is missing from POTFILES.in, and when
POTFILES.in lists a file that does not exist. With --translations it also
extracts the strings (xgettext, as the build does) and fails when a language
of po/LINGUAS leaves one untranslated or fuzzy.

    check-potfiles.py [--translations] SOURCE_ROOT
    check-potfiles.py --self-test
"""
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

# The keywords of meson's i18n.gettext(preset: 'glib').
XGETTEXT_ARGS = [
    "--from-code=UTF-8", "--add-comments", "--keyword=_", "--keyword=N_",
    "--keyword=C_:1c,2", "--keyword=NC_:1c,2", "--keyword=g_dcgettext:2",
    "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
]

SCANNED_DIRS = ("app", "ui", "data")
C_MARKERS = re.compile(r'\b(?:_|N_|C_|NC_|g_dngettext|ngettext)\s*\(')
UI_MARKER = re.compile(r'translatable\s*=\s*["\'](?:yes|true|1)["\']', re.IGNORECASE)


def needs_translation(path: pathlib.Path) -> bool:
    text = path.read_text(encoding="utf-8", errors="replace")
    name = path.name
    if name.endswith((".c", ".h")):
        # Strip comments so an example in a comment does not count.
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        text = re.sub(r"//[^\n]*", "", text)
        return bool(C_MARKERS.search(text))
    if name.endswith(".ui"):
        return bool(UI_MARKER.search(text))
    if name.endswith((".desktop.in", ".metainfo.xml.in", ".gschema.xml")):
        return True
    return False


def check_translations(root: pathlib.Path, listed: list) -> list:
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        pot = pathlib.Path(tmp) / "messages.pot"
        subprocess.run(["xgettext", *XGETTEXT_ARGS, "--directory", str(root),
                        "--output", str(pot), *listed], check=True)
        linguas = (root / "po" / "LINGUAS").read_text(encoding="utf-8").split()
        for lang in linguas:
            merged = pathlib.Path(tmp) / f"{lang}.po"
            subprocess.run(["msgmerge", "--quiet", "--no-fuzzy-matching", "--output-file",
                            str(merged), str(root / "po" / f"{lang}.po"), str(pot)], check=True)
            result = subprocess.run(["msgfmt", "--check", "--statistics", "--output-file",
                                     "/dev/null", str(merged)],
                                    capture_output=True, text=True)
            stats = result.stderr.strip()
            if result.returncode != 0:
                problems.append(f"po/{lang}.po: msgfmt --check fails: {stats}")
            elif "untranslated" in stats or "fuzzy" in stats:
                problems.append(f"po/{lang}.po is incomplete: {stats}")
            else:
                print(f"po/{lang}.po: {stats}")
    return problems


def self_test() -> int:
    """The check fails on an unlisted file and on a listed missing one."""
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        for folder in ("app", "ui", "data", "po"):
            (root / folder).mkdir()
        (root / "app" / "a.c").write_text('x = _("Hello");\n')
        (root / "app" / "b.ui").write_text('<property translatable="yes">Hi</property>\n')
        (root / "app" / "c.c").write_text("/* _(\"only in a comment\") */\n")
        (root / "po" / "POTFILES.in").write_text("app/a.c\napp/b.ui\n")
        assert check(root, False) == 0, "a complete list must pass"
        (root / "po" / "POTFILES.in").write_text("app/a.c\n")
        assert check(root, False) == 1, "an unlisted .ui file must fail"
        (root / "po" / "POTFILES.in").write_text("app/a.c\napp/b.ui\napp/gone.c\n")
        assert check(root, False) == 1, "a listed missing file must fail"
    print("self-test passed")
    return 0


def main() -> int:
    args = sys.argv[1:]
    if args == ["--self-test"]:
        return self_test()
    translations = "--translations" in args
    args = [a for a in args if a != "--translations"]
    root = pathlib.Path(args[0] if args else ".").resolve()
    return check(root, translations)


def check(root: pathlib.Path, translations: bool) -> int:
    potfiles = root / "po" / "POTFILES.in"
    listed = []
    for line in potfiles.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            listed.append(line)

    problems = []
    seen = set()
    for entry in listed:
        if entry in seen:
            problems.append(f"POTFILES.in lists {entry} twice")
        seen.add(entry)
        if not (root / entry).is_file():
            problems.append(f"POTFILES.in lists {entry}, which does not exist")

    for folder in SCANNED_DIRS:
        for path in sorted((root / folder).rglob("*")):
            if not path.is_file():
                continue
            relative = path.relative_to(root).as_posix()
            if needs_translation(path) and relative not in seen:
                problems.append(f"{relative} has translatable strings but is not in po/POTFILES.in")

    if translations and not problems:
        if shutil.which("xgettext") is None:
            print("xgettext not found: translations not checked")
        else:
            problems += check_translations(root, listed)

    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"po/POTFILES.in: {len(listed)} files, complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
