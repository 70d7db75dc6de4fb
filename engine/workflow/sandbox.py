"""The allowed subset of Python for scripts and expressions in diagrams, checked on the syntax tree.

SpiffWorkflow evaluates scripts with exec/eval, which is no sandbox: `().__class__.__base__...`
reaches `os`. This check is the security boundary, applied when a diagram is deployed and again
before every evaluation. It allows plain data manipulation and an allow-list of functions only.
What runs is the checked tree with guards woven in (`guarded_code`): every loop counts against a
step budget and every `*`, `+`, `replace`, `join`, `extend` against a size limit, so a script can
neither run for ages nor fill the memory (`'x' * 10**9`, doubling a list in a loop).
"""

import ast
import contextlib
import contextvars
import datetime as _dt
import re
from functools import lru_cache

from engine.errors import Invalid

# Builtins a script may call; anything else named in a call must come from the script helpers.
MAX_RANGE = 10_000
MAX_EXPONENT = 64
MAX_SIZE = 1_000_000  # items (or characters) in one value a script builds
MAX_STEPS = 1_000_000  # loop iterations in one evaluation
MAX_INT_BITS = 4096


def bounded_range(*args):
    """`range` for diagrams: a loop over millions of items would stall a request or a worker."""
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise ValueError(f"range() 最多 {MAX_RANGE} 项 (range too long)")
    return result


def quiet_print(*_args, **_kwargs) -> None:
    """`print` for diagrams written elsewhere: harmless, it writes nowhere."""


SAFE_BUILTINS = {
    # Date arithmetic, as ordinary diagrams use it: the types themselves reach no internals
    # (their attributes are checked like any other); `print` is accepted and does nothing.
    "timedelta": _dt.timedelta, "datetime": _dt.datetime, "date": _dt.date, "print": quiet_print,
    "len": len, "min": min, "max": max, "str": str, "int": int, "float": float, "bool": bool,
    "sorted": sorted, "sum": sum, "abs": abs, "round": round, "any": any, "all": all,
    "list": list, "dict": dict, "set": set, "tuple": tuple, "range": bounded_range, "enumerate": enumerate,
    "zip": zip, "reversed": reversed, "True": True, "False": False, "None": None,
}

# Methods on data values (str, list, dict, date) that cannot reach interpreter internals.
# `format`/`format_map` are excluded on purpose: "{0.__class__}".format(x) walks attributes.
SAFE_METHODS = frozenset({
    "get", "keys", "values", "items", "lower", "upper", "strip", "lstrip", "rstrip", "split",
    "startswith", "endswith", "replace", "join", "count", "index", "append", "extend", "isdigit",
    "isoformat", "year", "month", "day", "weekday", "date", "copy",
    "days", "seconds", "total_seconds", "hour", "minute", "second", "now", "fromisoformat", "isoweekday",
})

FORBIDDEN_NAMES = frozenset({
    "exec", "eval", "compile", "open", "getattr", "setattr", "delattr", "hasattr", "globals",
    "locals", "vars", "dir", "type", "object", "input", "breakpoint", "help", "memoryview",
    "__import__", "__builtins__", "super", "classmethod", "staticmethod", "property", "id",
})

_ALLOWED_NODES = (
    ast.Module, ast.Expression, ast.Expr, ast.Assign, ast.AugAssign, ast.If, ast.For, ast.Pass,
    ast.Name, ast.Load, ast.Store, ast.Del, ast.Delete, ast.Constant, ast.List, ast.Tuple, ast.Dict,
    ast.Set, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.Subscript, ast.Slice,
    ast.Call, ast.keyword, ast.Attribute, ast.ListComp, ast.DictComp, ast.SetComp,
    ast.comprehension, ast.JoinedStr, ast.FormattedValue, ast.operator, ast.unaryop, ast.boolop,
    ast.cmpop, ast.expr_context, ast.Break, ast.Continue,
)


def check(source: str, helpers=frozenset()) -> None:
    """Raise `Invalid` unless `source` stays inside the allowed subset."""
    problem = _problem(source, frozenset(helpers))
    if problem:
        raise Invalid(problem)


def problem_in(source: str, helpers=frozenset()) -> str | None:
    """Return what is wrong with `source`, or None when it is allowed."""
    return _problem(source, frozenset(helpers))


@lru_cache(maxsize=4096)
def _problem(source: str, helpers: frozenset) -> str | None:
    try:
        tree = ast.parse(source, mode="exec")
    except SyntaxError as exc:
        return f"语法错误 (syntax error) at line {exc.lineno}: {exc.msg}"
    callable_names = set(SAFE_BUILTINS) | helpers
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            return f"不允许使用 {type(node).__name__} (not allowed in scripts)"
        message = _check_node(node, callable_names)
        if message:
            return message
    return None


