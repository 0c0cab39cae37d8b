"""The edit pipeline: read a file, splice an edit in, check it, then show a diff or write it.

Every edit goes through `Target.edit`: the edited text must parse, must hold what was asked, must
not add an error finding (unless forced), and is written atomically only if the file did not
change on disk meanwhile.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import click

from pagemgr.check import schema_walk
from pagemgr.check.findings import Finding, not_in
from pagemgr.edit import atomic, editpath, jsonedit, render, splice
from pagemgr.edit.editpath import EditPath
from pagemgr.errors import PagemgrError, SiteNotFoundError, UsageError
from pagemgr.site import model as site_module
from pagemgr.site.document import BOM, parse_document
from pagemgr.site.model import Site, SiteFile, find_site_root, load_site
from pagemgr.yaml import yamlio

Kind = Literal["document", "yaml", "json"]
TYPE_NAMES = ("str", "int", "float", "bool", "date", "null", "json")
Operation = Callable[[str], str]


class EditRefused(PagemgrError):
    """The edit would make the file worse; nothing was written."""


@dataclass
class Target:
    """One file opened for editing: the editable region between an untouched prefix and suffix."""

    path: Path
    raw: bytes
    kind: Kind
    prefix: str
    region: str
    suffix: str
    site: Site | None = None
    item: SiteFile | None = None

    @property
    def text(self) -> str:
        return self.prefix + self.region + self.suffix

    @property
    def shown(self) -> str:
        return self.item.rel if self.item is not None else str(self.path)

    def data(self) -> Any:
        if self.kind == "json":
            return jsonedit.get_data(self.region)
        try:
            loaded = yamlio.load(self.region).data
        except yamlio.YamlSyntaxError as exc:
            raise PagemgrError(
                f"{self.shown}:{exc.line + 1 + self.prefix.count(chr(10))}:{exc.column + 1}: "
                f"cannot edit, the YAML does not parse: {exc.message}"
            ) from None
        if self.kind == "document" and loaded is None:
            return {}
        return loaded

    def get(self, parts: EditPath) -> Any:
        return editpath.lookup(self.data(), parts)


def open_target(file: Path, site_path: Path | None = None) -> Target:
    if not file.is_file():
        raise UsageError(f"{file}: no such file")
    site, item = _site_of(file, site_path)
    target = read_target(file, site, item)
    target.data()  # refuse a file that does not parse before doing anything else
    return target


def read_target(file: Path, site: Site | None, item: SiteFile | None) -> Target:
    """The file split into an editable region and untouched text; not parsed yet."""
    raw = atomic.read_bytes(file)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PagemgrError(f"{file}: not UTF-8 text; save it as UTF-8 first") from None
    kind = _kind(file, item)
    if kind != "document":
        bom = BOM if text.startswith(BOM) else ""
        return Target(file, raw, kind, bom, text[len(bom) :], "", site, item)
    document = parse_document(text)
    if not document.has_front_matter:
        raise PagemgrError(
            f"{file}: no front matter (a '---' line, key: value lines, and a closing '---')"
        )
    prefix = BOM if document.bom else ""
    return Target(
        file,
        raw,
        kind,
        prefix,
        document.front_matter,
        document.text[document.yaml_end :],
        site,
        item,
    )


def _site_of(file: Path, site_path: Path | None) -> tuple[Site | None, SiteFile | None]:
    try:
        root = find_site_root(site_path, file.absolute().parent)
    except SiteNotFoundError:
        if site_path is not None:
            raise
        return None, None
    site = load_site(root)
    try:
        rel = Path(os.path.normpath(file.absolute())).relative_to(root).as_posix()
    except ValueError:
        return site, None
    return site, site_module.classify(site, rel)


def _kind(file: Path, item: SiteFile | None) -> Kind:
    if item is not None and item.kind == "document":
        return "document"
    if file.suffix.lower() == ".json":
        return "json"
    if file.suffix.lower() in (".yml", ".yaml"):
        return "yaml"
    return "document"


# --- values ------------------------------------------------------------------------------------


def parse_value(text: str | None, type_name: str) -> Any:
    """The typed value a command line VALUE stands for."""
    if type_name == "null":
        return None
    if text is None:
        raise UsageError("VALUE is missing (only --type null needs none)")
    try:
        return _PARSERS[type_name](text)
    except (ValueError, json.JSONDecodeError) as exc:
        raise UsageError(f"VALUE {text!r} is not a valid {type_name}: {exc}") from None


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "yes", "on", "1"):
        return True
    if lowered in ("false", "no", "off", "0"):
        return False
    raise ValueError("use true or false")


def _date(text: str) -> yamlio.JekyllDate:
    stripped = text.strip()
    try:
        return yamlio.JekyllDate(dt.date.fromisoformat(stripped))
    except ValueError:
        return yamlio.JekyllDate(dt.datetime.fromisoformat(stripped))


_PARSERS: dict[str, Callable[[str], Any]] = {
    "str": str,
    "int": int,
    "float": float,
    "bool": _bool,
    "date": _date,
    "json": json.loads,
}


def plain_json(value: Any) -> Any:
    """A value as JSON data: dates become their ISO strings."""
    if isinstance(value, dict):
        return {str(k): plain_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_json(v) for v in value]
    if isinstance(value, yamlio.JekyllDate):
        return str(value)
    return value


def format_value(value: Any, output_format: str) -> str:
    if output_format == "json":
        return json.dumps(plain_json(value), ensure_ascii=False, indent=2)
    if isinstance(value, str):
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(plain_json(value), ensure_ascii=False, indent=2)
    return render.render_scalar(value)


# --- the edit ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    changed: bool
    diff: str


def edit(
    target: Target,
    operation: Operation,
    *,
    expect: Callable[[Any], bool] | None = None,
    dry_run: bool = False,
    force: bool = False,
) -> Outcome:
    """Apply `operation` to the editable region; check, then write (or only diff)."""
    try:
        region = operation(target.region)
    except (yamlio.YamlSyntaxError, jsonedit.JsonSyntaxError) as exc:
        raise PagemgrError(f"{target.shown}: cannot edit: {exc}") from None
    if region == target.region:
        return Outcome(False, "")
    edited = dataclasses.replace(target, region=region)
    try:
        data = edited.data()
    except PagemgrError:
        raise PagemgrError(
            f"{target.shown}: this edit would not give valid YAML; nothing was written"
        ) from None
    if expect is not None and not expect(data):
        raise PagemgrError(
            f"{target.shown}: pagemgr could not make this edit without changing other values; "
            "nothing was written"
        )
    if not force:
        _refuse_new_errors(target, edited)
    diff = unified_diff(target, edited)
    if not dry_run:
        atomic.write_atomic(target.path, edited.text.encode("utf-8"), target.raw)
    return Outcome(True, diff)


def unified_diff(before: Target, after: Target) -> str:
    name = before.shown
    lines = difflib.unified_diff(
        before.text.splitlines(keepends=True),
        after.text.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


def added_findings(old: list[Finding], new: list[Finding]) -> list[Finding]:
    """The findings of `new` that `old` does not have (by file, rule and message: an edit moves
    lines, so positions do not count)."""
    return not_in(new, old, lambda f: (f.path, f.rule, f.message))


def _refuse_new_errors(before: Target, after: Target) -> None:
    """Refuse an edit that adds an error anywhere in the site; say which warnings it adds."""
    if before.site is None or before.item is None or before.item.kind == "static":
        return
    added = added_findings(*_site_findings(before.site, before.item, after.text))
    for finding in added:
        if finding.severity == "warning":
            click.echo(
                f"{finding.path}:{finding.line}:{finding.column}: warning: {finding.message} "
                f"[{finding.rule}]",
                err=True,
            )
    errors = [f for f in added if f.severity == "error"]
    if errors:
        lines = [f"{f.path}:{f.line}:{f.column}: error: {f.message} [{f.rule}]" for f in errors]
        count = len(errors)
        raise EditRefused(
            "\n".join(lines) + f"\npagemgr: error: the edit would add {count} "
            f"error{'' if count == 1 else 's'}; nothing was written (--force writes it anyway)"
        )


def _site_findings(site: Site, item: SiteFile, text: str) -> tuple[list[Finding], list[Finding]]:
    """Every finding of the whole site before, and with `text` standing in for `item`."""
    from pagemgr.check.pipeline import check_edit, run_checks

    if item.kind != "config":
        return check_edit(site, item, text)
    edited_site = load_site(site.root, config_text=text)  # another config: another site
    return (
        run_checks(site, site.files(), complete=True).findings,
        run_checks(
            edited_site, edited_site.files(), complete=True, overlay={item.rel: text}
        ).findings,
    )


# --- commands ------------------------------------------------------------------------------------


Expectation = Callable[[Any], bool]
EditFactory = Callable[[Target], tuple[Operation, Expectation | None]]


def value_edit(
    file: Path,
    parts: EditPath,
    value: str | None,
    type_name: str | None,
    operation: Literal["set_value", "append"],
    expectation: Callable[[EditPath, Any], Expectation],
    what: str,
    *,
    dry_run: bool,
    force: bool,
    site_path: Path | None,
    new_key: bool = True,
) -> int:
    """The body of set and append: VALUE typed (`type_name` None: as the schema says PATH is),
    then `operation` of the file's editor. Without `new_key`, a key nothing knows is refused."""
    typed = parse_value(value, type_name) if type_name is not None else None

    def build(target: Target) -> tuple[Operation, Expectation]:
        if not new_key:
            refuse_unknown_keys(target, parts)
        wanted = typed if type_name is not None else typed_as_schema_says(target, parts, value)
        new = value_for(target, wanted)
        operate = getattr(module_for(target), operation)
        return (lambda text: str(operate(text, parts, new))), expectation(parts, new)

    return run_edit(file, site_path, what, build, dry_run=dry_run, force=force)


