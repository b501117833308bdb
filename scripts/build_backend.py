"""PEP 517 build backend: whool, run on a clean copy of the addon.

whool names the distribution after the folder it builds in and packs every file
git tracks. This repository is the addon, but it also holds development files
(scripts, CI, linters' configuration, the developer readme) and may be checked
out in a folder of any name. So this backend copies the tracked files, minus the
development files, into a temporary folder named after the addon, with a
PKG-INFO giving the distribution name and the version whool computes from git in
the checkout, and lets whool build there, exactly as it builds an sdist.

The sdist it makes builds with whool alone: its pyproject.toml names whool as
backend, its PKG-INFO carries the name and version.
"""

import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from email.generator import Generator
from email.message import Message
from pathlib import Path, PurePosixPath

from manifestoo_core.metadata import metadata_from_addon_dir
from whool import buildapi as whool
from whool.utils import load_pyproject_toml

ADDON_NAME = "customer_relationship"
DISTRIBUTION_NAME = "odoo-addon-" + ADDON_NAME
# Top-level files and folders used to develop the addon, not to run it.
DEVELOPMENT_PATHS = frozenset(
    {
        "Makefile",
        "README.md",  # the developer readme; README.rst is the addon's
        "benchmarks",
        "node_modules",  # npm ci's, for the pre-commit hooks; not tracked
        "package-lock.json",
        "package.json",
        "pyproject.toml",  # replaced by the one of the staged copy
        "readme",  # sources of README.rst and static/description/index.html
        "scripts",
    }
)
STAGED_BUILD_SYSTEM = """\
[build-system]
requires = ["whool"]
build-backend = "whool.buildapi"
"""

__all__ = [
    "build_sdist",
    "build_wheel",
    "get_requires_for_build_sdist",
    "get_requires_for_build_wheel",
    "prepare_metadata_for_build_wheel",
]


def is_development_file(path):
    """Whether a path relative to the checkout is a development file: a
    top-level development path, or a dot file or folder (.ci, .gitignore,
    linters' configuration) at any depth."""
    parts = PurePosixPath(path).parts
    return parts[0] in DEVELOPMENT_PATHS or any(p.startswith(".") for p in parts)


def addon_files(source_dir):
    """The files of the addon in the checkout: what git tracks, minus the
    development files. Outside git (an exported tree), every file but caches."""
    try:
        output = subprocess.run(
            ["git", "ls-files", "-z"],
            cwd=source_dir,
            check=True,
            capture_output=True,
        ).stdout.decode()
        files = [f for f in output.split("\0") if f]
    except (OSError, subprocess.CalledProcessError):
        files = [
            path.relative_to(source_dir).as_posix()
            for path in source_dir.rglob("*")
            if path.is_file()
            and "__pycache__" not in path.parts
            and path.suffix not in (".pyc", ".pyo")
        ]
    return sorted(
        f for f in files if not is_development_file(f) and (source_dir / f).is_file()
    )


def staged_pyproject(source_dir):
    """The checkout's pyproject.toml with whool as the build backend: its
    [tool.whool] options stay; its [build-system] table is replaced."""
    kept, in_build_system = [], False
    text = (source_dir / "pyproject.toml").read_text(encoding="utf-8")
    for line in text.splitlines(keepends=True):
        header = line.strip()
        if header.startswith("[") and not header.startswith("[["):
            in_build_system = header == "[build-system]"
        if not in_build_system:
            kept.append(line)
    rest = "".join(kept).strip()
    return STAGED_BUILD_SYSTEM + ("\n" + rest + "\n" if rest else "")


def distribution_version(source_dir):
    """The version whool gives the addon in the checkout: the manifest's, plus
    the commits since it changed (whool's post-version strategy)."""
    options = load_pyproject_toml(source_dir).get("tool", {}).get("whool", {})
    override = os.getenv("WHOOL_POST_VERSION_STRATEGY_OVERRIDE")
    if override:
        options["post_version_strategy_override"] = override
    return metadata_from_addon_dir(source_dir, options)["Version"]


@contextmanager
def staged_addon():
    """A clean copy of the addon, named after it, as the working directory."""
    source_dir = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="whool-staged-") as tmp:
        addon_dir = Path(tmp) / ADDON_NAME
        for name in addon_files(source_dir):
            target = addon_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source_dir / name, target)
        (addon_dir / "pyproject.toml").write_text(
            staged_pyproject(source_dir), encoding="utf-8"
        )
        pkg_info = Message()
        pkg_info["Metadata-Version"] = "2.1"
        pkg_info["Name"] = DISTRIBUTION_NAME
        pkg_info["Version"] = distribution_version(source_dir)
        with open(addon_dir / "PKG-INFO", "w", encoding="utf-8") as f:
            Generator(f, mangle_from_=False, maxheaderlen=0).flatten(pkg_info)
        os.chdir(addon_dir)
        try:
            yield
        finally:
            os.chdir(source_dir)


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    metadata_directory = os.path.abspath(metadata_directory)
    with staged_addon():
        return whool.prepare_metadata_for_build_wheel(
            metadata_directory, config_settings
        )


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    wheel_directory = os.path.abspath(wheel_directory)
    with staged_addon():
        return whool.build_wheel(wheel_directory, config_settings)


def build_sdist(sdist_directory, config_settings=None):
    sdist_directory = os.path.abspath(sdist_directory)
    with staged_addon():
        return whool.build_sdist(sdist_directory, config_settings)
