"""The whole analysis of one site's templates: parse, walk, render, and gather the facts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from pagemgr.check.templates.facts import PublicationListing, TemplateFacts, Unreadable, Use
from pagemgr.check.templates.jekyll_liquid import JekyllEnvironment, TemplateError
from pagemgr.check.templates.render import Renderer, Shown
from pagemgr.check.templates.sources import (
    TemplateFiles,
    default_layout,
    front_matter,
    no_templates,
    template_files,
    theme_of,
)
from pagemgr.check.templates.walk import Reached, SiteModel, Walker
from pagemgr.site.model import Site

_MAX_LAYOUT_CHAIN = 16


def analyse(site: Site) -> TemplateFacts | Unreadable:
    files = template_files(site)
    missing = no_templates(site, files)
    if missing is not None:
        return missing
    theme = theme_of(site)
    model = _model(site)
    env = JekyllEnvironment(site.root)
    try:
        return _facts(site, files, theme, model, env)
    except TemplateError as error:
        return Unreadable(f"{error} (Jekyll could not build the pages that use it)")


def _model(site: Site) -> SiteModel:
    labels = tuple(label for label in site.collections if label != "drafts")
    return SiteModel(
        labels,
        {label: site.collections[label].output for label in labels},
        {label: site.collections[label].folder for label in labels},
        site.config,
    )


def _facts(
    site: Site,
    files: TemplateFiles,
    theme: str | None,
    model: SiteModel,
    env: JekyllEnvironment,
) -> TemplateFacts | Unreadable:
    rendered = [label for label in model.labels if model.outputs[label]] + ["pages"]
    defaults = {label: default_layout(site, label) for label in rendered}
    chains: dict[str, list[str]] = {}
    for name in files.layouts:
        chain = _layout_chain(env, files.layouts, name)
        if isinstance(chain, str):
            if theme:
                return Unreadable(f"the layout '{chain}' comes from the theme {theme}")
        else:
            chains[name] = chain
    for label, layout in defaults.items():
        if layout and layout not in files.layouts and theme:
            return Unreadable(f"the layout '{layout}' of {label} comes from the theme {theme}")
    walker = Walker(env, model)
    reached: set[Reached] = set()
    by_file: dict[tuple[str, str], set[Reached]] = {}
    for label in rendered:
        for rel in sorted({rel for chain in chains.values() for rel in chain}):
            found = walker.walk_layout(label, rel)
            by_file[(label, rel)] = {use for use in found if use.view == "page"}
            reached |= found
    for page in files.pages:
        reached |= walker.walk_page(page)
    renderer = Renderer(env, model)
    values = _probe_values(walker.compared, model)
    shown = _shown(renderer, {*reached, *(u for f in by_file.values() for u in f)}, values)
    list_uses: dict[str, list[Use]] = defaultdict(list)
    for use in reached:
        if use.view == "list":
            list_uses[use.collection].append(_use(use, shown))
    page_uses = {
        (label, name): tuple(
            sorted(_use(use, shown) for rel in chain for use in by_file.get((label, rel), ()))
        )
        for label in rendered
        for name, chain in chains.items()
    }
    return TemplateFacts(
        list_uses={label: tuple(sorted(uses)) for label, uses in list_uses.items()},
        page_uses=page_uses,
        default_layouts=defaults,
        publications=_publications(site, files, renderer, walker.compared, values),
        unknown_tags=tuple(sorted(walker.unknown_tags)),
        templates=tuple(sorted(env.parsed)),
    )


def _layout_chain(env: JekyllEnvironment, layouts: Mapping[str, str], name: str) -> list[str] | str:
    """The files of the layout `name` and of the layouts it sits in, innermost first; the name
    of a layout the chain needs and the site lacks, as a string."""
    chain: list[str] = []
    while name and len(chain) < _MAX_LAYOUT_CHAIN:
        rel = layouts.get(name)
        if rel is None:
            return name
        if rel in chain:
            break
        chain.append(rel)
        source, _ = env.template(rel)
        parent = front_matter(source.front_matter).get("layout")
        name = parent if isinstance(parent, str) else ""
    return chain


def _probe_values(
    compared: Mapping[tuple[str, str], set[str]], model: SiteModel
) -> dict[str, dict[str, object]]:
    """Per collection, a value for each key a list compares with literals (the first of them),
    so that a made-up document passes those filters; a publication gets the first category of
    `publication_category`."""
    values: dict[str, dict[str, object]] = defaultdict(dict)
    for (label, key), literals in sorted(compared.items()):
        values[label][key] = sorted(literals)[0]
    categories = model.config.get("publication_category")
    if isinstance(categories, dict) and categories:
        values["publications"]["category"] = str(next(iter(categories)))
    return values


def _shown(
    renderer: Renderer, reached: Iterable[Reached], values: Mapping[str, dict[str, object]]
) -> dict[tuple[str, str, str, str], Shown | None]:
    """What the line of each bare use shows without the key, rendered once per template the
    walk started from, collection, key and view (the first line of the output that prints it)."""
    shown: dict[tuple[str, str, str, str], Shown | None] = {}
    for use in sorted(reached):
        key = (use.root, use.collection, use.path[0], use.view)
        filled = TemplateFacts.filled_by_jekyll(use.collection, use.path[0])
        if use.kind == "bare" and not filled and key not in shown:
            own = {k: v for k, v in values.get(use.collection, {}).items() if k != use.path[0]}
            shown[key] = renderer.shown_without(use, own)
    return shown


def _use(reached: Reached, shown: Mapping[tuple[str, str, str, str], Shown | None]) -> Use:
    line = shown.get((reached.root, reached.collection, reached.path[0], reached.view))
    bare = reached.kind == "bare" and line is not None
    return Use(
        reached.collection,
        reached.path[0],
        reached.path,
        reached.kind,
        reached.view,
        reached.file,
        reached.line,
        line.text if bare and line else None,
        line.attribute if bare and line else None,
    )


def _publications(
    site: Site,
    files: TemplateFiles,
    renderer: Renderer,
    compared: Mapping[tuple[str, str], set[str]],
    values: Mapping[str, dict[str, object]],
) -> PublicationListing | Unreadable | None:
    pages = [rel for rel in files.pages if rel.rsplit("/", 1)[-1].split(".")[0] == "publications"]
    if not pages or "publications" not in site.collections:
        return None
    configured = site.publication_categories or {}
    named = sorted(compared.get(("publications", "category"), set()) - set(map(str, configured)))
    own = {k: v for k, v in values.get("publications", {}).items() if k != "category"}
    return renderer.publications(pages[0], [*map(str, configured), *named], own)
