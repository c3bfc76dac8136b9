"""The layers of the README's Architecture section hold: each app imports only those below it."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")


def layers():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    # "public | organisers": siblings in one layer, which may not import each other either.
    return [
        package.strip()
        for layer in config["contracts"][0]["layers"]
        for package in layer.split("|")
    ]


def lint_imports(cwd):
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_every_app_imports_only_the_layers_below_it():
    result = lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_upward_import_inside_a_function_breaks_the_build(tmp_path):
    for package in layers():
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    models = tmp_path / "conference" / "models.py"
    models.write_text(
        models.read_text()
        + "\n\ndef upward():\n    from public.pages import get_conference\n\n    return get_conference\n"
    )

    result = lint_imports(tmp_path)

    assert result.returncode == 1
    assert "0 kept, 1 broken" in result.stdout
    assert "conference.models -> public.pages" in result.stdout


def test_the_readme_maps_every_app_folder_in_layer_order():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    mapped = re.findall(r"^\| `(\w+)/` \|", section, flags=re.MULTILINE)
    python_folders = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"tests", "bench"}
    }

    assert mapped == layers()
    assert set(mapped) == python_folders
