"""A few ops called directly as functions on tiny sources: parse, check_indentation, list_imports, compare_tests."""

from _redgreen_helper_ops.compare_tests import compare_tests
from _redgreen_helper_ops.imports import list_imports
from _redgreen_helper_ops.indentation import check_indentation
from _redgreen_helper_ops.parse import parse


def test_parse_accepts_good_source_and_locates_a_syntax_error():
    assert parse("x = 1\n") == {"ok": True, "warnings": []}
    bad = parse("def f(:\n    pass\n")
    assert bad["ok"] is False and bad["error"] == "SyntaxError" and bad["line"] == 1


def test_parse_compiles_by_default():
    assert parse("return 1\n")["ok"] is False  # the parser accepts it, the compiler does not
    assert parse("return 1\n", compile_check=False)["ok"] is True


def test_check_indentation_reports_the_style_width_and_lines_off_the_convention():
    clean = check_indentation("def f():\n    if x:\n        return 1\n")
    assert (clean["ok"], clean["style"], clean["width"], clean["minorityLines"]) == (True, "spaces", 4, [])
    mixed = check_indentation("def f():\n    x = 1\n    y = 2\nclass C:\n\tz = 3\n")
    assert (mixed["style"], mixed["minorityLines"]) == ("mixed", [5])
    broken = check_indentation("def f():\n        x = 1\n    y = 2\n")
    assert broken["ok"] is False and broken["line"] == 3


def test_list_imports_reports_scope_and_import_error_guards():
    found = list_imports("import os\ntry:\n    from json import dumps as d\nexcept ImportError:\n    d = None\n")
    imports = found["imports"]
    assert [(i["module"], i["kind"], i["guarded"]) for i in imports] == [("os", "import", False), ("json", "from", True)]
    assert imports[1]["names"] == [["dumps", "d"]]


def test_compare_tests_finds_a_removed_assert_and_accepts_an_added_import():
    original = "def test_a():\n    assert f() == 2\n"
    weakened = compare_tests(original, "def test_a():\n    f()\n")
    assert weakened["parsed"] is True and weakened["weakenings"]
    same = compare_tests(original, "import os\n" + original)
    assert same["weakenings"] == [] and same["importOnly"] is True


def test_compare_tests_falls_back_to_text_when_a_side_does_not_parse():
    result = compare_tests("def test_a():\n    assert x\n", "def test_a(:\n")
    assert result["parsed"] is False and result["importOnly"] is False
    assert result["weakenings"]
