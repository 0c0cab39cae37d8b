"""The site model: where the site is, what its collections are, and what each file is to Jekyll."""

from __future__ import annotations

import fnmatch
import os
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pagemgr.errors import SiteNotFoundError, UsageError
from pagemgr.site.builder import (
    DEFAULT_BUILDER,
    BuilderChoice,
    builder_setting,
    detect_builder,
    shows_future_posts,
    yaml_rules,
)
from pagemgr.yaml import yamlio

CONFIG_NAME = "_config.yml"
DATA_EXTENSIONS = (".yml", ".yaml", ".json")
DEFAULT_MARKDOWN_EXT = "markdown,mkdown,mkdn,mkd,md"
DEFAULT_CHOICE = BuilderChoice(DEFAULT_BUILDER, "no workflow builds Jekyll: GitHub Pages' builder")
# Jekyll's own default excludes, plus what a site build and its tools leave behind.
DEFAULT_EXCLUDES = (
    ".sass-cache",
    ".jekyll-cache",
    "gemfiles",
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor",
    "_site",
    ".git",
)
SPECIAL_DIRS = ("_layouts", "_includes", "_sass", "_plugins", "_site", "_data")

FileKind = Literal["document", "data", "config", "static", "outside-link"]


@dataclass(frozen=True, slots=True)
class Collection:
    label: str
    folder: str  # relative to the site root, e.g. "_publications"
    output: bool
    permalink: str | None


def pickled_as_tuple(self: tuple[Any, ...]) -> tuple[Any, ...]:
    """A named tuple's `__reduce__` that unpickles with one C call, not a Python `__new__`:
    the check cache holds tens of thousands of them."""
    return (tuple.__new__, (type(self), tuple(self)))


class SiteFile(NamedTuple):
    location: str  # where the file is, as the operating system takes it
    rel: str  # posix path relative to the site root
    kind: FileKind
    collection: str | None = None  # "posts", "drafts", "pages" or a collection label

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_as_tuple(self)

    @property
    def path(self) -> Path:
        return Path(self.location)

    @property
    def schema_key(self) -> str | None:
        if self.kind == "document":
            return self.collection
        if self.kind == "config":
            return "_config"
        if self.kind == "data":
            return os.path.splitext(self.rel)[0]
        return None


@dataclass
class Site:
    root: Path
    config: dict[str, Any] = field(default_factory=dict)
    config_text: str | None = None
    config_loaded: yamlio.Loaded | None = None
    config_error: yamlio.YamlSyntaxError | None = None
    # What SafeYAML raised on a _config.yml that parses (its builder reads it with SafeYAML).
    config_load_error: yamlio.SafeYamlError | None = None
    # Which program builds the site (site.builder): whose YAML rules every file is read with.
    builder: BuilderChoice = DEFAULT_CHOICE
    collections: dict[str, Collection] = field(default_factory=dict)
    # What each folder held at the last walk (from the check cache): unchanged folders are not
    # read again. None: always read.
    folder_scans: dict[str, FolderScan] | None = None
    folders_changed: bool = False

    @cached_property
    def document_extensions(self) -> frozenset[str]:
        raw = self.config.get("markdown_ext", DEFAULT_MARKDOWN_EXT)
        names = str(raw).split(",") if raw else DEFAULT_MARKDOWN_EXT.split(",")
        return frozenset({"." + name.strip() for name in names if name.strip()} | {".html"})

    @property
    def publication_categories(self) -> dict[str, Any] | None:
        value = self.config.get("publication_category")
        return value if isinstance(value, dict) else None

    @cached_property
    def shows_future_posts(self) -> bool:
        """Whether the builder writes documents dated after the build (`future:`)."""
        return shows_future_posts(self.builder.builder, self.config)

    @property
    def yaml_rules(self) -> yamlio.Rules:
        """Whose rules this site's YAML is read with: SafeYAML's unless Debian's Psych builds."""
        return yaml_rules(self.builder.builder)

    @property
    def pagemgr_settings(self) -> dict[str, Any]:
        value = self.config.get("pagemgr")
        return value if isinstance(value, dict) else {}

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    @cached_property
    def exclude_pattern(self) -> re.Pattern[str]:
        return _glob_pattern([*DEFAULT_EXCLUDES, *_strings(self.config.get("exclude"))])

    @cached_property
    def include_pattern(self) -> re.Pattern[str]:
        return _glob_pattern(_strings(self.config.get("include")))

    def files(self) -> Iterator[SiteFile]:
        """Every file Jekyll would consider, in a stable order, classified."""
        yield from _walk(self, self.root)

    def files_under(self, paths: Iterable[Path]) -> Iterator[SiteFile]:
        """The site files named by `paths` (files or folders inside the site)."""
        seen: set[str] = set()
        wanted = [_inside(self.root, path) for path in paths]
        folders = [rel for rel in wanted if rel == "" or (self.root / rel).is_dir()]
        for rel in wanted:
            if rel not in folders and rel not in seen:
                seen.add(rel)
                item = classify(self, rel)
                if item is not None:
                    yield item
        if not folders:
            return
        wanted = folders
        for item in self.files():
            if item.rel in seen:
                continue
            if any(
                item.rel == rel or item.rel.startswith(rel + "/") or rel == "" for rel in wanted
            ):
                seen.add(item.rel)
                yield item


