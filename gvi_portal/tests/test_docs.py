"""The repository explains itself: docs/ holds the design, its links resolve inside the repository, and the
code points there, never at notes kept outside it."""

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted((ROOT / "docs").glob("*.md"))
# [text](target) and [text]: target; images too. Code spans are removed first (they hold example syntax).
INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
SKIPPED_DIRS = {".git", ".venv", "var", "staticfiles", "node_modules", "__pycache__", ".mypy_cache", ".ruff_cache"}


def links(markdown: str) -> list[str]:
    text = CODE.sub("", markdown)
    return INLINE_LINK.findall(text) + REFERENCE_LINK.findall(text)


def relative_targets(path: Path) -> list[str]:
    return [
        target
        for target in links(path.read_text(encoding="utf-8"))
        if not re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) and not target.startswith("#")
    ]


def test_the_docs_exist_and_the_readme_links_them():
    names = {path.name for path in DOCS}
    assert {"README.md", "architecture.md", "access-model.md", "performance.md"} <= names
    readme_targets = relative_targets(ROOT / "README.md")
    assert "docs/README.md" in readme_targets or "docs/" in readme_targets
    index_targets = relative_targets(ROOT / "docs" / "README.md")
    for name in ("architecture.md", "access-model.md", "performance.md"):
        assert name in index_targets


def test_the_link_finder_finds_links():
    sample = 'See [a](docs/a.md), ![img](b.png "t"), [c](https://x.invalid), `[no](code.md)`.\n\n[ref]: ../r.md\n'
    assert links(sample) == ["docs/a.md", "b.png", "https://x.invalid", "../r.md"]


@pytest.mark.parametrize("path", [ROOT / "README.md", *DOCS], ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_resolves_inside_the_repository(path):
    broken = []
    for target in relative_targets(path):
        file_part = target.split("#", 1)[0]
        resolved = (path.parent / file_part).resolve()
        if not resolved.is_relative_to(ROOT) or not resolved.exists():
            broken.append(target)
    assert broken == [], f"{path.relative_to(ROOT)} links outside the repository or to nothing: {broken}"


def test_nothing_points_at_notes_outside_the_repository():
    # Spelled in two halves so this file does not match itself.
    forbidden = ("DESIGN" + ".md", "CONVENTIONS" + ".md", "../" + "shared")
    found = []
    for directory, subdirs, files in os.walk(ROOT):
        subdirs[:] = [name for name in subdirs if name not in SKIPPED_DIRS]
        for name in files:
            path = Path(directory) / name
            if path.suffix in {".pyc", ".mo", ".sqlite3", ".png", ".ico", ".woff", ".woff2"}:
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            found += [f"{path.relative_to(ROOT)}: {note}" for note in forbidden if note in text]
    assert found == [], "Point at docs/ instead:\n" + "\n".join(found)
