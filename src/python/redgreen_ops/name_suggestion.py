"""The name_suggestion op: Python's "Did you mean" for an undefined name/attribute, and the rename at the line."""

import ast
import builtins
import os
import re

from ._ast import _char_col, _dotted_parts, _end, _functions, _innermost_function, _own_nodes, _segment
from ._await import _terminal
from ._exports import _STDLIB_TOP, _stdlib_object
from ._project import _is_test_rel, _load, project_facts, project_files
from ._reach import _import_bindings, _local_types
from ._suggest import _suggest
from .resolve import _NEVER_IMPORT


def _class_attrs(class_name, seen=None):
    """Attributes a project class defines: methods, class variables, self.x assignments, bases' too."""
    seen = seen or set()
    if class_name in seen:
        return set(), 0
    seen.add(class_name)
    root = os.getcwd()
    names = set()
    found = 0
    for rel in project_files(root):
        loaded = _load(rel)
        if loaded is None:
            continue
        for node in ast.walk(loaded[2]):
            if not (isinstance(node, ast.ClassDef) and node.name == class_name):
                continue
            found += 1
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    names.add(item.name)
                elif isinstance(item, ast.Assign):
                    for t in item.targets:
                        if isinstance(t, ast.Name):
                            names.add(t.id)
                            if t.id == "__slots__":
                                names |= _slot_names(item.value)
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    names.add(item.target.id)
                    if item.target.id == "__slots__" and item.value is not None:
                        names |= _slot_names(item.value)
            # A slotted instance takes only its declared fields: a `self.x = ...` there is no evidence of an x.
            if not _slotted(node, loaded[2]):
                for n in ast.walk(node):
                    if (
                        isinstance(n, ast.Attribute)
                        and isinstance(n.ctx, ast.Store)
                        and isinstance(n.value, ast.Name)
                        and n.value.id == "self"
                    ):
                        names.add(n.attr)
            for base in node.bases:
                bname = _terminal(base)
                if bname and bname not in ("object",):
                    extra, _ = _class_attrs(bname, seen)
                    names |= extra
    return names, found


def _slot_names(value):
    """The names a `__slots__` value declares: a string, or a tuple/list/set of strings, or a dict's keys."""
    items = value.keys if isinstance(value, ast.Dict) else value.elts if isinstance(value, (ast.Tuple, ast.List, ast.Set)) else [value]
    return {n.value for n in items if isinstance(n, ast.Constant) and isinstance(n.value, str)}


_ATTRS_SLOTTED = {"define", "frozen", "mutable"}  # attrs' modern API slots classes unless told slots=False


def _slotted(cls, tree):
    """Whether a class's instances take only declared attributes: `__slots__`, `@dataclass(slots=True)`,
    `@attr.s(slots=True)`, `@attrs.define` (and frozen/mutable) without slots=False."""
    for item in cls.body:
        targets = item.targets if isinstance(item, ast.Assign) else [item.target] if isinstance(item, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == "__slots__" for t in targets):
            return True
    attrs_names = {
        a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module in ("attr", "attrs") for a in n.names
    }
    for dec in cls.decorator_list:
        func = dec.func if isinstance(dec, ast.Call) else dec
        slots = next((k.value for k in getattr(dec, "keywords", []) if k.arg == "slots"), None)
        if isinstance(slots, ast.Constant) and isinstance(slots.value, bool):
            if slots.value:
                return True
            continue
        parts = _dotted_parts(func)
        from_attrs = (len(parts) == 2 and parts[1] in ("attr", "attrs")) or (len(parts) == 1 and parts[0] in attrs_names)
        if from_attrs and parts[0] in _ATTRS_SLOTTED:
            return True
    return False


def _foreign_type_attrs(type_name, type_module, tree, rel):
    """Attributes of a builtin or stdlib type an error names ('dict', 'collections.deque', or 'Counter' that the
    file imports from the stdlib); None when the type is not one of those."""
    places = [(type_module, type_name)] if type_module else [("builtins", type_name)]
    if not type_module:
        bound = _import_bindings(tree, rel).get(type_name)
        if bound is not None and bound[1] is not None:
            places.append(bound)
    for module, name in places:
        obj = getattr(builtins, name, None) if module == "builtins" else _stdlib_object(module, name)
        if isinstance(obj, type):
            return set(dir(obj))
    return None


def _enclosing_class(tree, line):
    best = None
    for n in ast.walk(tree):
        if isinstance(n, ast.ClassDef) and n.lineno <= line <= _end(n) and (best is None or n.lineno >= best.lineno):
            best = n
    return best


def _demangle(name, tree, line):
    """A private name as the source spells it: `_Counter__total` is `__total` in code inside class Counter."""
    cls = _enclosing_class(tree, line)
    if cls is None or not name:
        return name
    prefix = "_" + cls.name.lstrip("_")
    rest = name[len(prefix) :]
    return rest if name.startswith(prefix + "__") and not rest.endswith("__") else name


