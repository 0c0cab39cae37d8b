"""Which builder turns the site into HTML, and what that builder forces on it.

Three builders read the same files differently (docs/yaml-builders.md):

* `github-pages` (the default): GitHub's own Pages builder (pages-build-deployment, or a
  workflow using actions/jekyll-build-pages). It ignores the site's Gemfile and runs the
  github-pages gem 232: Jekyll 3.10.0, YAML by SafeYAML 1.0.5, and the configuration below
  forced on top of `_config.yml` (`safe: true`, a plugin allow-list, kramdown settings). The
  gem's own `future: true` default never takes effect: it is merged under a configuration that
  already holds Jekyll's `future: false`. A site whose own workflow builds with a Gemfile naming
  the github-pages gem gets the same.
* `jekyll`: upstream Jekyll built by the site's own workflow from a Gemfile without the
  github-pages gem: SafeYAML's rules too, Jekyll's own defaults (`future: false`), any plugin.
* `debian-psych`: Debian's jekyll 4.3 package, patched to read YAML with Psych's safe_load.
  Chosen only by setting (`pagemgr: {builder: debian-psych}`): it is what pagemgr's tests run.

`detect_builder` decides, a `builder:` key in `_config.yml`'s `pagemgr:` block winning;
`effective_config` is the configuration the builder runs with. Every constant names its source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pagemgr.errors import UsageError

Builder = Literal["github-pages", "jekyll", "debian-psych"]
YamlRules = Literal["safe_yaml", "psych"]

BUILDERS: tuple[Builder, ...] = ("github-pages", "jekyll", "debian-psych")
DEFAULT_BUILDER: Builder = "github-pages"
SETTING = "builder"  # the key inside _config.yml's `pagemgr:` block

_VENDORED = "marcofaga/marcofaga.github.io vendor/bundle/ruby/3.2.0/gems"
_PAGES_232 = f"{_VENDORED}/github-pages-232/lib/github-pages"
_JEKYLL_310 = f"{_VENDORED}/jekyll-3.10.0/lib/jekyll"
# Debian's package jekyll 4.3.1+dfsg-3+deb12u1, as installed with `apt-get install jekyll`.
_JEKYLL_431 = "/usr/share/rubygems-integration/all/gems/jekyll-4.3.1/lib/jekyll"

# What the github-pages gem 232 pins (dependencies.rb:8-44).
PAGES_GEM_VERSION = "232"
PAGES_VERSIONS: Mapping[str, str] = {
    "jekyll": "3.10.0",
    "jekyll-sass-converter": "1.5.2",
    "kramdown": "2.4.0",
    "kramdown-parser-gfm": "1.1.0",
    "jekyll-commonmark-ghpages": "0.5.1",
    "liquid": "4.0.4",
    "rouge": "3.30.0",
    "safe_yaml": "1.0.5",  # jekyll 3.10.0's dependency, its last release; dependencies.rb:72
}

# Plugins the Pages builder always loads (plugins.rb:7-18) and the only ones it allows
# (plugins.rb:21-42); anything else in `plugins:` is not run, so its pages are not generated.
PAGES_DEFAULT_PLUGINS: tuple[str, ...] = (
    "jekyll-coffeescript",
    "jekyll-commonmark-ghpages",
    "jekyll-gist",
    "jekyll-github-metadata",
    "jekyll-paginate",
    "jekyll-relative-links",
    "jekyll-optional-front-matter",
    "jekyll-readme-index",
    "jekyll-default-layout",
    "jekyll-titles-from-headings",
)
PAGES_PLUGIN_WHITELIST: frozenset[str] = frozenset(
    {
        "jekyll-coffeescript",
        "jekyll-commonmark-ghpages",
        "jekyll-feed",
        "jekyll-gist",
        "jekyll-github-metadata",
        "jekyll-paginate",
        "jekyll-redirect-from",
        "jekyll-seo-tag",
        "jekyll-sitemap",
        "jekyll-avatar",
        "jemoji",
        "jekyll-mentions",
        "jekyll-relative-links",
        "jekyll-optional-front-matter",
        "jekyll-readme-index",
        "jekyll-default-layout",
        "jekyll-titles-from-headings",
        "jekyll-include-cache",
        "jekyll-octicons",
        "jekyll-remote-theme",
    }
)

# configuration.rb:15-30: defaults under the site's configuration. That configuration already
# holds Jekyll's DEFAULTS when the after_reset hook runs (github-pages.rb:18-20), so only keys
# Jekyll has no default for take effect (theme, jailed, gfm_quirks...): `future: true` loses to
# Jekyll's `future: false`, as the Pages action's own test project future-false shows (no
# `future:` in its _config.yaml, and the post dated after `time:` is not in its _expected).
PAGES_DEFAULTS: Mapping[str, Any] = {
    "jailed": False,
    "plugins": list(PAGES_DEFAULT_PLUGINS),
    "future": True,
    "theme": "jekyll-theme-primer",
    "markdown": "kramdown",
    "kramdown": {
        "input": "GFM",
        "hard_wrap": False,
        "gfm_quirks": "paragraph_end",
        "syntax_highlighter_opts": {"default_lang": "plaintext"},
    },
    "exclude": ["CNAME"],
}
# configuration.rb:33-37, used because the builder runs with JEKYLL_ENV=production
# (actions/jekyll-build-pages entrypoint.sh:16).
PAGES_PRODUCTION_DEFAULTS: Mapping[str, Any] = {"sass": {"style": "compressed"}}
# configuration.rb:49-63: set whatever _config.yml says. `plugins_dir` becomes a random name,
# so a site's _plugins folder is never loaded; `safe: true` also skips it (plugin_manager.rb).
PAGES_OVERRIDES: Mapping[str, Any] = {
    "lsi": False,
    "safe": True,
    "plugins_dir": "<random: SecureRandom.hex>",
    "whitelist": sorted(PAGES_PLUGIN_WHITELIST),
    "highlighter": "rouge",
    "kramdown": {"template": "", "math_engine": "mathjax", "syntax_highlighter": "rouge"},
    "gist": {"noscript": False},
}
# configuration.rb:141-142: any other `markdown:` is replaced by kramdown.
PAGES_MARKDOWN_ENGINES = frozenset({"kramdown", "gfm", "commonmarkghpages"})

# Jekyll 3.10.0's configuration.rb:7-88 DEFAULTS, the part pagemgr reads (Jekyll 4.3.1's have
# the same values for these keys: configuration.rb:20-32 in Debian's package).
JEKYLL_DEFAULTS: Mapping[str, Any] = {
    "collections_dir": "",
    "plugins_dir": "_plugins",
    "layouts_dir": "_layouts",
    "data_dir": "_data",
    "includes_dir": "_includes",
    "collections": {},
    "safe": False,
    "include": [".htaccess"],
    "exclude": [
        "Gemfile",
        "Gemfile.lock",
        "node_modules",
        "vendor/bundle/",
        "vendor/cache/",
        "vendor/gems/",
        "vendor/ruby/",
    ],
    "encoding": "utf-8",
    "markdown_ext": "markdown,mkdown,mkdn,mkd,md",
    "strict_front_matter": False,
    "show_drafts": None,
    "limit_posts": 0,
    "future": False,
    "unpublished": False,
    "whitelist": [],
    "plugins": [],
    "markdown": "kramdown",
    "highlighter": "rouge",
    "lsi": False,
    "excerpt_separator": "\n\n",
    "permalink": "date",
    "timezone": None,
    "kramdown": {
        "auto_ids": True,
        "toc_levels": "1..6",
        "entity_output": "as_char",
        "smart_quotes": "lsquo,rsquo,ldquo,rdquo",
        "input": "GFM",
        "hard_wrap": False,
        "guess_lang": True,
        "footnote_nr": 1,
        "show_warnings": False,
    },
}

SOURCES: Mapping[str, str] = {
    "versions": f"{_PAGES_232}/dependencies.rb:8-44 (jekyll: line 10)",
    "default plugins": f"{_PAGES_232}/plugins.rb:7-18",
    "plugin whitelist": f"{_PAGES_232}/plugins.rb:21-42",
    "pages defaults (future: true)": f"{_PAGES_232}/configuration.rb:15-30 (future: line 18)",
    "production defaults": f"{_PAGES_232}/configuration.rb:33-37",
    "overrides (safe: true)": f"{_PAGES_232}/configuration.rb:49-63 (safe: line 51)",
    "effective config order": f"{_PAGES_232}/configuration.rb:94-114",
    "markdown engines": f"{_PAGES_232}/configuration.rb:140-150",
    "plugins always added": f"{_PAGES_232}/configuration.rb:166-171",
    "production environment": "actions/jekyll-build-pages entrypoint.sh:16 (JEKYLL_ENV=production)",
    "jekyll defaults": f"{_JEKYLL_310}/configuration.rb:7-88 (safe: 19, future: 33)",
    "debian defaults": f"{_JEKYLL_431}/configuration.rb:20-32",
    "nil keeps the default": f"{_JEKYLL_431}/utils.rb:335-339 (merge_values)",
    "safe mode loads only whitelisted gems": f"{_JEKYLL_431}/plugin_manager.rb:77-78,93",
    "gems renamed plugins": f"{_JEKYLL_310}/configuration.rb (backwards_compatibilize)",
    "hook on a configured site": f"{_VENDORED}/github-pages-232/lib/github-pages.rb:18-20",
    "future stays false": "actions/jekyll-build-pages test_projects/future-false/_config.yaml:1-2",
}


class BuilderChoice(NamedTuple):
    """The builder pagemgr assumes, why (one line for `pagemgr check`), and the file that
    decided it (relative to the site root), if any."""

    builder: Builder
    reason: str
    evidence: str | None = None


def yaml_rules(builder: Builder) -> YamlRules:
    """Whose YAML rules the builder reads with: Psych's only on Debian's patched package."""
    return "psych" if builder == "debian-psych" else "safe_yaml"


def builder_setting(settings: Mapping[str, Any]) -> Builder | None:
    """The builder named in the `pagemgr:` block, None when there is none."""
    value = settings.get(SETTING)
    if value is None:
        return None
    for builder in BUILDERS:
        if value == builder:
            return builder
    choices = ", ".join(BUILDERS)
    raise UsageError(f"_config.yml: pagemgr: builder: {value!r} is not one of {choices}")


def detect_builder(root: Path, settings: Mapping[str, Any]) -> BuilderChoice:
    """The builder of the site at `root`: the setting, else what its workflows and Gemfile say.

    A workflow using actions/jekyll-build-pages means the Pages builder; a workflow that runs
    `jekyll build` (itself, or through another Jekyll action) with a Gemfile that does not name
    the github-pages gem means upstream Jekyll; anything else is the classic Pages builder."""
    chosen = builder_setting(settings)
    if chosen is not None:
        return BuilderChoice(chosen, f"pagemgr: builder: {chosen} in _config.yml", "_config.yml")
    workflows = list(_workflow_texts(root))
    for name, text in workflows:
        if workflow_uses_pages_builder(text):
            return BuilderChoice("github-pages", f"{name} uses actions/jekyll-build-pages", name)
    builds = [name for name, text in workflows if workflow_builds_jekyll(text)]
    if not builds:
        return BuilderChoice(DEFAULT_BUILDER, "no workflow builds Jekyll: GitHub Pages' builder")
    gemfile = _read(root / "Gemfile")
    if gemfile is not None and gemfile_names_github_pages(gemfile):
        return BuilderChoice(
            "github-pages", f"{builds[0]} builds with the github-pages gem (Gemfile)", "Gemfile"
        )
    return BuilderChoice("jekyll", f"{builds[0]} builds upstream Jekyll", builds[0])


_COMMENT = re.compile(r"(?:^|\s)#.*")
_PAGES_ACTION = re.compile(r"""\buses:\s*['"]?actions/jekyll-build-pages@""")
_JEKYLL_BUILD = re.compile(r"\bjekyll\s+build\b")
_JEKYLL_ACTION = re.compile(r"""\buses:\s*['"]?[\w.-]+/[\w.-]*jekyll[\w.-]*""", re.IGNORECASE)
_PAGES_GEM_LINE = re.compile(r"""^\s*gem\s*\(?\s*['"]github-pages['"]""")


def workflow_uses_pages_builder(text: str) -> bool:
    """A GitHub Actions workflow that builds with GitHub's Pages builder action."""
    return any(_PAGES_ACTION.search(line) for line in _code_lines(text))


def workflow_builds_jekyll(text: str) -> bool:
    """A workflow that runs `jekyll build` or an action other than jekyll-build-pages that
    builds Jekyll (its name holds "jekyll")."""
    for line in _code_lines(text):
        if _JEKYLL_BUILD.search(line):
            return True
        if _JEKYLL_ACTION.search(line) and not _PAGES_ACTION.search(line):
            return True
    return False


def gemfile_names_github_pages(text: str) -> bool:
    return any(_PAGES_GEM_LINE.match(line) for line in _code_lines(text))


def _code_lines(text: str) -> Iterable[str]:
    for line in text.splitlines():
        code = _COMMENT.sub("", line)
        if code.strip():
            yield code


def _workflow_texts(root: Path) -> Iterable[tuple[str, str]]:
    folder = root / ".github" / "workflows"
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if path.suffix in (".yml", ".yaml") and path.is_file():
            text = _read(path)
            if text is not None:
                yield path.relative_to(root).as_posix(), text


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


# --- the configuration the builder runs with --------------------------------------------------


def effective_config(builder: Builder, user_config: Mapping[str, Any]) -> dict[str, Any]:
    """`_config.yml` as the builder completes it: Jekyll's defaults under it
    (Configuration.from), then on the Pages builder the gem's defaults under that and its
    overrides over it (configuration.rb:94-114)."""
    site_config = _deep_merge(JEKYLL_DEFAULTS, _renamed_gems(user_config))
    if builder != "github-pages":
        return site_config
    defaults = _deep_merge(_deep_merge(JEKYLL_DEFAULTS, PAGES_DEFAULTS), PAGES_PRODUCTION_DEFAULTS)
    config = _deep_merge(defaults, site_config)
    if "theme" in site_config:
        config["theme"] = site_config["theme"]  # `theme: null` turns the theme off
    if config.get("exclude") == JEKYLL_DEFAULTS["exclude"]:
        config["exclude"] = [*config["exclude"], *PAGES_DEFAULTS["exclude"]]
    config = _deep_merge(config, PAGES_OVERRIDES)
    if str(config.get("markdown", "")).lower() not in PAGES_MARKDOWN_ENGINES:
        config["markdown"] = "kramdown"
    plugins = _names(config.get("plugins"))
    plugins += [name for name in PAGES_DEFAULT_PLUGINS if name not in plugins]
    if "remote_theme" in config:
        plugins.append("jekyll-remote-theme")
    config["plugins"] = plugins
    return config


def shows_future_posts(builder: Builder, user_config: Mapping[str, Any]) -> bool:
    """Whether documents dated after the build are written: Ruby truthiness of `future`."""
    value = effective_config(builder, user_config).get("future")
    return value is not None and value is not False


def plugins_not_run(builder: Builder, user_config: Mapping[str, Any]) -> list[str]:
    """The `plugins:` the builder will not load: on the Pages builder, any outside its
    allow-list (`safe: true`); elsewhere none that pagemgr can tell."""
    if builder != "github-pages":
        return []
    listed = _names(_renamed_gems(user_config).get("plugins"))
    return [name for name in listed if name not in PAGES_PLUGIN_WHITELIST]


def _renamed_gems(config: Mapping[str, Any]) -> dict[str, Any]:
    """Jekyll renames the old `gems:` key to `plugins:` before anything reads it."""
    renamed = dict(config)
    if "gems" in renamed:
        renamed["plugins"] = renamed.pop("gems")
    return renamed


def _names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [] if value is None else [value]
    return [str(item) for item in items]


def _deep_merge(master: Mapping[str, Any], other: Mapping[str, Any]) -> dict[str, Any]:
    """Jekyll's Utils.deep_merge_hashes: `other` wins, except that nil keeps `master`'s value
    and two mappings merge key by key."""
    merged = dict(master)
    for key, value in other.items():
        old = merged.get(key)
        if value is None and key in merged:
            continue
        if isinstance(old, Mapping) and isinstance(value, Mapping):
            merged[key] = _deep_merge(old, value)
        else:
            merged[key] = value
    return merged


# --- what a YAML load error costs -----------------------------------------------------------

Outcome = Literal["front-matter-dropped", "build-fails", "config-ignored"]


def load_error_outcome(
    kind: str, collection: str | None, ruby_class: str, strict_front_matter: bool = False
) -> Outcome:
    """What Jekyll does when SafeYAML (or Psych) raises while reading a file of `kind`
    ("document", "data" or "config"; a document of collection "pages" is a page).

    Documents and pages log the error and are built without their front matter, unless
    `strict_front_matter` (document.rb:466-475, convertible.rb:47-53); a data file has no
    rescue (data_reader.rb:54-66); `_config.yml` falls back to the defaults on an
    ArgumentError only (configuration.rb read_config_files)."""
    if kind == "document":
        return "build-fails" if strict_front_matter else "front-matter-dropped"
    if kind == "config" and ruby_class == "ArgumentError":
        return "config-ignored"
    return "build-fails"


def date_is_reread(collection: str | None) -> bool:
    """Whether Jekyll re-reads `date:` with Time.parse(date.to_s) (document.rb:429-436): in
    every collection's documents, posts included, not in pages. A value Time.parse refuses
    stops the build with 'Invalid date' (utils.rb parse_date, a FatalException)."""
    return collection != "pages"
