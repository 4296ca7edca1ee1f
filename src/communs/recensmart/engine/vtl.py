"""A translator and safe evaluator for the subset of VTL 2.0 that Lunatic questionnaires use.

`vtlengine` cannot be installed next to ibis, so expressions are parsed here by a small Pratt
parser into a tree of tuples and evaluated by walking that tree (never `eval`). The subset is the
one found in INSEE's Lunatic files: literals (strings in double or single quotes, integers,
decimals, true/false/null), variable names, `not`, `and`, `or`, `xor`, comparisons (`=`, `<>`,
`!=`, `<`, `<=`, `>`, `>=`), `in` / `not_in` (membership in an array), `||` concatenation,
arithmetic (`+ - * /`, unary minus),
`if ... then ... else ...` and the functions `isnull`, `nvl`, `cast`, `count`, `sum`, `min`,
`max`, `avg`, `round`, `abs`, `substr`, `instr`, `length`, `upper`, `lower`, `trim`,
`current_date`.

Semantics follow VTL's three-valued logic: an operation with a null operand yields null
(`null and false` is false, `null or true` is true), a null `if` condition takes the `else`
branch. A cast that cannot convert yields null rather than raising, as Lunatic does.
`substr(s, start, length)` counts `start` from 1: INSEE's census computes the birth year with
`substr(cast(DATENAIS,string),1,4)`, which only makes sense with 1-based positions.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any


class VTLSyntaxError(ValueError):
    """An expression that is not in the supported VTL subset; `position` is a 0-based offset."""

    def __init__(self, message: str, expression: str, position: int):
        super().__init__(f"{message} (position {position + 1} dans « {expression} »)")
        self.expression = expression
        self.position = position


class VTLEvaluationError(ValueError):
    """An expression that parsed but cannot be evaluated (unknown function, wrong arity)."""


_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<op>\|\||<>|!=|<=|>=|[-+*/=<>(),])
  | (?P<name>\$?[A-Za-z_][A-Za-z0-9_]*\$?)
    """,
    re.VERBOSE,
)

KEYWORDS = {"and", "or", "xor", "not", "if", "then", "else", "true", "false", "null", "in", "not_in"}
FUNCTIONS = {
    "isnull": (1, 1),
    "nvl": (2, 2),
    "cast": (2, 3),
    "count": (1, 1),
    "sum": (1, 1),
    "min": (1, 1),
    "max": (1, 1),
    "avg": (1, 1),
    "round": (1, 2),
    "abs": (1, 1),
    "substr": (1, 3),
    "instr": (2, 2),
    "length": (1, 1),
    "upper": (1, 1),
    "lower": (1, 1),
    "trim": (1, 1),
    "current_date": (0, 0),
}
AGGREGATES = {"count", "sum", "min", "max", "avg"}
CAST_TYPES = {"string", "integer", "number", "date", "boolean"}

# Binding powers of infix operators (higher binds tighter).
_INFIX = {
    "or": 10,
    "xor": 10,
    "in": 40,
    "not_in": 40,
    "and": 20,
    "=": 40,
    "<>": 40,
    "!=": 40,
    "<": 40,
    "<=": 40,
    ">": 40,
    ">=": 40,
    "||": 50,
    "+": 50,
    "-": 50,
    "*": 60,
    "/": 60,
}
_NOT_POWER = 30
_UNARY_POWER = 70


def _tokenize(expression: str) -> list[tuple[str, Any, int]]:
    tokens: list[tuple[str, Any, int]] = []
    position = 0
    while position < len(expression):
        match = _TOKEN.match(expression, position)
        if not match:
            raise VTLSyntaxError(f"caractère inattendu « {expression[position]} »", expression, position)
        kind = match.lastgroup
        text = match.group()
        if kind == "number":
            tokens.append(("num", Decimal(text) if "." in text else int(text), position))
        elif kind == "string":
            body = text[1:-1]
            tokens.append(("str", re.sub(r"\\(.)", r"\1", body), position))
        elif kind == "op":
            tokens.append(("op", text, position))
        elif kind == "name":
            lowered = text.lower()
            if lowered in KEYWORDS:
                tokens.append(("kw", lowered, position))
            else:
                tokens.append(("name", text, position))
        position = match.end()
    tokens.append(("end", None, len(expression)))
    return tokens


