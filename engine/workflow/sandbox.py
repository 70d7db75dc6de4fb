"""The allowed subset of Python for scripts and expressions in diagrams, checked on the syntax tree.

SpiffWorkflow evaluates scripts with exec/eval, which is no sandbox: `().__class__.__base__...`
reaches `os`. This check is the security boundary, applied when a diagram is deployed and again
before every evaluation. It allows plain data manipulation and an allow-list of functions only.
What runs is the checked tree with guards woven in (`guards.guarded_code`): every loop counts against
a step budget and every value built — by an operator, a call, formatting, a display or a slice —
against size limits, so a script can neither run for ages nor fill the memory.
"""

import ast
import datetime as _dt
import re
from functools import lru_cache

from engine.errors import Invalid
from engine.workflow.guards import GUARDED_BUILTINS, GUARDS, MAX_SIZE, TooLarge, budget, guarded_code  # noqa: F401

# Builtins a script may call; anything else named in a call must come from the script helpers.
MAX_RANGE = 10_000
MAX_EXPONENT = 64


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
    **GUARDED_BUILTINS,  # str and sum, sized before they build
}

# Methods on data values (str, list, dict, date) that cannot reach interpreter internals.
# `format`/`format_map` are excluded on purpose: "{0.__class__}".format(x) walks attributes.
SAFE_METHODS = frozenset({
    "get", "keys", "values", "items", "lower", "upper", "strip", "lstrip", "rstrip", "split",
    "startswith", "endswith", "replace", "join", "count", "index", "append", "extend", "isdigit",
    "isoformat", "year", "month", "day", "weekday", "date", "copy",
    "days", "seconds", "total_seconds", "hour", "minute", "second", "now", "fromisoformat", "isoweekday",
    "ljust", "rjust", "center", "zfill",  # their width is checked before they run (guards)
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
