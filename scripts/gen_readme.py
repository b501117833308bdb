"""Generate README.rst and static/description/index.html from readme/*.md.

OCA generates an addon's README with oca-gen-addon-readme, which is not
published on PyPI; this does the same job for our fragments (a subset of
Markdown: headings, paragraphs, lists, emphasis, inline code, links, images).

    python scripts/gen_readme.py          # write the files
    python scripts/gen_readme.py --check  # exit 1 if they are out of date
"""

import argparse
import ast
import re
import sys
import unicodedata
from pathlib import Path

ADDON_DIR = Path(__file__).resolve().parent.parent
SECTIONS = [
    ("DESCRIPTION.md", None),
    ("INSTALL.md", "Installation"),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
]
MATURITY_COLOURS = {
    "Alpha": "red",
    "Beta": "yellow",
    "Production/Stable": "green",
    "Mature": "brightgreen",
}
UNDERLINES = {1: "=", 2: "-", 3: "~", 4: "^"}
# Images of readme/*.md point to ../static/description/ (right when reading the
# fragment itself). README.rst, at the root, needs static/description/ (GitHub);
# index.html, in that folder, needs the bare file name: the file opens as is, and
# Odoo's Apps page turns a bare name into /<addon>/static/description/<name>.
IMAGE_DIR = "../static/description/"
RST_IMAGE_BASE = "static/description/"
HTML_IMAGE_BASE = ""


def md_inline(text):
    text = re.sub(r"`([^`]+)`", r"``\1``", text)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"`\1 <\2>`_", text)
    return text


def image_path(path, image_base):
    if path.startswith(IMAGE_DIR):
        return image_base + path[len(IMAGE_DIR) :]
    return path


def md_to_rst(markdown, level_offset=0, image_base=RST_IMAGE_BASE):
    out = []
    for line in markdown.splitlines():
        image = re.match(r"^!\[([^\]]*)\]\(([^)]+)\)\s*$", line)
        heading = re.match(r"^(#+)\s+(.*)$", line)
        if image:
            out += [
                ".. image:: " + image_path(image.group(2), image_base),
                "   :alt: " + image.group(1),
            ]
        elif heading:
            title = md_inline(heading.group(2).strip())
            level = min(len(heading.group(1)) + level_offset, 4)
            out += [title, UNDERLINES[level] * width(title)]
        else:
            out.append(md_inline(line))
    return "\n".join(out).strip() + "\n"


def width(text):
    """Columns ``text`` takes, as docutils counts them (wide East Asian
    characters, as in Chinese headings, take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def title(text, char, overline=False):
    bar = char * width(text)
    return "\n".join(([bar] if overline else []) + [text, bar]) + "\n"


def build_rst(image_base=RST_IMAGE_BASE):
    manifest = ast.literal_eval((ADDON_DIR / "__manifest__.py").read_text())
    readme = ADDON_DIR / "readme"
    status = manifest.get("development_status", "Beta")
    parts = [
        title(manifest["name"], "=", overline=True),
        ".. |badge1| image:: https://img.shields.io/badge/maturity-%s-%s.png\n"
        "    :target: https://odoo-community.org/page/development-status\n"
        "    :alt: %s\n"
        ".. |badge2| image:: https://img.shields.io/badge/license-%s-blue.png\n"
        "    :target: http://www.gnu.org/licenses/lgpl-3.0-standalone.html\n"
        "    :alt: License: %s\n"
        % (
            status.replace("/", "%2F"),
            MATURITY_COLOURS.get(status, "yellow"),
            status,
            manifest["license"].replace("-", "--"),
            manifest["license"],
        ),
        "|badge1| |badge2|\n",
    ]
    for filename, heading in SECTIONS:
        path = readme / filename
        if not path.exists():
            continue
        if heading is None:
            parts.append(md_to_rst(path.read_text(encoding="utf-8"), 1, image_base))
            parts.append("**Table of contents**\n\n.. contents::\n   :local:\n")
        else:
            parts.append(title(heading, "="))
            parts.append(md_to_rst(path.read_text(encoding="utf-8"), 1, image_base))
    parts.append(title("Credits", "="))
    parts.append(title("Authors", "-"))
    parts.append(
        "\n".join("* " + a.strip() for a in manifest["author"].split(",")) + "\n"
    )
    contributors = readme / "CONTRIBUTORS.md"
    if contributors.exists():
        parts.append(title("Contributors", "-"))
        parts.append(md_to_rst(contributors.read_text(encoding="utf-8")))
    parts.append(title("Maintainers", "-"))
    parts.append(
        "This module is maintained by %s.\n\n"
        "This module is part of the `customer_relationship <%s>`_ project.\n"
        % (", ".join(manifest.get("maintainers", [])), manifest["website"])
    )
    return "\n".join(parts)


def build_html(rst):
    from docutils.core import publish_string

    html = publish_string(
        rst,
        writer_name="html5",
        settings_overrides={
            "embed_stylesheet": False,
            "stylesheet_path": [],
            "report_level": 2,
            "halt_level": 2,
            "output_encoding": "unicode",
            "datestamp": False,
            "generator": False,
        },
    )
    return html


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    rst = build_rst()
    html = build_html(build_rst(HTML_IMAGE_BASE))
    targets = {
        ADDON_DIR / "README.rst": rst,
        ADDON_DIR / "static" / "description" / "index.html": html,
    }
    stale = [
        path
        for path, content in targets.items()
        if not path.exists() or path.read_text(encoding="utf-8") != content
    ]
    if args.check:
        for path in stale:
            sys.stderr.write(
                "%s is out of date: run python scripts/gen_readme.py\n"
                % path.relative_to(ADDON_DIR)
            )
        return 1 if stale else 0
    for path in stale:
        path.write_text(targets[path], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