class _Parser:
    def __init__(self, expression: str):
        self.expression = expression
        self.tokens = _tokenize(expression)
        self.index = 0

    def peek(self):
        return self.tokens[self.index]

    def advance(self):
        token = self.tokens[self.index]
        self.index += 1
        return token

    def error(self, message: str, token=None):
        token = token or self.peek()
        raise VTLSyntaxError(message, self.expression, token[2])

    def expect(self, kind: str, value: Any = None):
        token = self.advance()
        if token[0] != kind or (value is not None and token[1] != value):
            shown = value if value is not None else kind
            found = "la fin" if token[0] == "end" else f"« {token[1]} »"
            self.error(f"« {shown} » attendu, {found} trouvé", token)
        return token

    def parse(self):
        node = self.expression_(0)
        if self.peek()[0] != "end":
            self.error(f"symbole inattendu « {self.peek()[1]} »")
        return node

    def expression_(self, min_power: int):
        left = self.prefix()
        while True:
            kind, value, _ = self.peek()
            if kind not in ("op", "kw") or value not in _INFIX:
                return left
            power = _INFIX[value]
            if power <= min_power:
                return left
            self.advance()
            right = self.expression_(power)
            left = ("bin", value, left, right)

    def prefix(self):
        token = self.advance()
        kind, value, _ = token
        if kind == "num":
            return ("lit", value)
        if kind == "str":
            return ("lit", value)
        if kind == "kw":
            if value in ("true", "false"):
                return ("lit", value == "true")
            if value == "null":
                return ("lit", None)
            if value == "not":
                if self.peek()[1] == "(":
                    # not(...) binds like a function call: not(a) and b is (not a) and b.
                    self.advance()
                    operand = self.expression_(0)
                    self.expect("op", ")")
                    return ("not", operand)
                return ("not", self.expression_(_NOT_POWER))
            if value == "if":
                condition = self.expression_(0)
                self.expect("kw", "then")
                then = self.expression_(0)
                self.expect("kw", "else")
                otherwise = self.expression_(0)
                return ("if", condition, then, otherwise)
            self.error(f"mot-clé inattendu « {value} »", token)
        if kind == "op":
            if value == "(":
                node = self.expression_(0)
                self.expect("op", ")")
                return node
            if value in ("-", "+"):
                operand = self.expression_(_UNARY_POWER)
                return ("neg", operand) if value == "-" else operand
            self.error(f"symbole inattendu « {value} »", token)
        if kind == "name":
            if self.peek()[1] == "(" and self.peek()[0] == "op":
                return self.call(token)
            if value.startswith("$") or value.endswith("$"):
                self.error(f"nom de variable invalide « {value} »", token)
            return ("var", value)
        self.error("expression incomplète", token)

    def call(self, token):
        name = token[1].lower()
        if name not in FUNCTIONS:
            self.error(f"fonction inconnue « {token[1]} »", token)
        self.expect("op", "(")
        args = []
        if self.peek()[1] != ")":
            while True:
                if name == "cast" and len(args) == 1:
                    type_token = self.advance()
                    if type_token[0] != "name" or type_token[1].lower() not in CAST_TYPES:
                        self.error("type de conversion attendu (string, integer, number, date, boolean)", type_token)
                    args.append(("type", type_token[1].lower()))
                else:
                    args.append(self.expression_(0))
                if self.peek()[1] == ",":
                    self.advance()
                    continue
                break
        self.expect("op", ")")
        low, high = FUNCTIONS[name]
        if not low <= len(args) <= high:
            self.error(f"{name} attend entre {low} et {high} arguments, {len(args)} donnés", token)
        return ("call", name, tuple(args))


