"""Build steps that pyproject.toml cannot declare: the metadata lives there.

A wheel must serve the site as a checkout does: its message catalogues compiled (the .mo files
are build output, never committed) and the top-level templates/ and static/ shipped inside the
package, where `transparency.create_app` looks when there is no checkout around it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED_FOLDERS = ("templates", "static")


class BuildWithCatalogues(build_py):
    """build_py, then the compiled catalogues and the site's templates and static files."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the checkout itself
            return
        package = Path(self.build_lib) / "transparency"
        compile_catalogues(ROOT / "transparency" / "translations", package / "translations")
        for folder in SHIPPED_FOLDERS:
            target = package / folder
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(ROOT / folder, target, ignore=shutil.ignore_patterns("*~", ".*"))


def compile_catalogues(source: Path, target: Path) -> None:
    # Imported here: babel is a build requirement, not something setup.py needs to be read.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in sorted(source.glob("*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        mo_path = target / po_path.relative_to(source).with_suffix(".mo")
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog)


setup(cmdclass={"build_py": BuildWithCatalogues})