def _scope_names(tree, line):
    """Names visible at a line: enclosing functions' params and locals, module globals, builtins."""
    names = set(dir(builtins))
    for node in tree.body:
        names |= _bound_in(node)
    for _, func, _ in _functions(tree):
        if func.lineno <= line <= _end(func):
            a = func.args
            for arg in a.args + a.kwonlyargs + getattr(a, "posonlyargs", []):
                names.add(arg.arg)
            if a.vararg:
                names.add(a.vararg.arg)
            if a.kwarg:
                names.add(a.kwarg.arg)
            names |= _names_bound(_own_nodes(func), except_names=True)
            for node in func.body:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    names.add(node.name)
    return names


def _defined_in_file(tree, name):
    return (
        any(isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and n.id == name for n in ast.walk(tree))
        or any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name == name for n in ast.walk(tree))
        or any(isinstance(n, ast.arg) and n.arg == name for n in ast.walk(tree))
    )


def _bound_in(stmt):
    """Names a module-level statement binds (a def, class or import: only its own names)."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
        return _names_bound([stmt], except_names=False)
    return _names_bound(ast.walk(stmt), except_names=False)


def _names_bound(nodes, except_names):
    """Names the nodes bind: assignment targets, defs and classes, imports (not `*`), and `except ... as` names when
    except_names."""
    out = set()
    for n in nodes:
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            out.add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(n.name)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            for a in n.names:
                if a.name != "*":
                    out.add(a.asname or a.name.split(".")[0])
        elif except_names and isinstance(n, ast.ExceptHandler) and n.name:
            out.add(n.name)
    return out


def _module_attrs(module):
    """Names a module offers: project modules statically (defines, re-exports, submodules); stdlib by dir()."""
    root = os.getcwd()
    for f in project_facts(root):
        if f["module"] == module:
            names = set(f["defines"]) | set(f["reexports"])
            if f["isPackage"]:
                folder = os.path.dirname(os.path.join(root, f["rel"]))
                for entry in os.listdir(folder):
                    if entry.endswith(".py") and entry != "__init__.py":
                        names.add(entry[:-3])
                    elif os.path.isfile(os.path.join(folder, entry, "__init__.py")):
                        names.add(entry)
            return names
    if module.split(".")[0] in _STDLIB_TOP and module.split(".")[0] not in _NEVER_IMPORT:
        try:
            import importlib

            return set(dir(importlib.import_module(module)))
        except Exception:  # noqa: BLE001
            return None
    return None


def _receiver_matches(recv, kind, type_name, module, tree, line):
    """Whether an attribute's receiver is the object the error names (True/False), or None when unknown."""
    if kind == "module_attribute":
        text = ".".join(reversed(_dotted_parts(recv)))
        if not text or not module:
            return False
        if text in (module, module.split(".")[-1]):
            return True
        return any(isinstance(n, ast.Import) and any(a.asname == text and a.name == module for a in n.names) for n in ast.walk(tree))
    if not type_name:
        return None
    if kind == "class_attribute":
        return _terminal(recv) == type_name
    inner = _innermost_function(tree, line)
    if isinstance(recv, ast.Name) and recv.id == "self" and inner is not None and inner[1] is not None:
        cls = inner[1]
        return cls.name == type_name or any(_terminal(b) == type_name for b in cls.bases)
    if isinstance(recv, ast.Name) and inner is not None:
        known = _local_types(inner[0]).get(recv.id)
        if known is not None:
            return known == type_name
    return None


def _rename_on_line(lines, tree, line, wrong, right, kind, type_name=None, module=None):
    """Renames the failing occurrence(s) of `wrong` on a line, from AST positions: for a name, the loaded
    Name nodes (not keyword-argument names, attributes or strings), and its bindings on the line when it has
    no other (`totl += x`); for an attribute, `.wrong` read or written (`self.totl += x`, a slotted
    `self.totl = 0`) only on the receiver the error names (when several objects on the line have it)."""
    spots = []  # (0-based char column, ...) on the line
    if kind == "name":
        stores = not _binding_lines(tree, line, wrong) - {line}
        for n in ast.walk(tree):
            if isinstance(n, ast.Name) and n.id == wrong and n.lineno == line and (isinstance(n.ctx, (ast.Load, ast.Del)) or stores):
                spots.append(_char_col(lines[line - 1], n.col_offset))
    else:
        nodes = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == wrong and _end(n) == line]
        if len(nodes) > 1:
            verdicts = [_receiver_matches(n.value, kind, type_name, module, tree, line) for n in nodes]
            if True in verdicts:
                nodes = [n for n, v in zip(nodes, verdicts) if v is True]
            else:
                # None known to be the named object: only when the rest are one and the same receiver.
                nodes = [n for n, v in zip(nodes, verdicts) if v is None]
                if len({_segment(lines, n.value) for n in nodes}) != 1:
                    return None
        for n in nodes:
            stop = _char_col(lines[line - 1], n.end_col_offset)
            spots.append(stop - len(wrong))
    text = lines[line - 1]
    spots = sorted(set(c for c in spots if text[c : c + len(wrong)] == wrong))
    if not spots:
        return None
    for col in reversed(spots):
        text = text[:col] + right + text[col + len(wrong) :]
    return {"find": lines[line - 1], "replace": text, "nearLine": line}