@lru_cache(maxsize=8192)
def parse(expression: str):
    """Parse an expression into a tree of tuples; raises VTLSyntaxError with the position."""
    return _Parser(expression).parse()


def variables(node) -> set[str]:
    """Names of the variables an expression reads."""
    if isinstance(node, str):
        node = parse(node)
    kind = node[0]
    if kind == "var":
        return {node[1]}
    found: set[str] = set()
    for child in node[1:]:
        if isinstance(child, tuple) and child and isinstance(child[0], str):
            found |= variables(child)
        elif isinstance(child, tuple):
            for item in child:
                if isinstance(item, tuple):
                    found |= variables(item)
    return found


# --- evaluation -----------------------------------------------------------------------------

Resolver = Callable[[str, bool], Any]
"""resolve(name, whole): the value of a variable; `whole` asks for the full array (aggregates)."""


def _number(value):
    if value is None or isinstance(value, bool):
        return None if value is None else int(value)
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            text = value.strip().replace(",", ".")
            return int(text) if re.fullmatch(r"[-+]?\d+", text) else Decimal(text)
        except InvalidOperation:
            return None
    return None


def _compare_pair(left, right):
    """Bring two operands to comparable types (numbers with numbers, dates with dates)."""
    if isinstance(left, bool) or isinstance(right, bool):
        return left, right
    if isinstance(left, int | Decimal | float) and isinstance(right, str):
        return _number(left), _number(right)
    if isinstance(right, int | Decimal | float) and isinstance(left, str):
        return _number(left), _number(right)
    if isinstance(left, float) or isinstance(right, float):
        return _number(left), _number(right)
    return left, right


