"""Python's "Did you mean" (CPython's Levenshtein distance and candidate rule); also loaded by the pytest plugin.

The distance and `_closest` are CPython 3.12+'s traceback.TracebackException rule (3.10/3.11 compute it only in C
while printing); `_suggest` is the name_suggestion op's variant. Python 3.8+ stdlib only: the pytest plugin loads
this file by path inside the project's pytest.
"""

import sys


_MOVE_COST = 2
_CASE_COST = 1
_MAX_CANDIDATES = 750
_MAX_STRING = 40


def _substitution_cost(a, b):
    if a == b:
        return 0
    if a.lower() == b.lower():
        return _CASE_COST
    return _MOVE_COST


def _levenshtein(a, b, max_cost):
    """CPython's traceback suggestion distance (case changes cost 1, other edits 2), capped at max_cost+1."""
    if a == b:
        return 0
    while a and b and a[0] == b[0]:
        a, b = a[1:], b[1:]
    while a and b and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    if not a or not b:
        return (len(a) + len(b)) * _MOVE_COST
    if len(a) > _MAX_STRING or len(b) > _MAX_STRING:
        return max_cost + 1
    if len(b) < len(a):
        a, b = b, a
    if (len(b) - len(a)) * _MOVE_COST > max_cost:
        return max_cost + 1
    row = list(range(_MOVE_COST, _MOVE_COST * (len(a) + 1), _MOVE_COST))
    result = 0
    for bindex in range(len(b)):
        bchar = b[bindex]
        distance = result = bindex * _MOVE_COST
        minimum = sys.maxsize
        for index in range(len(a)):
            substitute = distance + _substitution_cost(bchar, a[index])
            distance = row[index]
            insert_delete = min(result, distance) + _MOVE_COST
            result = min(insert_delete, substitute)
            row[index] = result
            if result < minimum:
                minimum = result
        if minimum > max_cost:
            return max_cost + 1
    return result


def _one_swap(a, b):
    """Whether b is a with two adjacent letters swapped (`slef` for `self`): one slip of the fingers."""
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def _suggest(wrong, candidates):
    """(best, runner-up distance, best distance): Python's rule, plus whether the best is unique. A swap of two
    adjacent letters costs one substitution (Python's rule counts two, too far for a short name like `slef`)."""
    scored = []
    for cand in list(candidates)[: _MAX_CANDIDATES * 4]:
        if cand == wrong:
            continue
        max_distance = (len(cand) + len(wrong) + 3) * _MOVE_COST // 6
        d = _MOVE_COST if _one_swap(wrong, cand) else _levenshtein(wrong, cand, max_distance)
        if d <= max_distance:
            scored.append((d, cand))
    scored.sort()
    if not scored:
        return None, None, None
    best_d, best = scored[0]
    runner = scored[1][0] if len(scored) > 1 else None
    return best, runner, best_d


def _closest(names, wrong_name):
    """CPython's suggestion for `wrong_name` among `names`: the first name at the smallest distance, or None."""
    if len(names) > _MAX_CANDIDATES:
        return None
    wrong_len = len(wrong_name)
    if wrong_len > _MAX_STRING:
        return None
    best = wrong_len
    suggestion = None
    for name in names:
        if name == wrong_name:
            continue
        max_distance = (len(name) + wrong_len + 3) * _MOVE_COST // 6
        max_distance = min(max_distance, best - 1)
        distance = _levenshtein(wrong_name, name, max_distance)
        if distance > max_distance:
            continue
        if not suggestion or distance < best:
            suggestion = name
            best = distance
    return suggestion