def _binding_lines(tree, line, name):
    """Lines binding `name` in the scope around a line (the innermost function, else the module's own code)."""
    inner = _innermost_function(tree, line)
    if inner is not None:
        func = inner[0]
        a = func.args
        if any(x.arg == name for x in getattr(a, "posonlyargs", []) + a.args + a.kwonlyargs + [a.vararg, a.kwarg] if x):
            return {func.lineno}
        nodes = list(_own_nodes(func))
    else:
        nodes, stack = [], list(tree.body)
        while stack:
            node = stack.pop()
            nodes.append(node)
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                stack.extend(ast.iter_child_nodes(node))
    return {n.lineno for n in nodes if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)} | {
        n.lineno for n in nodes if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name == name
    }


def name_suggestion(file, line, name, kind="name", type_name=None, module=None, hint=None, allow_tests=False, type_module=None):
    """The closest defined name for an undefined name/attribute (Python's rule, unique best only) and
    the edit renaming it on the failing line. kind: name | attribute | class_attribute | module_attribute.
    A mangled private name (`_Cls__totl`) is matched and renamed as the source spells it (`__totl`);
    type_module: the module of a stdlib type the error names (`collections` for 'collections.deque')."""
    if _is_test_rel(file) and not allow_tests:
        return {"edit": None, "reason": "%s is a test file" % file}
    loaded = _load(file)
    if loaded is None:
        return {"edit": None, "reason": "cannot parse %s" % file}
    _, lines, tree = loaded
    if kind != "module_attribute":
        name = _demangle(name, tree, line)
        hint = _demangle(hint, tree, line) if hint else hint
    candidates = None
    if kind == "name":
        elsewhere = _binding_lines(tree, line, name) - {line}
        if elsewhere:
            return {"edit": None, "reason": "%s is assigned at line %d: used before assignment, not misspelt" % (name, min(elsewhere))}
        if _innermost_function(tree, line) is not None and any(name in _bound_in(n) for n in tree.body):
            return {"edit": None, "reason": "%s is a module global: the function needs a global statement" % name}
        candidates = _scope_names(tree, line)
    elif kind == "module_attribute" and module:
        candidates = _module_attrs(module)
    elif type_name:
        attrs, found = _class_attrs(type_name) if not type_module else (set(), 0)
        if found == 1:
            candidates = attrs
        elif found == 0:
            candidates = _foreign_type_attrs(type_name, type_module, tree, file)
        else:
            return {"edit": None, "reason": "several project classes are named %s" % type_name}
    if name.startswith("__") and candidates:
        # A private name is only reachable as written from the class that declares it.
        candidates = {c for c in candidates if c.startswith("__")}
    suggestion = None
    source_of = ""
    if hint and re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", hint) and hint != name:
        if candidates is None or hint in candidates:
            suggestion, source_of = hint, "Python's own suggestion"
    if suggestion is None:
        if not candidates:
            return {"edit": None, "reason": "no known names to compare %s with" % name}
        best, runner, best_d = _suggest(name, candidates)
        if best is None:
            return {"edit": None, "reason": "no defined name is close to %s" % name}
        if runner is not None and runner == best_d:
            return {"edit": None, "reason": "several names are equally close to %s" % name}
        suggestion, source_of = best, "closest defined name (distance %d)" % best_d
    if kind == "name" and hasattr(builtins, suggestion) and not _defined_in_file(tree, suggestion):
        # `pytest.fixture` with pytest unimported gets "Did you mean: 'bytes'?": bytes has no .fixture.
        used_attrs = {
            n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == name
        }
        target = getattr(builtins, suggestion)
        if any(not hasattr(target, a) for a in used_attrs):
            return {"edit": None, "reason": "the builtin %s has no attribute the code reads from %s" % (suggestion, name)}
    edit = _rename_on_line(lines, tree, line, name, suggestion, kind, type_name, module)
    if edit is None:
        return {"edit": None, "reason": "%s does not occur at line %d" % (name, line), "suggestion": suggestion}
    return {"edit": edit, "suggestion": suggestion, "source": source_of, "reason": ""}


OPS = {"name_suggestion": name_suggestion}
