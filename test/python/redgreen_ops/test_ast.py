"""_ast: the AST helpers the ops share (parents, end lines, node text, own nodes, functions by line, dotted names)."""

import ast

from _redgreen_helper_ops._ast import _char_col, _dotted_parts, _end, _functions, _innermost_function, _own_nodes, _parents, _segment

SOURCE = """class Cart:
    def total(self):
        def inner():
            return 1
        return sum(
            self.items,
        )


async def fetch():
    return await get()
"""


def test_parents_maps_each_child_to_its_node():
    tree = ast.parse("x = f(y)\n")
    parents = _parents(tree)
    call = tree.body[0].value
    assert parents[call] is tree.body[0]
    assert parents[call.args[0]] is call
    assert tree not in parents


def test_end_and_segment_give_a_multiline_node_its_text():
    tree = ast.parse(SOURCE)
    ret = tree.body[0].body[0].body[1]
    assert (ret.lineno, _end(ret)) == (5, 7)
    assert _segment(SOURCE.split("\n"), ret.value) == "sum(\n            self.items,\n        )"


def test_char_col_turns_utf8_byte_offsets_into_characters():
    line = 'x = "é" + y'
    node = ast.parse(line).body[0].value.right
    assert node.col_offset == 11
    assert _char_col(line, node.col_offset) == 10
    assert _segment([line], node) == "y"


def test_own_nodes_skip_functions_classes_and_lambdas_nested_in_statements():
    func = ast.parse("def f():\n    if x:\n        def g():\n            return 1\n    return lambda: 2\n").body[0]
    nodes = list(_own_nodes(func))
    assert [n.lineno for n in nodes if isinstance(n, ast.Return)] == [5]
    assert not any(isinstance(n, (ast.FunctionDef, ast.Lambda)) for n in nodes)


def test_functions_and_the_innermost_at_a_line():
    tree = ast.parse(SOURCE)
    assert [(name, cls.name if cls else None) for name, _, cls in _functions(tree)] == [
        ("Cart.total", "Cart"),
        ("Cart.total.inner", None),
        ("fetch", None),
    ]
    assert _innermost_function(tree, 4)[0].name == "inner"
    assert _innermost_function(tree, 6)[0].name == "total"
    assert _innermost_function(tree, 9) is None


def test_dotted_parts_of_an_attribute_chain():
    assert _dotted_parts(ast.parse("a.b.c", mode="eval").body) == ["c", "b", "a"]
    assert _dotted_parts(ast.parse("f().b", mode="eval").body) == []