def required_path(path: str) -> EditPath:
    """PATH for an edit that needs a key or item: '.' (the whole file) is refused."""
    parts = editpath.parse_path(path)
    if not parts:
        raise UsageError("PATH '.' (the whole file) works only with get and append")
    return parts


def run_edit(
    file: Path,
    site_path: Path | None,
    what: str,
    factory: EditFactory,
    *,
    dry_run: bool = False,
    force: bool = False,
) -> int:
    """The body of set/unset/append/remove: open, edit, report; returns the exit code."""
    import click

    target = open_target(file, site_path)
    operation, expect = factory(target)
    outcome = edit(target, operation, expect=expect, dry_run=dry_run, force=force)
    if dry_run:
        click.echo(outcome.diff, nl=False)
    elif outcome.changed:
        click.echo(f"pagemgr: {target.shown}: {what}", err=True)
    else:
        click.echo(f"pagemgr: {target.shown}: already so; nothing to change", err=True)
    return 0


def module_for(target: Target) -> Any:
    return jsonedit if target.kind == "json" else splice


def value_for(target: Target, value: Any) -> Any:
    return plain_json(value) if target.kind == "json" else value


def holds(parts: EditPath, value: Any) -> Expectation:
    def check(data: Any) -> bool:
        try:
            got = editpath.lookup(data, parts)
        except PagemgrError:
            return False
        return render.same(got, value) or render.same(plain_json(got), plain_json(value))

    return check


