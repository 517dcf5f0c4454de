"""_suggest: CPython's "Did you mean" distance, its candidate rule (_closest) and the name_suggestion variant (_suggest)."""

import pytest

from _redgreen_helper_ops._suggest import _closest, _levenshtein, _suggest


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("total", "total", 0),
        ("Total", "total", 1),  # a case change costs 1
        ("totl", "total", 2),  # an insertion costs 2
        ("tital", "total", 2),  # a substitution costs 2
        ("", "abc", 6),
        ("abc", "", 6),
        ("prefix_a_suffix", "prefix_b_suffix", 2),  # the common prefix and suffix cost nothing
    ],
)
def test_levenshtein_distances(a, b, expected):
    assert _levenshtein(a, b, 100) == expected


def test_levenshtein_stops_past_the_cap():
    assert _levenshtein("abcdef", "uvwxyz", 3) == 4
    assert _levenshtein("a" * 41 + "x", "a" * 41 + "yz", 100) == 4  # the common prefix is stripped first
    assert _levenshtein("x" + "a" * 41, "yz" + "b" * 41, 5) == 6  # longer than 40 characters: over the cap


def test_closest_picks_the_nearest_name():
    assert _closest(["print", "total", "items"], "totl") == "total"
    assert _closest(["Total", "totals"], "total") == "Total"  # a case change (1) beats an insertion (2)


def test_closest_keeps_the_first_of_equal_distances_and_skips_the_name_itself():
    assert _closest(["totel", "tatal"], "total") == "totel"
    assert _closest(["total"], "total") is None


def test_closest_declines_far_names_and_oversized_inputs():
    assert _closest(["completely_different"], "x") is None
    assert _closest(["total"] + ["n%d" % i for i in range(750)], "totl") is None  # more than 750 candidates
    assert _closest(["a" * 41], "a" * 42) is None  # a name longer than 40 characters


def test_suggest_returns_best_runner_up_and_distance():
    assert _suggest("totl", ["total", "totals", "unrelated"]) == ("total", 4, 2)
    assert _suggest("totl", ["total"]) == ("total", None, 2)
    assert _suggest("zzz", ["total"]) == (None, None, None)


def test_suggest_counts_a_swap_of_adjacent_letters_as_one_substitution():
    best, runner, distance = _suggest("slef", ["self", "shelf"])
    assert (best, distance) == ("self", 2)
    assert runner is not None and runner > 2