def _inside(root: Path, path: Path) -> str:
    absolute = path.absolute()
    if not absolute.exists() and not absolute.is_symlink():
        raise UsageError(f"{path}: no such file or folder")
    try:
        rel = Path(os.path.normpath(absolute)).relative_to(root)
    except ValueError:
        raise UsageError(f"{path} is not inside the site at {root}; pass --site") from None
    return "" if rel == Path(".") else rel.as_posix()


def find_site_root(explicit: Path | None, cwd: Path) -> Path:
    if explicit is not None:
        if not (explicit / CONFIG_NAME).is_file():
            raise SiteNotFoundError(f"{explicit}: no {CONFIG_NAME} there; is this a Jekyll site?")
        return Path(os.path.normpath(explicit.absolute()))
    for folder in (cwd, *cwd.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    if (cwd / "site" / CONFIG_NAME).is_file():
        return cwd / "site"
    raise SiteNotFoundError(
        f"no {CONFIG_NAME} in {cwd} or any folder above it; run inside a site or pass --site PATH"
    )


def hook_start(paths: Sequence[Path]) -> Path:
    """Where a pre-commit hook looks for the site: the first named file's folder (the site may
    be a subfolder of the repository), else the working folder."""
    for path in paths:
        return path.absolute().parent
    return Path.cwd()


def files_in_site(root: Path, paths: Sequence[Path]) -> list[Path]:
    """The `paths` that are existing files inside the site (a hook gets every changed file)."""
    return [
        path
        for path in paths
        if path.absolute().is_file()
        and Path(os.path.normpath(path.absolute())).is_relative_to(root)
    ]


def load_site(root: Path, config_text: str | None = None, cached: bool = True) -> Site:
    """The site at `root`; `config_text` stands in for its _config.yml (an edit being checked).
    With `cached`, an unchanged _config.yml is taken as parsed last time (see config_cache).

    _config.yml is read with SafeYAML's rules, as Jekyll 3.10 and upstream Jekyll read it, unless
    its `pagemgr: builder:` says debian-psych: then it is read again with Psych's."""
    site = Site(root=root)
    config_path = root / CONFIG_NAME
    try:
        if config_text is None:
            config_text = config_path.read_bytes().decode("utf-8")
        site.config_text = config_text.removeprefix("\ufeff")
        site.config_loaded = _read_config(root, site.config_text, cached)
    except (OSError, UnicodeDecodeError):
        site.config_text = None
    except yamlio.YamlSyntaxError as exc:
        site.config_error = exc
    except yamlio.SafeYamlError as exc:
        site.config_load_error = exc
    if site.config_loaded is not None and isinstance(site.config_loaded.data, dict):
        site.config = site.config_loaded.data
    site.builder = detect_builder(root, site.pagemgr_settings)
    site.collections = _collections(site.config)
    return site


def _read_config(root: Path, text: str, cached: bool) -> yamlio.Loaded:
    """_config.yml under the rules its own `pagemgr: builder:` setting implies."""
    try:
        loaded = _parsed_config(root, text, cached, "safe_yaml")
    except yamlio.SafeYamlError:
        psych = _parsed_config(root, text, cached, "psych")
        if _setting_in(psych) == "debian-psych":
            return psych
        raise
    if _setting_in(loaded) == "debian-psych":
        return _parsed_config(root, text, cached, "psych")
    return loaded


def _setting_in(loaded: yamlio.Loaded) -> str | None:
    data = loaded.data if isinstance(loaded.data, dict) else {}
    settings = data.get("pagemgr")
    return builder_setting(settings) if isinstance(settings, dict) else None


def _parsed_config(root: Path, text: str, cached: bool, rules: yamlio.Rules) -> yamlio.Loaded:
    if not cached:
        return yamlio.load(text, rules)
    from pagemgr.site import config_cache  # only a run with the cache reads it

    return config_cache.load_config(root, text, rules)


def _collections(config: dict[str, Any]) -> dict[str, Collection]:
    raw = config.get("collections")
    base = str(config.get("collections_dir") or "").strip("/")
    entries: dict[str, dict[str, Any]] = {}
    if isinstance(raw, dict):
        entries = {str(k): (v if isinstance(v, dict) else {}) for k, v in raw.items()}
    elif isinstance(raw, list):
        entries = {str(k): {} for k in raw}
    found: dict[str, Collection] = {}
    for label, options in entries.items():
        if label in ("posts", "drafts"):
            continue
        folder = f"{base}/_{label}" if base else f"_{label}"
        permalink = options.get("permalink")
        found[label] = Collection(
            label, folder, bool(options.get("output", False)), str(permalink) if permalink else None
        )
    posts_folder = f"{base}/_posts" if base else "_posts"
    drafts_folder = f"{base}/_drafts" if base else "_drafts"
    posts_permalink = config.get("permalink")
    found["posts"] = Collection("posts", posts_folder, True, str(posts_permalink or "date"))
    found["drafts"] = Collection("drafts", drafts_folder, False, None)
    return found


def _excluded(site: Site, rel: str, name: str) -> bool:
    if site.exclude_pattern.match(rel):
        return True
    if site.include_pattern.match(rel):
        return False
    return name.startswith((".", "#")) or name.endswith("~")


def _glob_pattern(globs: Iterable[str]) -> re.Pattern[str]:
    """One regular expression matching any of `globs`, as fnmatch would match each."""
    parts = [fnmatch.translate(glob.strip("/")) for glob in globs if glob.strip("/")]
    return re.compile("|".join(f"(?:{part})" for part in parts) or r"(?!)")


def _included(site: Site, top: str) -> bool:
    return any(inc.strip("/") == top for inc in _strings(site.config.get("include")))


def _wanted_folder(site: Site, rel: str, name: str, folders: dict[str, str]) -> bool:
    """Underscore folders are Jekyll's own; collections, data and included ones hold content."""
    if not name.startswith("_") or "/" in rel:
        return True
    return (
        rel in folders
        or rel == "_data"
        or _included(site, rel)
        or any(folder.startswith(rel + "/") for folder in folders)
    )


def _strings(value: Any) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


class FolderScan(NamedTuple):
    """What one folder held when it was read: its own site files, in walk order, and the
    subfolders to descend into. Valid while the folder's mtime is unchanged."""

    mtime: int  # st_mtime_ns when read; -1 when too recent to trust
    items: tuple[SiteFile, ...]
    subfolders: tuple[tuple[str, str], ...]  # (location, rel) of each

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_as_tuple(self)


# A folder changed just before it was read may change again within the same timestamp tick,
# unseen: such a listing is not trusted by the next run. File systems with whole-second (or
# hundredth) timestamps get a wide margin; nanosecond ones only cover the kernel's coarse clock.
_RACY_COARSE_NS = 2_000_000_000
_RACY_FINE_NS = 100_000_000


def _trusted(mtime: int, read_at: int) -> bool:
    coarse = mtime % 10_000_000 == 0
    return read_at - mtime > (_RACY_COARSE_NS if coarse else _RACY_FINE_NS)


def _walk(site: Site, root: Path) -> Iterator[SiteFile]:
    folders = {c.folder: c.label for c in site.collections.values()}
    seen: dict[str, FolderScan] = {}
    yield from _walk_folder(site, root, folders, str(root), "", seen)
    if site.folder_scans is not None:
        site.folders_changed = site.folders_changed or seen.keys() != site.folder_scans.keys()
        site.folder_scans = seen


def _walk_folder(
    site: Site,
    root: Path,
    folders: dict[str, str],
    here: str,
    rel_dir: str,
    seen: dict[str, FolderScan],
) -> Iterator[SiteFile]:
    """Top-down like os.walk; a folder whose mtime is what it was last time is not re-read.
    Without folder listings to keep (no cache), a folder's files stream out one by one."""
    if site.folder_scans is None:
        entries = _listing(here)
        if entries is None:
            return
        subfolders: list[tuple[str, str]] = []
        yield from _folder_items(site, root, folders, here, rel_dir, entries, subfolders)
        del entries
    else:
        scan = _folder_scan(site, root, folders, here, rel_dir)
        if scan is None:
            return
        seen[rel_dir] = scan
        yield from scan.items
        subfolders = list(scan.subfolders)
    for path, rel in subfolders:
        yield from _walk_folder(site, root, folders, path, rel, seen)


def _folder_scan(
    site: Site, root: Path, folders: dict[str, str], here: str, rel_dir: str
) -> FolderScan | None:
    try:
        mtime = os.stat(here).st_mtime_ns
    except OSError:
        return None
    known = site.folder_scans.get(rel_dir) if site.folder_scans is not None else None
    if known is not None and known.mtime == mtime:
        return known
    scan = _read_folder(site, root, folders, here, rel_dir)
    if scan is None:
        return None
    site.folders_changed = True
    return FolderScan(mtime if _trusted(mtime, time.time_ns()) else -1, *scan)


def _read_folder(
    site: Site, root: Path, folders: dict[str, str], here: str, rel_dir: str
) -> tuple[tuple[SiteFile, ...], tuple[tuple[str, str], ...]] | None:
    entries = _listing(here)
    if entries is None:
        return None
    subfolders: list[tuple[str, str]] = []
    items = tuple(_folder_items(site, root, folders, here, rel_dir, entries, subfolders))
    return items, tuple(subfolders)


# Listing entries: the name, NUL (below every character of a name, so the entries sort as the
# names do), then whether it is a folder and whether it is a symbolic link.
_FOLDER, _LINK = 1, 2


def _listing(here: str) -> list[str] | None:
    """The folder's entries, sorted by name: strings, not DirEntry objects, which in a folder
    of 50,000 papers is a few MB instead of twenty."""
    entries: list[str] = []
    try:
        with os.scandir(here) as listing:
            for entry in listing:
                try:
                    is_folder = entry.is_dir()
                except OSError:
                    is_folder = False
                kind = (_FOLDER if is_folder else 0) | (_LINK if entry.is_symlink() else 0)
                entries.append(f"{entry.name}\0{kind}")
    except OSError:
        return None
    entries.sort()
    return entries


def _folder_items(
    site: Site,
    root: Path,
    folders: dict[str, str],
    here: str,
    rel_dir: str,
    entries: list[str],
    subfolders: list[tuple[str, str]],
) -> Iterator[SiteFile]:
    """The items of the folder `here` whose `_listing` is `entries` (links out of the site
    first, then files, each by name); its folders to walk are added to `subfolders`."""
    for entry in entries:
        name, _, kind = entry.partition("\0")
        if not int(kind) & _FOLDER:
            continue
        rel = f"{rel_dir}/{name}" if rel_dir else name
        path = os.path.join(here, name)
        if int(kind) & _LINK:
            if _points_outside(root, Path(path)):
                yield SiteFile(path, rel, "outside-link")
        elif not _excluded(site, rel, name) and _wanted_folder(site, rel, name, folders):
            subfolders.append((path, rel))
    inside = _collection_holding(rel_dir, folders) if rel_dir else None
    for entry in entries:
        name, _, kind = entry.partition("\0")
        if int(kind) & _FOLDER:
            continue
        rel = f"{rel_dir}/{name}" if rel_dir else name
        if _excluded(site, rel, name):
            continue
        item = _classify(
            site, os.path.join(here, name), rel, folders, int(kind) & _LINK != 0, inside
        )
        if item is not None:
            yield item


def _extension(rel: str) -> str:
    """`os.path.splitext(rel)[1]`: from the last dot of the name, unless only dots precede it."""
    name = rel[rel.rfind("/") + 1 :]
    dot = name.rfind(".")
    return name[dot:] if dot > 0 and name[:dot].lstrip(".") else ""


def _collection_holding(rel_dir: str, folders: dict[str, str]) -> str | None:
    """The label of the collection whose folder is or holds `rel_dir`, as `_classify` finds
    it for each file in it (the first such folder in `folders`)."""
    for folder, label in folders.items():
        if rel_dir == folder or rel_dir.startswith(folder + "/"):
            return label
    return None


def _points_outside(root: Path, path: Path) -> bool:
    """A symlink leading out of the site; a loop or a broken link is left to the reader."""
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return True
    except (OSError, RuntimeError):
        return False
    return False


def _classify(
    site: Site,
    path: str,
    rel: str,
    folders: dict[str, str],
    is_link: bool | None = None,
    collection: str | None = None,
) -> SiteFile | None:
    """`collection`, when known, is `_collection_holding` of the file's folder."""
    is_link = os.path.islink(path) if is_link is None else is_link
    if is_link and _points_outside(site.root, Path(path)):
        return SiteFile(path, rel, "outside-link")
    if rel == CONFIG_NAME:
        return SiteFile(path, rel, "config")
    top = rel.split("/", 1)[0]
    if rel.startswith("_data/"):
        return SiteFile(path, rel, "data") if rel.endswith(DATA_EXTENSIONS) else None
    extension = _extension(rel).lower()
    is_text = extension in site.document_extensions
    if collection is None and "/" in rel:
        collection = _collection_holding(rel.rsplit("/", 1)[0], folders)
    if collection is not None:
        return SiteFile(path, rel, "document" if is_text else "static", collection)
    if top in SPECIAL_DIRS or (top.startswith("_") and not _included(site, top)):
        return None
    return SiteFile(path, rel, "document" if is_text else "static", "pages")


def classify(site: Site, rel: str) -> SiteFile | None:
    """What the file at `rel` (posix, relative to the site root) is to Jekyll, without a walk.

    The same answer `Site.files()` gives for that path, or None when Jekyll would not read it.
    The file need not exist (a deleted file is classified by its path).
    """
    folders = {c.folder: c.label for c in site.collections.values()}
    parts = rel.split("/")
    for depth in range(1, len(parts)):
        folder_rel = "/".join(parts[:depth])
        name = parts[depth - 1]
        if (site.root / folder_rel).is_symlink():
            return None
        if _excluded(site, folder_rel, name) or not _wanted_folder(site, folder_rel, name, folders):
            return None
    if _excluded(site, rel, parts[-1]):
        return None
    return _classify(site, os.path.join(site.root, rel), rel, folders)
