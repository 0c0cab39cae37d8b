"""Which JSON Schema applies to which file, bundled or the site's own, and one validator each."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from pagemgr.errors import UsageError

# A file's schema key (collection label, "_config", or "_data/<name>") -> bundled schema name.
BUNDLED: dict[str, str] = {
    "publications": "publication",
    "talks": "talk",
    "teaching": "teaching",
    "portfolio": "portfolio",
    "posts": "post",
    "drafts": "post",
    "pages": "page",
    "_config": "config",
    "_data/navigation": "navigation",
    "_data/cv": "cv",
    "_data/authors": "authors",
}


def packaged_dir(name: str) -> Path:
    """`name`/ (schemas, docs) inside the installed package, or at the top of a checkout."""
    package = Path(__file__).resolve().parents[1]  # src/pagemgr, or site-packages/pagemgr
    packaged = package / name
    if packaged.is_dir():
        return packaged
    return package.parents[1] / name


def bundled_dir() -> Path:
    """schemas/ inside the installed package, or at the top of a source checkout."""
    return packaged_dir("schemas")


def bundled_path(name: str) -> Path:
    return bundled_dir() / f"{name}.schema.json"


class SchemaSet:
    """The schemas of one site: bundled ones, replaced or extended by `pagemgr: schemas:`."""

    def __init__(self, root: Path, overrides: dict[str, Any]) -> None:
        self.paths: dict[str, Path] = {key: bundled_path(name) for key, name in BUNDLED.items()}
        for key, value in overrides.items():
            path = (root / str(value)).resolve()
            if not path.is_file():
                raise UsageError(
                    f"_config.yml: pagemgr.schemas.{key} names {value}, which does not exist"
                )
            self.paths[str(key)] = path

    def schema_for(self, key: str | None) -> dict[str, Any] | None:
        if key is None or key not in self.paths:
            return None
        return _load_schema(self.paths[key])

    def validator_for(self, key: str | None) -> Any:
        if key is None or key not in self.paths:
            return None
        return _validator(self.paths[key])

    def predicate_for(self, key: str | None) -> Callable[[Any], bool] | None:
        """A fast yes/no for valid data, or None where only jsonschema can tell."""
        if key is None or key not in self.paths:
            return None
        return _predicate(self.paths[key])


@cache
def _load_schema(path: Path) -> dict[str, Any]:
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: cannot read this schema ({exc})") from None
    if not isinstance(schema, dict):
        raise UsageError(f"{path}: a schema must be a JSON object")
    return schema


@cache
def _validator(path: Path) -> Any:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    schema = _load_schema(path)
    try:
        if not path.is_relative_to(bundled_dir()):  # the bundled ones are checked by the tests
            Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        raise UsageError(f"{path}: not a valid JSON Schema: {exc.message}") from None
    return Draft202012Validator(schema, format_checker=_format_checker())


@cache
def _predicate(path: Path) -> Callable[[Any], bool] | None:
    from pagemgr.check.fastschema import compile_predicate

    if not path.is_relative_to(bundled_dir()):
        _validator(path)  # a site's own schema is checked before it is trusted
    return compile_predicate(_load_schema(path), conforms, format_check)


# Every format jsonschema's checker may know (some only with optional packages installed).
_JSONSCHEMA_FORMATS = frozenset(
    {
        "color",
        "date",
        "date-time",
        "duration",
        "email",
        "hostname",
        "idn-email",
        "idn-hostname",
        "ipv4",
        "ipv6",
        "iri",
        "iri-reference",
        "json-pointer",
        "regex",
        "relative-json-pointer",
        "time",
        "uri",
        "uri-reference",
        "uri-template",
        "uuid",
    }
)
_URI_FORMATS = frozenset({"uri", "uri-reference", "iri", "iri-reference"})


def conforms(value: Any, format_name: str) -> bool:
    """The answer of jsonschema's format checker, without importing jsonschema where the
    answer is known: `jekyll-date` is pagemgr's, an unknown format passes, and URI formats are
    checked only when one of the optional URI libraries is installed."""
    if format_name == "jekyll-date":
        from pagemgr.site.dates import is_jekyll_date

        return is_jekyll_date(value)
    if format_name not in _JSONSCHEMA_FORMATS:
        return True
    if format_name in _URI_FORMATS and not _uri_checks_installed():
        return True
    return bool(_format_checker().conforms(value, format_name))


def format_check(format_name: str) -> Callable[[Any], bool] | None:
    """`conforms` for one format, decided once: None when every value passes."""
    if format_name == "jekyll-date":
        from pagemgr.site.dates import is_jekyll_date

        return is_jekyll_date
    if format_name not in _JSONSCHEMA_FORMATS or (
        format_name in _URI_FORMATS and not _uri_checks_installed()
    ):
        return None
    return lambda value: conforms(value, format_name)


@cache
def _uri_checks_installed() -> bool:
    from importlib.util import find_spec

    return any(find_spec(name) is not None for name in ("rfc3987", "rfc3986_validator"))


@cache
def _format_checker() -> Any:
    from jsonschema import Draft202012Validator

    from pagemgr.site.dates import is_jekyll_date

    checker = Draft202012Validator.FORMAT_CHECKER
    checker.checks("jekyll-date")(is_jekyll_date)
    return checker
