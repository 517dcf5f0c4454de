"""The warm op: it fills the project facts cache that import_plan reads, within the time it is given."""

import os

from _redgreen_helper_ops import _project
from _redgreen_helper_ops.warm import warm


def _project_tree(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "hashing.py").write_text("def checksum(text):\n    return sum(map(ord, text))\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_hashing.py").write_text(
        "from app.hashing import checksum\n\n\ndef test_it():\n    assert checksum('a') == 97\n"
    )
    return tmp_path


def _cached_rels(root):
    prefix = os.path.join(str(root), "")
    return sorted(path[len(prefix) :].replace(os.sep, "/") for path in _project._FACTS_CACHE if path.startswith(prefix))


def test_warm_reads_every_project_file_into_the_facts_cache(tmp_path, monkeypatch):
    root = _project_tree(tmp_path)
    monkeypatch.chdir(root)
    assert warm(budgetMs=60_000) == {"files": 3, "read": 3}
    assert _cached_rels(root) == ["app/__init__.py", "app/hashing.py", "tests/test_hashing.py"]
    assert _project._FACTS_CACHE[os.path.join(str(root), "app", "hashing.py")][1]["defines"] == {"checksum": "function"}


def test_warm_stops_when_its_time_is_up(tmp_path, monkeypatch):
    root = _project_tree(tmp_path)
    monkeypatch.chdir(root)
    assert warm(budgetMs=0) == {"files": 3, "read": 0}
    assert _cached_rels(root) == []