def _parse_date(value, fmt: str | None):
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    formats = {"YYYY-MM-DD": "%Y-%m-%d", "YYYY-MM": "%Y-%m", "YYYY": "%Y", "DD/MM/YYYY": "%d/%m/%Y"}
    candidates = [formats[fmt]] if fmt in formats else list(formats.values())
    for pattern in candidates:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _to_string(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _cast(value, target: str, fmt: str | None):
    if value is None:
        return None
    if target == "string":
        return _to_string(value)
    if target == "integer":
        number = _number(value)
        if number is None:
            return None
        if isinstance(number, Decimal):
            return int(number) if number == number.to_integral_value() else None
        return number
    if target == "number":
        return _number(value)
    if target == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            return {"true": True, "false": False, "1": True, "0": False}.get(value.strip().lower())
        return bool(value)
    if target == "date":
        return _parse_date(value, fmt)
    return None


def _aggregate(name: str, values):
    if not isinstance(values, list):
        values = [values]
    flat: list = []
    for value in values:
        flat.extend(value if isinstance(value, list) else [value])
    present = [value for value in flat if value is not None and value != ""]
    if name == "count":
        # Lunatic counts the iterations of a loop, answered or not.
        return len(flat)
    numbers = [n for n in (_number(v) for v in present) if n is not None]
    if not numbers:
        return None
    if name == "sum":
        return sum(numbers)
    if name == "min":
        return min(numbers)
    if name == "max":
        return max(numbers)
    return Decimal(sum(numbers)) / len(numbers)


def _call(name: str, args, resolve: Resolver, today: dt.date):
    if name in AGGREGATES:
        (arg,) = args
        value = resolve(arg[1], True) if arg[0] == "var" else evaluate(arg, resolve, today)
        return _aggregate(name, value)
    if name == "cast":
        value = evaluate(args[0], resolve, today)
        fmt = evaluate(args[2], resolve, today) if len(args) == 3 else None
        return _cast(value, args[1][1], fmt)
    if name == "current_date":
        return today
    values = [evaluate(arg, resolve, today) for arg in args]
    if name == "isnull":
        return values[0] is None or values[0] == ""
    if name == "nvl":
        return values[1] if values[0] is None or values[0] == "" else values[0]
    if any(value is None for value in values):
        return None
    if name == "round":
        number = _number(values[0])
        digits = int(values[1]) if len(values) == 2 else 0
        if number is None:
            return None
        rounded = Decimal(number).quantize(Decimal(1).scaleb(-digits), rounding="ROUND_HALF_UP")
        return int(rounded) if digits == 0 else rounded
    if name == "abs":
        number = _number(values[0])
        return None if number is None else abs(number)
    text = _to_string(values[0])
    if name == "length":
        return len(text)
    if name == "upper":
        return text.upper()
    if name == "lower":
        return text.lower()
    if name == "trim":
        return text.strip()
    if name == "instr":
        return text.find(_to_string(values[1])) + 1
    if name == "substr":
        start = int(values[1]) if len(values) > 1 else 1
        begin = max(start - 1, 0)
        if len(values) > 2:
            return text[begin : begin + int(values[2])]
        return text[begin:]
    raise VTLEvaluationError(f"fonction non prise en charge : {name}")


def _binary(op: str, left, right):
    if op in ("in", "not_in"):
        if left is None or right is None:
            return None
        items = right if isinstance(right, list) else [right]
        flat: list = []
        for item in items:
            flat.extend(item if isinstance(item, list) else [item])
        found = any(_binary("=", left, item) is True for item in flat)
        return found if op == "in" else not found
    if op == "||":
        return (_to_string(left) or "") + (_to_string(right) or "")
    if op in ("=", "<>", "!="):
        if left is None or right is None:
            return None
        left, right = _compare_pair(left, right)
        if left is None or right is None:
            return None
        equal = left == right
        return equal if op == "=" else not equal
    if op in ("<", "<=", ">", ">="):
        if left is None or right is None:
            return None
        left, right = _compare_pair(left, right)
        if left is None or right is None:
            return None
        if isinstance(left, dt.date) != isinstance(right, dt.date):
            return None
        if isinstance(left, str) != isinstance(right, str):
            return None
        if op == "<":
            return left < right
        if op == "<=":
            return left <= right
        if op == ">":
            return left > right
        return left >= right
    left, right = _number(left), _number(right)
    if left is None or right is None:
        return None
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if op == "/":
        if right == 0:
            return None
        result = Decimal(left) / Decimal(right)
        return int(result) if result == result.to_integral_value() else result
    raise VTLEvaluationError(f"opérateur non pris en charge : {op}")


def evaluate(node, resolve: Resolver, today: dt.date | None = None):
    """Evaluate a parsed expression; `resolve(name, whole)` gives variable values."""
    today = today or dt.date.today()
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "var":
        return resolve(node[1], False)
    if kind == "not":
        value = evaluate(node[1], resolve, today)
        return None if value is None else not _truthy(value)
    if kind == "neg":
        value = _number(evaluate(node[1], resolve, today))
        return None if value is None else -value
    if kind == "if":
        condition = evaluate(node[1], resolve, today)
        return evaluate(node[2] if condition is True else node[3], resolve, today)
    if kind == "call":
        return _call(node[1], node[2], resolve, today)
    if kind == "bin":
        op = node[1]
        if op in ("and", "or", "xor"):
            left = evaluate(node[2], resolve, today)
            right = evaluate(node[3], resolve, today)
            left = None if left is None else _truthy(left)
            right = None if right is None else _truthy(right)
            if op == "and":
                if left is False or right is False:
                    return False
                return None if left is None or right is None else True
            if op == "or":
                if left is True or right is True:
                    return True
                return None if left is None or right is None else False
            return None if left is None or right is None else left != right
        return _binary(op, evaluate(node[2], resolve, today), evaluate(node[3], resolve, today))
    raise VTLEvaluationError(f"nœud inconnu : {kind}")


def _truthy(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.lower() in ("true", "1")
    return bool(value)


def run(expression: str, values: dict[str, Any] | Resolver, today: dt.date | None = None):
    """Parse then evaluate; `values` is a mapping or a resolver."""
    if callable(values):
        resolver = values
    else:

        def resolver(name, whole, _values=values):
            return _values.get(name)

    return evaluate(parse(expression), resolver, today)


def to_python(value):
    """A JSON-friendly value: Decimals become int or float, dates ISO strings."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
