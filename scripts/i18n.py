"""Keep i18n/ current: export the .pot from Odoo, merge it into each .po.

    scripts/i18n.sh            # export i18n/customer_relationship.pot, merge .po files
    scripts/i18n.sh --check    # exit 1 if the .pot or a .po is out of date

The .po files keep their translations by msgid (and context); new terms get an
empty msgstr, terms gone from the .pot are dropped.
"""

import argparse
import sys
from pathlib import Path

import polib

ADDON_DIR = Path(__file__).resolve().parent.parent
I18N = ADDON_DIR / "i18n"
LANGUAGES = {"zh_CN": "Chinese (Simplified)", "zh_TW": "Chinese (Traditional)"}


def _key(entry):
    return (entry.msgctxt, entry.msgid)


def _without_dates(text):
    """The file's text without its creation and revision dates."""
    return "\n".join(
        line
        for line in text.splitlines()
        if not line.startswith(('"POT-Creation-Date:', '"PO-Revision-Date:'))
    )


def merge(pot, po_path, lang):
    old = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
    translations = {_key(e): e for e in old if not e.obsolete}
    po = polib.POFile(wrapwidth=78)
    po.header = pot.header
    po.metadata = dict(pot.metadata)
    po.metadata.update(
        {
            "Language": lang,
            "Language-Team": LANGUAGES[lang],
            "Plural-Forms": "nplurals=1; plural=0;",
        }
    )
    for entry in pot:
        new = polib.POEntry(
            msgid=entry.msgid,
            msgctxt=entry.msgctxt,
            msgstr="",
            occurrences=entry.occurrences,
            comment=entry.comment,
            tcomment=entry.tcomment,
            flags=list(entry.flags),
        )
        previous = translations.get(_key(entry))
        if previous is not None:
            new.msgstr = previous.msgstr
        po.append(new)
    return po


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pot", required=True, help="freshly exported .pot")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    fresh = polib.pofile(args.pot, wrapwidth=78)
    pot_path = I18N / "customer_relationship.pot"
    targets = {pot_path: fresh}
    for lang in LANGUAGES:
        po_path = I18N / (lang + ".po")
        targets[po_path] = merge(fresh, po_path, lang)
    stale = []
    for path, content in targets.items():
        text = str(content)
        if not path.exists() or _without_dates(path.read_text(encoding="utf-8")) != (
            _without_dates(text)
        ):
            stale.append(path)
            if not args.check:
                path.write_text(text, encoding="utf-8")
    if args.check:
        for path in stale:
            sys.stderr.write(
                "%s is out of date: run bash scripts/i18n.sh\n"
                % path.relative_to(ADDON_DIR)
            )
        return 1 if stale else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
