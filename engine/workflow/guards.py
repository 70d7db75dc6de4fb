"""What runs of a diagram's script: the checked tree (engine.workflow.sandbox) with guards woven in,
so that no value a script builds — whatever operation built it — passes the size limits.

Every operator, call, f-string, %-format, display, comprehension and slice of the script goes
through a guard. Where the size of the result can be known before it is built (`*`, `+`, `%`,
format widths and precisions, `ljust`/`zfill`, `join`, `replace`, `sum` of lists, `str` of a
container), it is checked first, so nothing is allocated; every result is then counted against the
evaluation's budget: MAX_SIZE items or characters for one value, MAX_BUILT bytes for all values built
(a thousand values just under the limit are refused as one value over it would be), MAX_STEPS loop
steps. Hand-written: no maintained library bounds the memory of exec'd Python in-process; the checked
subset (no while, no def, no attribute reflection) leaves these constructs as the only ways to grow.
"""

import ast
import contextlib
import contextvars
import operator
import re
import sys
from functools import lru_cache

MAX_SIZE = 1_000_000  # items (or characters) in one value a script builds
MAX_BUILT = 64 * 1024 * 1024  # bytes (estimated) of all values built in one transition or evaluation
MAX_STEPS = 1_000_000  # loop iterations
MAX_INT_BITS = 4096
STORE_COST = 64  # bytes a subscript store or an append may add to a container

_SEQUENCES = (str, bytes, list, tuple)
_CONTAINERS = (list, tuple, dict, set, frozenset)
_budget: contextvars.ContextVar = contextvars.ContextVar("sandbox_budget")


class TooLarge(ValueError):
    pass


class _Budget:
    __slots__ = ("steps", "built")

    def __init__(self):
        self.steps, self.built = MAX_STEPS, MAX_BUILT


@contextlib.contextmanager
def budget():
    """Run the evaluation inside a budget; inside an outer one (a transition's), share it."""
    if _budget.get(None) is not None:
        yield
        return
    token = _budget.set(_Budget())
    try:
        yield
    finally:
        _budget.reset(token)


def _current() -> _Budget:
    found = _budget.get(None)
    if found is None:  # evaluated outside `budget()`: a fresh one for this value alone
        found = _Budget()
    return found


def _too_large():
    raise TooLarge(f"脚本生成的值超过 {MAX_SIZE} 项 (the script builds too large a value)")


def _limit(size: int):
    if size > MAX_SIZE:
        _too_large()


def _charge(nbytes: int):
    left = _current()
    left.built -= nbytes
    if left.built < 0:
        raise TooLarge(f"脚本生成的数据累计超过 {MAX_BUILT // 1024 // 1024} MB "
                       f"(the script builds too much in all)")


def _built(value):
    """Count a value just built against the budget (and refuse one over MAX_SIZE)."""
    if isinstance(value, str | bytes):
        _limit(len(value))
        _charge(sys.getsizeof(value))
    elif isinstance(value, _CONTAINERS):
        _limit(len(value))
        _charge(sys.getsizeof(value) + 32 * len(value))  # its slots may hold fresh small values
    elif isinstance(value, int) and value.bit_length() > 64:
        if value.bit_length() > MAX_INT_BITS:
            raise TooLarge("脚本中的数值过大 (number too large)")
        _charge(sys.getsizeof(value))
    return value


def _gk_iter(iterable):
    left = _current()
    for item in iterable:
        left.steps -= 1
        if left.steps < 0:
            raise TooLarge(f"脚本循环超过 {MAX_STEPS} 步 (the script loops too long)")
        yield item


# --- operators -------------------------------------------------------------------------------------
def _check_mult(a, b):
    for seq, times in ((a, b), (b, a)):
        if isinstance(seq, _SEQUENCES) and isinstance(times, int):
            _limit(len(seq) * max(times, 0))
    if isinstance(a, int) and isinstance(b, int) and a.bit_length() + b.bit_length() > MAX_INT_BITS:
        raise TooLarge("脚本中的数值过大 (number too large)")


def _check_add(a, b):
    if isinstance(a, _SEQUENCES) and isinstance(b, _SEQUENCES):
        _limit(len(a) + len(b))