# --- what the schema and the site know about a key ---------------------------------------------


def schema_of(target: Target) -> schema_walk.Schema:
    """The schema that applies to the file, or {} when none does."""
    if target.site is None or target.item is None:
        return {}
    from pagemgr.check.schemas import SchemaSet

    overrides = target.site.pagemgr_settings.get("schemas")
    schemas = SchemaSet(target.site.root, overrides if isinstance(overrides, dict) else {})
    return schemas.schema_for(target.item.schema_key) or {}


def typed_as_schema_says(target: Target, parts: EditPath, text: str | None) -> Any:
    """VALUE read as the type the schema gives PATH (a date, true/false, a number, a list...);
    as text when the schema allows text or VALUE is not of its type. Where no schema speaks,
    VALUE spelt as `get` prints the current value keeps its type, so that setting what `get`
    printed changes nothing."""
    if text is None:
        return parse_value(text, "str")  # says that VALUE is missing
    schema = schema_of(target)
    sub = schema_walk.at(schema, list(parts)) if schema else {}
    return parse_value(text, _type_for(sub, text) if sub else _type_of_current(target, parts, text))


_KEPT_TYPES = ((yamlio.JekyllDate, "date"), (bool, "bool"), (int, "int"), (float, "float"))


def _type_of_current(target: Target, parts: EditPath, text: str) -> str:
    current = _at(target.data(), parts)
    for kind, type_name in _KEPT_TYPES:
        if isinstance(current, kind):
            return type_name if _spelt_as_get_prints(text, type_name) else "str"
    return "str"


def _spelt_as_get_prints(text: str, type_name: str) -> bool:
    try:
        return format_value(_PARSERS[type_name](text), "text") == text
    except ValueError:
        return False


