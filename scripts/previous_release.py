"""The previous release of the addon in the checkout's git history, for
scripts/check_upgrade.sh: the latest commit, following first parents from HEAD,
whose __manifest__.py has a lower version than the checkout's.

Prints "<commit> <version>". Prints a reason on stderr and exits 1 when the
history holds no lower version (a shallow clone, or no release before).
"""

import ast
import subprocess
import sys
from pathlib import Path

ADDON_DIR = Path(__file__).resolve().parent.parent
MANIFEST = "__manifest__.py"


def git(*args):
    return subprocess.run(
        ["git", "-C", str(ADDON_DIR), *args], capture_output=True, text=True
    )


def version(manifest_source):
    """The manifest's version as a tuple of numbers, and as written."""
    text = ast.literal_eval(manifest_source)["version"]
    return tuple(int(part) for part in text.split(".")), text


def main():
    current, current_text = version((ADDON_DIR / MANIFEST).read_text("utf-8"))
    if git("rev-parse", "--verify", "-q", "HEAD").returncode:
        print(f"{ADDON_DIR} is not a git checkout with commits", file=sys.stderr)
        return 1
    # HEAD (the checkout may bump the version before committing it), then the
    # parent of each commit that changed the manifest, newest first.
    changes = git("rev-list", "--first-parent", "HEAD", "--", MANIFEST).stdout.split()
    for rev in ["HEAD"] + [f"{commit}^1" for commit in changes]:
        shown = git("show", f"{rev}:./{MANIFEST}")
        if shown.returncode:
            # The first commit, or the end of a shallow clone's history.
            break
        older, older_text = version(shown.stdout)
        if older < current:
            print(git("rev-parse", rev).stdout.strip(), older_text)
            return 0
    print(
        f"no version lower than {current_text} in the git history "
        f"({'shallow clone' if is_shallow() else 'no earlier release'})",
        file=sys.stderr,
    )
    return 1


def is_shallow():
    return git("rev-parse", "--is-shallow-repository").stdout.strip() == "true"


if __name__ == "__main__":
    sys.exit(main())
