"""Check the wheel of the addon: its name, and that it carries the addon and no
development file (see scripts/build_backend.py).

Usage: check_wheel.py [WHEEL]; without WHEEL, builds the wheel of the checkout
(the current folder) as `pip wheel --no-deps .` does, without network.
"""

import re
import sys
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

sys.path.insert(0, str(Path(__file__).parent))
from build_backend import ADDON_NAME, build_wheel, is_development_file  # noqa: E402

WHEEL_NAME_RE = re.compile(
    rf"^odoo_addon_{ADDON_NAME}-18\.0\.\d+\.\d+\.\d+(\.\d+)*-py3-none-any\.whl$"
)
ADDON_PREFIX = f"odoo/addons/{ADDON_NAME}/"
REQUIRED = (
    "__init__.py",
    "__manifest__.py",
    "README.rst",
    "hooks.py",
    "security/ir.model.access.csv",
    "static/description/icon.png",
    "i18n/zh_CN.po",
    "i18n/zh_TW.po",
)
# Top-level development files and folders, named here independently of the
# backend's list.
NOT_SHIPPED = (
    ".editorconfig",
    ".pre-commit-config.yaml",
    ".pylintrc-mandatory",
    ".ruff.toml",
    "Makefile",
    "README.md",
    "package-lock.json",
    "package.json",
    "node_modules",
    "scripts",
)


def main(wheel):
    problems = []
    if not WHEEL_NAME_RE.match(Path(wheel).name):
        problems.append(f"unexpected wheel name {Path(wheel).name}")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    addon_files = [n[len(ADDON_PREFIX) :] for n in names if n.startswith(ADDON_PREFIX)]
    others = [
        n
        for n in names
        if not n.startswith(ADDON_PREFIX)
        and not PurePosixPath(n).parts[0].endswith(".dist-info")
    ]
    problems += [f"missing {f}" for f in REQUIRED if f not in addon_files]
    problems += [f"development file {f}" for f in addon_files if is_development_file(f)]
    problems += [
        f"development file {f}"
        for f in addon_files
        if PurePosixPath(f).parts[0] in NOT_SHIPPED
    ]
    problems += [f"outside the addon: {f}" for f in others]
    problems += [f"compiled file {f}" for f in addon_files if "__pycache__" in f]
    if problems:
        print("\n".join(problems))
        return 1
    print(f"{Path(wheel).name}: {len(addon_files)} files of the addon")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit(main(sys.argv[1]))
    with tempfile.TemporaryDirectory() as wheel_dir:
        sys.exit(main(str(Path(wheel_dir) / build_wheel(wheel_dir))))