def _check_node(node, callable_names) -> str | None:
    if isinstance(node, ast.Name):
        if node.id.startswith("_") or node.id in FORBIDDEN_NAMES:
            return f"不允许使用名称 '{node.id}' (name not allowed)"
    elif isinstance(node, ast.Attribute):
        if node.attr.startswith("_") or node.attr not in SAFE_METHODS:
            return f"不允许访问属性 '.{node.attr}' (attribute not allowed)"
    elif isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name) and func.id not in callable_names:
            return f"不允许调用函数 '{func.id}' (function not in the allowed list)"
        if not isinstance(func, ast.Name | ast.Attribute):
            return "只能调用命名的函数 (only named functions may be called)"
    elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "__" in node.value:
        # Strings with dunders only serve to build attribute names for reflection.
        return "字符串中不允许出现 '__' (double underscores are not allowed in strings)"
    elif isinstance(node, ast.FormattedValue) and node.format_spec is not None and \
            re.search(r"\d{4,}", ast.unparse(node.format_spec)):
        return "格式宽度过大 (format width too large)"  # f"{x:>999999999}" would fill the memory
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        # 10**10**10 would compute for hours: only small constant exponents are allowed.
        exponent = node.right
        if not (isinstance(exponent, ast.Constant) and isinstance(exponent.value, int | float)
                and abs(exponent.value) <= MAX_EXPONENT):
            return f"乘方的指数须为不超过 {MAX_EXPONENT} 的常数 (exponent must be a small constant)"
    return None


# --- the guards woven into what runs -------------------------------------------------------------
# Hand-written: no maintained library bounds CPU and memory of exec'd Python in-process; the checked
# subset (no while, no def, no attribute reflection) makes loops and a few operators the only ways
# to grow, and each of them is routed through one of these functions.

_SEQUENCES = (str, bytes, list, tuple)
_steps: contextvars.ContextVar = contextvars.ContextVar("sandbox_steps")


class TooLarge(ValueError):
    pass


@contextlib.contextmanager
def budget():
    """Give the evaluation inside a fresh step budget."""
    token = _steps.set([MAX_STEPS])
    try:
        yield
    finally:
        _steps.reset(token)


def _gk_iter(iterable):
    left = _steps.get(None) or [MAX_STEPS]
    for item in iterable:
        left[0] -= 1
        if left[0] < 0:
            raise TooLarge(f"脚本循环超过 {MAX_STEPS} 步 (the script loops too long)")
        yield item


def _limit(size: int):
    if size > MAX_SIZE:
        raise TooLarge(f"脚本生成的值超过 {MAX_SIZE} 项 (the script builds too large a value)")


def _gk_mul(a, b):
    for seq, times in ((a, b), (b, a)):
        if isinstance(seq, _SEQUENCES) and isinstance(times, int):
            _limit(len(seq) * max(times, 0))
    if isinstance(a, int) and isinstance(b, int) and a.bit_length() + b.bit_length() > MAX_INT_BITS:
        raise TooLarge("脚本中的数值过大 (number too large)")
    return a * b


def _gk_add(a, b):
    if isinstance(a, _SEQUENCES) and isinstance(b, _SEQUENCES):
        _limit(len(a) + len(b))
    return a + b


def _gk_method(obj, name, *args, **kwargs):
    if name == "replace" and isinstance(obj, str) and len(args) >= 2:
        _limit(len(obj) + (len(obj) + 1) * len(str(args[1])))
    elif name == "join" and isinstance(obj, str) and args:
        items = list(args[0])
        _limit(sum(len(str(i)) for i in items) + len(obj) * len(items))
        args = (items, *args[1:])
    elif name == "extend" and isinstance(obj, list) and args:
        items = list(args[0])
        _limit(len(obj) + len(items))
        args = (items, *args[1:])
    return getattr(obj, name)(*args, **kwargs)


GUARDS = {"_gk_iter": _gk_iter, "_gk_mul": _gk_mul, "_gk_add": _gk_add, "_gk_method": _gk_method}
_GUARDED_METHODS = frozenset({"replace", "join", "extend"})


class _Guard(ast.NodeTransformer):
    def visit_BinOp(self, node):
        self.generic_visit(node)
        fn = {ast.Mult: "_gk_mul", ast.Add: "_gk_add"}.get(type(node.op))
        return _call(fn, [node.left, node.right], node) if fn else node

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        fn = {ast.Mult: "_gk_mul", ast.Add: "_gk_add"}.get(type(node.op))
        if fn is None:
            return node
        current = _as_load(node.target)
        return ast.copy_location(ast.Assign(targets=[node.target], value=_call(fn, [current, node.value], node)), node)

    def visit_For(self, node):
        self.generic_visit(node)
        node.iter = _call("_gk_iter", [node.iter], node.iter)
        return node

    def visit_comprehension(self, node):
        self.generic_visit(node)
        node.iter = _call("_gk_iter", [node.iter], node.iter)
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _GUARDED_METHODS:
            args = [func.value, ast.Constant(func.attr), *node.args]
            return ast.copy_location(ast.Call(ast.Name("_gk_method", ast.Load()), args, node.keywords), node)
        return node


def _call(name, args, like):
    return ast.copy_location(ast.Call(ast.Name(name, ast.Load()), args, []), like)


def _as_load(target):
    copied = ast.parse(ast.unparse(target), mode="eval").body  # the same target, read instead of written
    return ast.copy_location(copied, target)


@lru_cache(maxsize=4096)
def guarded_code(source: str, mode: str):
    """Compile checked `source` ("eval" or "exec") with the guards woven in."""
    tree = ast.parse(source, mode=mode)
    tree = ast.fix_missing_locations(_Guard().visit(tree))
    return compile(tree, "<diagram script>", mode)