def _check_pow(a, b):
    if isinstance(a, int) and isinstance(b, int) and b > 0 and max(a.bit_length(), 1) * b > MAX_INT_BITS:
        raise TooLarge("脚本中的数值过大 (number too large)")


def _check_lshift(a, b):
    if isinstance(a, int) and isinstance(b, int) and a.bit_length() + b > MAX_INT_BITS:
        raise TooLarge("脚本中的数值过大 (number too large)")


def _check_mod(a, b):
    if isinstance(a, str | bytes):
        _limit(percent_size(a, b))


_OPS = {
    ast.Add: (operator.add, _check_add), ast.Sub: (operator.sub, None), ast.Mult: (operator.mul, _check_mult),
    ast.Div: (operator.truediv, None), ast.FloorDiv: (operator.floordiv, None), ast.Mod: (operator.mod, _check_mod),
    ast.Pow: (operator.pow, _check_pow), ast.LShift: (operator.lshift, _check_lshift),
    ast.RShift: (operator.rshift, None), ast.BitOr: (operator.or_, None), ast.BitAnd: (operator.and_, None),
    ast.BitXor: (operator.xor, None), ast.MatMult: (operator.matmul, None),
}
_OP_NAMES = {op: op.__name__ for op in _OPS}
_BY_NAME = {name: _OPS[op] for op, name in _OP_NAMES.items()}


def _gk_op(name, a, b):
    compute, check = _BY_NAME[name]
    if check is not None:
        check(a, b)
    return _built(compute(a, b))


# --- formatting ------------------------------------------------------------------------------------
_PERCENT = re.compile(rb"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([a-zA-Z%])")
_SPEC = re.compile(r"(?:.?[<>=^])?[-+ ]?z?#?0?(\d*)[,_]?(?:\.(\d+))?[a-zA-Z%]?$", re.S)
_NUMBER_DIGITS = 400  # the most characters a float or a bounded int prints without a width


def percent_size(template, args) -> int:
    """An upper bound of the length of `template % args`, before building it."""
    raw = template if isinstance(template, bytes) else template.encode("utf-8", "surrogatepass")
    values = list(args) if isinstance(args, tuple) else [args]
    size = len(template)
    for width, precision, _kind in _PERCENT.findall(raw):
        for part in (width, precision):
            if part == b"*":
                star = values.pop(0) if values and isinstance(values[0], int) else 0
                size += abs(star)
            elif part:
                size += int(part)
        size += _NUMBER_DIGITS
    size += sum(text_size(v) for v in (args.values() if isinstance(args, dict) else values))
    return size


def _spec_size(spec: str) -> int:
    match = _SPEC.match(spec)
    if match is None:  # Python will refuse it itself; its digits still must not build anything
        return sum(int(d) for d in re.findall(r"\d+", spec))
    width, precision = match.group(1), match.group(2)
    return int(width or 0) + int(precision or 0) + _NUMBER_DIGITS


def text_size(value, cap: int = MAX_SIZE + 1) -> int:
    """An estimate of len(str(value)), walking containers only as far as `cap`."""
    if isinstance(value, str | bytes):
        return len(value) + 3
    if isinstance(value, int):
        return value.bit_length() // 3 + 2
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, _CONTAINERS):
        total = 2
        for item in value:
            total += text_size(item, cap - total) + 2
            if total > cap:
                break
        return total
    return 64  # a float, a date, None, True


def _gk_format(value, conversion, spec):
    """One replacement field of an f-string: `{value!conversion:spec}`."""
    if not isinstance(spec, str):
        spec = str(spec)
    _limit(len(spec) + _spec_size(spec) + (text_size(value) if conversion != -1 or not spec else 0))
    if conversion == ord("r"):
        value = repr(value)
    elif conversion == ord("s"):
        value = str(value)
    elif conversion == ord("a"):
        value = ascii(value)
    return _built(format(value, spec))


def _gk_fstring(parts):
    _limit(sum(len(p) for p in parts))
    return _built("".join(parts))


# --- calls -----------------------------------------------------------------------------------------
def bounded_str(*args, **kwargs):
    """`str` for diagrams: the text of a container is sized before it is built."""
    if len(args) == 1 and not kwargs:
        _limit(text_size(args[0]))
    return str(*args, **kwargs)