def _type_for(sub: schema_walk.Schema, text: str) -> str:
    if sub.get("format") == "jekyll-date":
        return "date" if _reads_as(text, "date", ("string",)) else "str"
    kinds = sub.get("type")
    allowed = tuple(kinds) if isinstance(kinds, list) else (kinds,)
    if ("array" in allowed or "object" in allowed) and _reads_as(text, "json", allowed):
        return "json"
    if "string" in allowed:
        return "str"
    for kind, type_name in (("boolean", "bool"), ("integer", "int"), ("number", "float")):
        if kind in allowed and _reads_as(text, type_name, allowed):
            return type_name
    return "str"


def _reads_as(text: str, type_name: str, allowed: tuple[Any, ...]) -> bool:
    try:
        value = _PARSERS[type_name](text)
    except (ValueError, json.JSONDecodeError):
        return False
    if type_name != "json":
        return True
    return ("array" in allowed and isinstance(value, list)) or (
        "object" in allowed and isinstance(value, dict)
    )


def refuse_unknown_keys(target: Target, parts: EditPath) -> None:
    """Refuse to create a key that neither the schema nor the file's kin know: most likely a
    typo, which Jekyll would silently ignore (`set --new` creates it anyway)."""
    node: Any = target.data()
    for depth, part in enumerate(parts):
        if _has(node, part):
            node = node[part]
        elif isinstance(part, str) and (node is None or isinstance(node, dict)):
            _refuse_unless_known(target, parts[:depth], part)
            node = None
        else:
            return  # the editor says what is wrong with the path


def _refuse_unless_known(target: Target, parent: EditPath, key: str) -> None:
    named = _schema_keys(target, parent)
    if named is None or key in named:
        return  # None: the schema takes any key here (menu names, author ids, free settings)
    used = _keys_of_kin(target, parent)
    if key in used:
        return
    guess = schema_walk.did_you_mean(key, tuple(dict.fromkeys([*named, *used])))
    where = f" in {editpath.format_path(parent)}" if parent else ""
    raise PagemgrError(
        f"{target.shown}: unknown key '{key}'{where}"
        + (f" (did you mean '{guess}'?)" if guess else "")
        + "; neither the schema nor other files like this one use it, so nothing was written "
        "(--new adds it anyway)"
    )


def _schema_keys(target: Target, parent: EditPath) -> tuple[str, ...] | None:
    """The keys the schema names for the mapping at `parent`; None when it takes any key
    there, () when no schema describes it."""
    schema = schema_of(target)
    sub = schema_walk.at(schema, list(parent)) if schema else {}
    return schema_walk.known_keys(sub) if sub else ()


def _keys_of_kin(target: Target, parent: EditPath) -> set[str]:
    """Keys of the mappings like the one at `parent`: the other items of its list, and the same
    mapping in the other documents of the collection."""
    found: set[str] = set()
    indexes = [depth for depth, part in enumerate(parent) if isinstance(part, int)]
    if indexes:
        last = indexes[-1]
        siblings = _at(target.data(), parent[:last])
        for item in siblings if isinstance(siblings, list) else ():
            found.update(_keys(_at(item, parent[last + 1 :])))
    for data in _other_documents(target):
        found.update(_keys(_at(data, parent)))
    return found


def _other_documents(target: Target) -> Iterator[Any]:
    """The front matter of each other readable document of the target's collection."""
    site, item = target.site, target.item
    if site is None or item is None or item.kind != "document":
        return
    collection = site.collections.get(item.collection or "")
    folder = site.root / collection.folder if collection is not None else None
    items = site.files_under([folder]) if folder is not None and folder.is_dir() else site.files()
    for other in items:
        if other.kind != "document" or other.collection != item.collection or other.rel == item.rel:
            continue
        try:
            document = parse_document(Path(other.location).read_text(encoding="utf-8"))
            data = yamlio.load(document.front_matter).data if document.has_front_matter else None
        except (OSError, UnicodeDecodeError, yamlio.YamlSyntaxError):
            continue
        yield data


def _at(data: Any, path: EditPath) -> Any:
    for part in path:
        if not _has(data, part):
            return None
        data = data[part]
    return data


def _has(data: Any, part: str | int) -> bool:
    if isinstance(part, int):
        return isinstance(data, list) and -len(data) <= part < len(data)
    return isinstance(data, dict) and part in data


def _keys(data: Any) -> set[str]:
    return {str(key) for key in data} if isinstance(data, dict) else set()
