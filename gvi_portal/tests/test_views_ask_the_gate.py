"""Views never decide who may do what by comparing agency ids: they ask the gate (agencies/access.py) or a
service. This reads the source of every view and API module of every app in the project, so an app added
later (outreach, dashboards) is covered without touching this test. See docs/access-model.md.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

# Comparisons that decide something: `a == b`, `a != b`, `a in (b, c)`, `a is b` and their negations.
DECIDING_OPS = (ast.Eq, ast.NotEq, ast.In, ast.NotIn, ast.Is, ast.IsNot)


def _project_apps() -> list[Path]:
    root = Path(settings.BASE_DIR).resolve()
    return [Path(config.path) for config in apps.get_app_configs() if Path(config.path).resolve().is_relative_to(root)]


def view_modules() -> list[Path]:
    """Every module under an app's views/ and api/ packages (or a views.py / api.py module)."""
    modules: list[Path] = []
    for app_dir in _project_apps():
        for name in ("views", "api"):
            package = app_dir / name
            if package.is_dir():
                modules += sorted(package.rglob("*.py"))
            if (app_dir / f"{name}.py").is_file():
                modules.append(app_dir / f"{name}.py")
    return modules


def _names_an_agency_id(node: ast.AST) -> bool:
    """Whether an expression reads an agency's id: `x.owner_agency_id`, `actor.agency_id`, `agency.pk`,
    `self.context["agency_id"]` and the like, anywhere inside it (a tuple of them included)."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Attribute):
            if sub.attr.endswith("agency_id"):
                return True
            if sub.attr in ("pk", "id"):
                owner = sub.value
                owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
                if "agency" in owner_name:
                    return True
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and sub.value.endswith("agency_id"):
            return True
    return False


def agency_id_comparisons(source: str) -> list[tuple[int, str]]:
    """(line, code) of every comparison in `source` with an agency id on either side."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare) or not any(isinstance(op, DECIDING_OPS) for op in node.ops):
            continue
        if any(_names_an_agency_id(operand) for operand in (node.left, *node.comparators)):
            found.append((node.lineno, ast.get_source_segment(source, node) or ""))
    return found


@pytest.mark.parametrize(
    "snippet",
    [
        "is_owner = person.owner_agency_id == actor.agency_id",
        "if obj.owner_agency_id != actor.agency_id: pass",
        "ok = actor.agency_id in (task.assignee_agency_id, case.owner_agency_id)",
        "mine = record.from_agency_id == request.user.membership.agency.pk",
        'own = entry.owner_agency_id == self.context["agency_id"]',
        "lead = case.owner_agency == agency.pk",
    ],
)
def test_the_check_catches_a_view_that_compares_agency_ids(snippet):
    assert agency_id_comparisons(snippet), snippet


@pytest.mark.parametrize(
    "snippet",
    [
        "is_owner = access.owns(request.user, person)",
        "qs = Share.objects.filter(from_agency_id=actor.agency_id)",
        "audit.record_list(user=user, agency_id=actor.agency_id, model=Model, objects=rows)",
        "if entry.kind == EntryKind.NEEDS: pass",
    ],
)
def test_the_check_leaves_questions_to_the_gate_alone(snippet):
    assert agency_id_comparisons(snippet) == []


def test_the_walk_finds_every_apps_views_and_api():
    modules = {path.relative_to(settings.BASE_DIR).as_posix() for path in view_modules()}
    for expected in (
        "cases/views/detail.py",
        "cases/api/views.py",
        "agencies/views/shares.py",
        "agencies/api/views.py",
    ):
        assert expected in modules


def test_no_view_or_api_module_compares_agency_ids():
    offenders = []
    for path in view_modules():
        for line, code in agency_id_comparisons(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{line}: {code}")
    assert offenders == [], (
        "Views ask the gate (access.owns, access.can, access.can_each, access.acts_for, access.may_revoke) or a "
        "service instead of comparing agency ids:\n" + "\n".join(offenders)
    )