def bounded_sum(iterable, start=0):
    """`sum` for diagrams: sequences are joined in one pass (Python's sum copies at every step)."""
    items = list(iterable)
    if isinstance(start, list | tuple):
        _limit(len(start) + sum(len(i) for i in items if isinstance(i, _SEQUENCES)))
        joined = list(start)
        for item in items:
            joined.extend(item)
        return joined if isinstance(start, list) else tuple(joined)
    return sum(items, start)


def _width(obj, args):
    if isinstance(obj, str | bytes) and args and isinstance(args[0], int):
        _limit(max(args[0], len(obj)))


_PRECHECKS = {
    "replace": lambda obj, args: isinstance(obj, str) and len(args) >= 2
    and _limit(len(obj) + (len(obj) + 1) * len(str(args[1]))),
    "ljust": _width, "rjust": _width, "center": _width, "zfill": _width,
}


def _gk_method(obj, name, *args, **kwargs):
    if name in ("join", "extend") and args:
        items = list(args[0])
        if name == "join" and isinstance(obj, str):
            _limit(sum(len(str(i)) for i in items) + len(obj) * len(items))
        elif name == "extend" and isinstance(obj, list):
            _limit(len(obj) + len(items))
            _charge(8 * len(items))
        args = (items, *args[1:])
    elif name == "append":
        _charge(STORE_COST)
    elif name in _PRECHECKS:
        _PRECHECKS[name](obj, args)
    result = getattr(obj, name)(*args, **kwargs)
    return result if result is obj else _built(result)


def _gk_call(func, *args, **kwargs):
    return _built(func(*args, **kwargs))


def _gk_store():
    _charge(STORE_COST)


GUARDS = {"_gk_iter": _gk_iter, "_gk_op": _gk_op, "_gk_method": _gk_method, "_gk_call": _gk_call,
          "_gk_format": _gk_format, "_gk_fstring": _gk_fstring, "_gk_built": _built, "_gk_store": _gk_store}
GUARDED_BUILTINS = {"str": bounded_str, "sum": bounded_sum}


class _Guard(ast.NodeTransformer):
    def visit_BinOp(self, node):
        self.generic_visit(node)
        return _call("_gk_op", [ast.Constant(_OP_NAMES[type(node.op)]), node.left, node.right], node)

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        current = _as_load(node.target)
        value = _call("_gk_op", [ast.Constant(_OP_NAMES[type(node.op)]), current, node.value], node)
        return ast.copy_location(ast.Assign(targets=[node.target], value=value), node)

    def visit_Assign(self, node):
        self.generic_visit(node)
        if any(isinstance(t, ast.Subscript) for t in node.targets):
            return [node, ast.copy_location(ast.Expr(_call("_gk_store", [], node)), node)]
        return node

    def visit_For(self, node):
        self.generic_visit(node)
        node.iter = _call("_gk_iter", [node.iter], node.iter)
        return node

    def visit_comprehension(self, node):
        self.generic_visit(node)
        node.iter = _call("_gk_iter", [node.iter], node.iter)
        return node

    def _built(self, node):
        self.generic_visit(node)
        return _call("_gk_built", [node], node)

    visit_ListComp = visit_SetComp = visit_DictComp = _built

    def _display(self, node):
        if isinstance(getattr(node, "ctx", ast.Load()), ast.Load):
            return self._built(node)
        self.generic_visit(node)
        return node

    visit_List = visit_Tuple = visit_Set = visit_Dict = _display

    def visit_Subscript(self, node):
        if isinstance(node.slice, ast.Slice) and isinstance(node.ctx, ast.Load):
            return self._built(node)
        self.generic_visit(node)
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Attribute):
            args = [func.value, ast.Constant(func.attr), *node.args]
            return ast.copy_location(ast.Call(ast.Name("_gk_method", ast.Load()), args, node.keywords), node)
        return ast.copy_location(ast.Call(ast.Name("_gk_call", ast.Load()), [func, *node.args], node.keywords), node)

    def visit_JoinedStr(self, node):
        parts = []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                spec = self.visit(value.format_spec) if value.format_spec is not None else ast.Constant("")
                parts.append(_call("_gk_format", [self.visit(value.value), ast.Constant(value.conversion), spec], value))
            else:
                parts.append(value)
        return _call("_gk_fstring", [ast.List(parts, ast.Load())], node)


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
