"""A JSON Schema compiled into a plain Python predicate, for the common case: a valid file.

`compile_predicate` understands the keywords pagemgr's schemas use. For a schema with any other
keyword it returns None, and the caller validates with jsonschema alone. The predicate answers
only "valid or not"; the messages and positions of a file that is not valid come from jsonschema,
so the two must agree, which tests check on generated and real data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Predicate = Callable[[Any], bool]
Schema = dict[str, Any]

_ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "$comment",
        "$defs",
        "definitions",
        "title",
        "description",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
    }
)
_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}
# Types whose every value is of the named JSON type: `type(v) in ...` answers these at once.
_EXACT_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
    "array": (list,),
    "object": (dict,),
}


# Keywords `text_test` folds into one function.
_TEXT_KEYWORDS = frozenset({"type", "minLength", "maxLength", "pattern", "format", "enum", "const"})


class Unsupported(Exception):
    """The schema uses a keyword this compiler does not know."""


def compile_predicate(
    root: Schema,
    conforms: Callable[[Any, str], bool],
    format_check: Callable[[str], Predicate | None] | None = None,
) -> Predicate | None:
    """`conforms(value, format)` is the format check jsonschema itself would apply;
    `format_check(format)`, when given, is the same check for one format made once (None when
    every value passes)."""
    try:
        return _Compiler(root, conforms, format_check).compile(root)
    except Unsupported:
        return None


def json_equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, str) != isinstance(b, str):
        return False
    return bool(a == b)


class _Compiler:
    def __init__(
        self,
        root: Schema,
        conforms: Callable[[Any, str], bool],
        format_check: Callable[[str], Predicate | None] | None,
    ) -> None:
        self.root = root
        self.conforms = conforms
        self.format_check = format_check
        self.done: dict[int, Predicate] = {}

    def format_test(self, name: str) -> Predicate | None:
        if self.format_check is not None:
            return self.format_check(name)
        conforms = self.conforms
        return lambda v: conforms(v, name)

    def compile(self, schema: Any) -> Predicate:
        if schema is True:
            return _always
        if schema is False:
            return _never
        if not isinstance(schema, dict):
            raise Unsupported(repr(schema))
        key = id(schema)
        if key in self.done:
            return self.done[key]
        cell: list[Predicate] = []
        self.done[key] = lambda value: cell[0](value)
        checks = [self.keyword(schema, name) for name in schema if name not in _ANNOTATIONS]
        active = [check for check in checks if check is not None]
        general = _all_of(active)
        for_text = self.text_test(schema)
        if for_text is not None:
            cell.append(lambda v: for_text(v) if type(v) is str else general(v))
        else:
            cell.append(general)
        self.done[key] = cell[0]
        return cell[0]

    def text_test(self, schema: Schema) -> Predicate | None:
        """For a schema of plain keywords, one function that answers for a string value as
        all its keywords together would: most front matter values are strings."""
        names = {name for name in schema if name not in _ANNOTATIONS}
        if not names <= _TEXT_KEYWORDS:
            return None
        kinds = schema.get("type", "string")
        typed = "string" in (kinds if isinstance(kinds, list) else [kinds])
        shortest, longest = schema.get("minLength"), schema.get("maxLength")
        pattern = re.compile(schema["pattern"]) if "pattern" in schema else None
        form = self.format_test(schema["format"]) if "format" in schema else None
        options = schema.get("enum")
        same = "const" in schema
        const = schema.get("const")

        def test(v: str) -> bool:
            return (
                typed
                and (shortest is None or len(v) >= shortest)
                and (longest is None or len(v) <= longest)
                and (pattern is None or pattern.search(v) is not None)
                and (form is None or form(v))
                and (options is None or any(json_equal(v, option) for option in options))
                and (not same or json_equal(v, const))
            )

        return test

    def keyword(self, schema: Schema, name: str) -> Predicate | None:
        value = schema[name]
        method = getattr(self, "kw_" + name.lstrip("$").replace("-", "_"), None)
        if method is None:
            raise Unsupported(name)
        result: Predicate | None = method(value, schema)
        return result

    def kw_ref(self, ref: str, _: Schema) -> Predicate:
        if not ref.startswith("#"):
            raise Unsupported(ref)
        target: Any = self.root
        for part in ref[1:].split("/")[1:]:
            if not isinstance(target, dict) or part not in target:
                raise Unsupported(ref)
            target = target[part]
        return self.compile(target)

    def kw_type(self, value: str | list[str], _: Schema) -> Predicate:
        names = value if isinstance(value, list) else [value]
        tests = tuple(_TYPES[name] for name in names)
        passing = frozenset(kind for name in names for kind in _EXACT_TYPES[name])
        if len(tests) == 1:
            only = tests[0]
            return lambda v: type(v) in passing or only(v)
        return lambda v: type(v) in passing or any(test(v) for test in tests)

    def kw_properties(self, value: dict[str, Any], _: Schema) -> Predicate:
        compiled = {name: self.compile(sub) for name, sub in value.items()}

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            for key, item in v.items():
                test = compiled.get(key)
                if test is not None and not test(item):
                    return False
            return True

        return check

    def kw_patternProperties(self, value: dict[str, Any], _: Schema) -> Predicate:
        compiled = [(re.compile(pattern), self.compile(sub)) for pattern, sub in value.items()]

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            for key, item in v.items():
                for pattern, test in compiled:
                    if pattern.search(key) and not test(item):
                        return False
            return True

        return check

    def kw_additionalProperties(self, value: Any, schema: Schema) -> Predicate:
        known = set(schema.get("properties", {}))
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        test = self.compile(value)

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            return all(
                test(item)
                for key, item in v.items()
                if key not in known and not any(p.search(key) for p in patterns)
            )

        return check

    def kw_required(self, value: list[str], _: Schema) -> Predicate:
        if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
            return lambda v: not isinstance(v, dict) or all(name in v for name in value)
        names = frozenset(value)
        return lambda v: not isinstance(v, dict) or v.keys() >= names

    def kw_items(self, value: Any, schema: Schema) -> Predicate:
        if "prefixItems" in schema or not isinstance(value, dict | bool):
            raise Unsupported("items")
        test = self.compile(value)
        return lambda v: not isinstance(v, list) or all(map(test, v))

    def kw_minItems(self, value: int, _: Schema) -> Predicate:
        return lambda v: not isinstance(v, list) or len(v) >= value

    def kw_maxItems(self, value: int, _: Schema) -> Predicate:
        return lambda v: not isinstance(v, list) or len(v) <= value

    def kw_const(self, value: Any, _: Schema) -> Predicate:
        return lambda v: json_equal(v, value)

    def kw_enum(self, value: list[Any], _: Schema) -> Predicate:
        texts = (
            [option for option in value if isinstance(option, str)]
            if isinstance(value, list)
            else []
        )
        # A plain string equals only the plain strings among the options (see json_equal).
        plain = isinstance(value, list) and all(type(option) is str for option in texts)
        strings = frozenset(texts) if plain else frozenset()

        def check(v: Any) -> bool:
            if plain and type(v) is str:
                return v in strings
            return any(json_equal(v, option) for option in value)

        return check

    def kw_minLength(self, value: int, _: Schema) -> Predicate:
        return lambda v: not isinstance(v, str) or len(v) >= value

    def kw_maxLength(self, value: int, _: Schema) -> Predicate:
        return lambda v: not isinstance(v, str) or len(v) <= value

    def kw_pattern(self, value: str, _: Schema) -> Predicate:
        pattern = re.compile(value)
        return lambda v: not isinstance(v, str) or pattern.search(v) is not None

    def kw_format(self, value: str, _: Schema) -> Predicate | None:
        return self.format_test(value)

    def kw_minimum(self, value: float, _: Schema) -> Predicate:
        return lambda v: not _TYPES["number"](v) or v >= value

    def kw_maximum(self, value: float, _: Schema) -> Predicate:
        return lambda v: not _TYPES["number"](v) or v <= value

    def kw_anyOf(self, value: list[Any], _: Schema) -> Predicate:
        tests = [self.compile(sub) for sub in value]
        return lambda v: any(test(v) for test in tests)

    def kw_allOf(self, value: list[Any], _: Schema) -> Predicate:
        return _all_of([self.compile(sub) for sub in value])

    def kw_oneOf(self, value: list[Any], _: Schema) -> Predicate:
        tests = [self.compile(sub) for sub in value]
        return lambda v: sum(1 for test in tests if test(v)) == 1

    def kw_not(self, value: Any, _: Schema) -> Predicate:
        test = self.compile(value)
        return lambda v: not test(v)


def _always(_: Any) -> bool:
    return True


def _never(_: Any) -> bool:
    return False


def _all_of(tests: list[Predicate]) -> Predicate:
    if not tests:
        return _always
    if len(tests) == 1:
        return tests[0]
    first, rest = tests[0], _all_of(tests[1:])
    return lambda v: first(v) and rest(v)
