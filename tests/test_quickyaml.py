"""quickyaml.quick_load against yamlio.load: the same data and positions, or None.

Every comparison runs under both builders' rules: Psych's (Debian's Jekyll) against the node
graph libyaml composes, SafeYAML's (GitHub Pages) against libyaml's events as SafeYAML builds
them. One grammar of front matter building blocks, the common subset and its near misses,
drives both a hypothesis property and a seeded sweep that counts how much the fast path takes.
Real sites (the demo site, the shared corpus, the benchmark generator's documents) are compared
too.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pytest
from benchmarks.generate import generate_site
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pagemgr.site.document import has_yaml_header, parse_document
from pagemgr.yaml import yamlio
from pagemgr.yaml.quickyaml import quick_load
from pagemgr.yaml.safe_yaml import SafeYamlError, safe_yaml_scalar

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
BENCH_SITE = REPO / "benchmarks" / ".work" / "site-10000"

RULES: tuple[yamlio.Rules, ...] = ("psych", "safe_yaml")
SCALAR_RULES = {"psych": yamlio.psych_scalar, "safe_yaml": safe_yaml_scalar}
both_rules = pytest.mark.parametrize("rules", RULES)

T = TypeVar("T")
Choose = Callable[[Sequence[T]], T]

# --- comparing ------------------------------------------------------------------------------


def assert_same_value(quick: Any, full: Any, where: str = "") -> None:
    """Equal values of equal types, all the way down (JekyllDate is not str, bool is not int)."""
    assert type(quick) is type(full), (where, quick, full)
    if isinstance(full, dict):
        assert list(quick) == list(full), where
        for key in full:
            assert_same_value(quick[key], full[key], f"{where}/{key}")
    elif isinstance(full, list):
        assert len(quick) == len(full), where
        for index, (mine, theirs) in enumerate(zip(quick, full, strict=True)):
            assert_same_value(mine, theirs, f"{where}/{index}")
    elif isinstance(full, float) and math.isnan(full):
        assert math.isnan(quick), where
    elif isinstance(full, yamlio.JekyllDate):
        assert str(quick) == str(full), where
        assert type(quick.value) is type(full.value), where
        assert quick.value == full.value, where
        assert getattr(quick.value, "tzinfo", None) == getattr(full.value, "tzinfo", None)
    else:
        assert quick == full, (where, quick, full)


def paths_of(data: dict[str, Any]) -> Iterator[list[str | int]]:
    """Every path to a value, and some that lead nowhere or past a scalar."""
    yield []
    yield ["no-such-key"]
    yield ["no-such-key", 0]
    yield [0]
    for key, value in data.items():
        yield [key]
        yield [key, "deeper"]
        yield [key, 0]
        yield [key, -1]
        if isinstance(value, list):
            for index in range(len(value)):
                yield [key, index]
                yield [key, index, "deeper"]
            yield [key, len(value)]
            yield [key, True]


def same_answer(text: str, rules: yamlio.Rules = "psych") -> bool:
    """Assert that quick_load agrees with the full parser under `rules`; True when the fast
    path took the text."""
    quick = quick_load(text, scalar=SCALAR_RULES[rules])
    try:
        loaded = yamlio.load_without_fast_path(text, rules)
    except (yamlio.YamlSyntaxError, SafeYamlError):
        assert quick is None, f"yamlio refuses {text!r} under {rules}, quick_load read it"
        return False
    if quick is None:
        return False
    data, positions = quick
    context = f"in {text!r} under {rules}"
    assert not loaded.problems, context
    assert_same_value(data, loaded.data, context)
    if rules == "safe_yaml":
        assert_says_whether_psych_reads_alike(text, data)
    node = loaded.node
    assert node is not None, context
    assert positions.start == yamlio.start_of(node), context
    for path in paths_of(data):
        assert positions.locate(path) == yamlio.locate(node, path), (path, context)
    for key in [*data, "no-such-key", "yes"]:
        paths: list[list[str | int]] = [[], [key], [key, 0], ["no-such-key"]]
        for path in paths:
            expected = yamlio.locate_key(node, path, key)
            assert positions.locate_key(path, key) == expected, (path, key, context)
    return True


def assert_says_whether_psych_reads_alike(text: str, data: Any) -> None:
    """With Psych's rules to compare with, the fast path says it read something otherwise
    exactly when Psych's own reading of the text differs (two dates count as alike)."""
    compared = quick_load(text, scalar=safe_yaml_scalar, other=yamlio.psych_scalar)
    assert compared is not None, text
    try:
        psych = yamlio.load_without_fast_path(text, "psych")
    except yamlio.YamlSyntaxError:
        alike = False
    else:
        alike = not psych.problems and reads_alike(data, psych.data)
    assert compared[1].read_otherwise is not alike, (text, data)
    assert yamlio.load(text, "safe_yaml").psych_alike is alike, text


def reads_alike(ours: Any, theirs: Any) -> bool:
    if isinstance(ours, yamlio.JekyllDate) and isinstance(theirs, yamlio.JekyllDate):
        return True
    if type(ours) is not type(theirs):
        return False
    if isinstance(ours, dict):
        return list(ours) == list(theirs) and all(reads_alike(ours[k], theirs[k]) for k in ours)
    if isinstance(ours, list):
        return len(ours) == len(theirs) and all(map(reads_alike, ours, theirs))
    if isinstance(ours, float) and math.isnan(ours):
        return math.isnan(theirs)
    return bool(ours == theirs)


@pytest.mark.parametrize(
    ("text", "alike"),
    [
        ("title: A paper\ndate: 2024-01-01\nyear: 2024\nok: yes\n", True),
        ("at: 2024-01-01 10:00:00 +01:00\nn: .nan\nlist: [1, two, 0x1F]\n", True),
        ("time: 10:30\n", False),  # 630.0 on GitHub Pages, 37800 on Psych
        ("day: 2024-5-1\n", False),  # text on GitHub Pages, a date on Psych
        ("tags:\n  - a\n  - 0X1F\n", False),
    ],
)
def test_the_fast_path_says_when_psych_reads_a_value_otherwise(text: str, alike: bool) -> None:
    loaded = yamlio.load(text, "safe_yaml")
    assert loaded.psych_alike is alike
    assert_says_whether_psych_reads_alike(text, loaded.data)
    assert yamlio.load(text).psych_alike is True  # Psych's own reading, trivially


# --- a grammar of front matter --------------------------------------------------------------

CLEAN_KEYS = (
    "title", "date", "tags", "venue", "excerpt", "a", "b_c", "x-y", "_k", "K9", "e1", "y", "n",
    "inf", "nan", "ja", "on_off", "yesno", "nulls", "z" * 40,
)  # fmt: skip
NEAR_KEYS = (
    "yes", "No", "on", "OFF", "null", "Null", "true", "False", "~", "<<", "1a", "2024", "a b",
    "ключ", "-k", "?k", "'q'", '"q"', "k#", "a:b", "[k]", "k\t", "&a k", "*a", "!t k", "",
)  # fmt: skip
CLEAN_PLAIN = (
    "publications", "books", "/publication/2000-01-02-paper-title-number-03587",
    "Scalable Methods for Bayesian Inference 03587", "open science", "x::y", "a:b", "C#", "a#b",
    "https://example.org/a?b=c&d#frag", "<i>x</i>", "=", "~", "null", "NULL", "Null", "yes",
    "No", "on", "OFF", "n", "y", "true", "0o12", "012", "08", "0", "00", "1_000", "1,000", "1,0",
    ".5", "1.", "1e3", "1.5e+3", "1.0e3", "1.5E-3", "+1", "0x1F", "0b101", "190:20:30", "1:20",
    "1:20.5", ".inf", ".NaN", ".", "2024-02-30", "2024-01-01", "2024-1-1", "0001-01-01",
    "2024-01-01 10:00:00 +01:00", "2024-01-01T10:00:00Z", "2001-12-14t21:59:43.10-05:00",
    "2024-01-01 10:00:00.123456789", "2024-01-01 25:00:00", "2024-01-01 10:00", "3000-99-99",
    "Ünïcödé", "日本語タイトル", "emoji 😀 x", "a'b", 'a"b', "x]", "x}", "x, y", "a{b}",
    "a [b]", "a  b", "\\back", "a\\", "a :b", "a\u00a0b", "a\ufffdb", "< x >", "<<", "a -b",
)  # fmt: skip
NEAR_PLAIN = (
    ":sym", ":", "- x", "-x", "-1", "? x", "?x", "[a", "{a: b}", "*alias", "&anc x", "!tag x",
    "!!str x", "|", ">", "@x", "`x", "%x", "#x", "a: b", "a:", "a #b", "a\tb", "a\u2028b",
    "a\x85b", "\ufeffa", "a\x00b", "a\rb", "a\x7fb", ",a", "a :", "--- a", "... a", "a\ufffeb",
)  # fmt: skip
CLEAN_CHARS = "abcXYZ019 /._()+=~é日😀\xa0\u3000\ufdd0\ue000\U0001fffe"
WILD_CHARS = (
    "abcXYZ019 :#'\"-?,[]{}&*!|>%@`\\/._~=<\té日😀\u2028\x85\ufeff\r\x7f\x80\ufdd0\ue000\U0001fffe"
)
QUOTABLE_CHARS = "".join(char for char in WILD_CHARS if char not in "\t\u2028\x85\ufeff\r\x7f\x80")
TRAILING = ("", " ", "  ", " # comment", "  #c", " #")
NEAR_TRAILING = ("#c", "\t", " \t# c", " x", "'", ":")
MUTATIONS = WILD_CHARS + " \n-:#'\"[],?"
FLOW_WORDS = ("history", "ecology", "open science", "12", "yes", "~", "1.5", "2024-01-01", "a/b")


def random_text(choose: Choose[Any], chars: str, longest: int = 8) -> str:
    return "".join(choose(chars) for _ in range(choose(range(longest + 1))))


def clean_plain(choose: Choose[Any]) -> str:
    if choose((True, False)):
        return str(choose(CLEAN_PLAIN))
    return random_text(choose, CLEAN_CHARS).strip(" ") or "word"


def clean_quoted(choose: Choose[Any]) -> str:
    text = random_text(choose, QUOTABLE_CHARS)
    if choose((True, False)):
        return "'" + text.replace("'", "''") + "'"
    return '"' + text.replace('"', "").replace("\\", "") + '"'


def clean_scalar(choose: Choose[Any]) -> str:
    return clean_plain(choose) if choose((True, False)) else clean_quoted(choose)


def clean_flow(choose: Choose[Any]) -> str:
    items = []
    for _ in range(choose(range(4))):
        items.append(clean_quoted(choose) if choose((True, False)) else choose(FLOW_WORDS))
    inner = str(choose((", ", ",", " , ", ",  "))).join(items)
    return str(choose(("[{}]", "[ {} ]", "[{} ]"))).format(inner)


def wild_scalar(choose: Choose[Any]) -> str:
    kind = choose(("near", "clean", "text", "sq", "dq", "unbalanced", "flow", "wild flow"))
    if kind == "near":
        return str(choose(NEAR_PLAIN))
    if kind == "clean":
        return clean_scalar(choose)
    text = random_text(choose, WILD_CHARS)
    if kind == "text":
        return text
    if kind == "sq":
        return "'" + text.replace("'", "''") + "'"
    if kind == "dq":
        return '"' + text + '"'
    if kind == "unbalanced":
        return str(choose(("'", '"'))) + text
    if kind == "flow":
        return clean_flow(choose)
    return str(
        choose(
            (
                "[]", "[ ]", "[a,]", "[a, [b]]", "[a", "a]", "[a] x", "[a]#c", "[a] # c",
                "[{a: b}]", "[a: b]", "[? a]", "[-a]", "[a, , b]", "[a #b]", "['a', b'c]",
                "[a:b]", "[a, 'b]", "[a?b]", "[a ?]", "[?]", f"[{text}]", f"[a, {text}]",
            )
        )
    )  # fmt: skip


def clean_line(choose: Choose[Any], keys: set[str]) -> list[str]:
    """A key with its value (one line, or a block sequence below), or a blank or comment."""
    kind = choose(("key", "key", "key", "key", "flow", "null", "sequence", "comment", "blank"))
    if kind == "comment":
        return [" " * choose(range(4)) + "# " + random_text(choose, QUOTABLE_CHARS)]
    if kind == "blank":
        return [" " * choose(range(3))]
    key = str(choose(CLEAN_KEYS))
    if key in keys:
        return []
    keys.add(key)
    head = key + ":"
    if kind == "null":
        return [head + str(choose(("", " ", "  # nothing")))]
    if kind == "sequence":
        indent = " " * choose((0, 0, 1, 2, 4))
        lines = [head + str(choose(("", " # list")))]
        for _ in range(choose(range(1, 4))):
            if choose((True, False, False)):
                lines.append(str(choose(("", "  # between", "# c"))))
            spaces = " " * choose((1, 1, 2))
            lines.append(f"{indent}-{spaces}{clean_scalar(choose)}{choose(TRAILING)}")
        return lines
    spaces = " " * choose((1, 1, 2))
    value = clean_flow(choose) if kind == "flow" else clean_scalar(choose)
    return [f"{head}{spaces}{value}{choose(TRAILING)}"]


def clean_document(choose: Choose[Any]) -> str:
    keys: set[str] = set()
    lines = [str(choose(("---", "--- ", "---", "")))]
    for _ in range(choose(range(1, 10))):
        lines.extend(clean_line(choose, keys))
    if not keys:
        lines.append("title: fallback")
    text = "\n".join(lines) + str(choose(("\n", "\n", "", "\n\n")))
    return text.replace("\n", "\r\n") if choose((False, False, False, True)) else text


def wild_line(choose: Choose[Any]) -> str:
    kind = choose(("key", "key", "key", "item", "item", "odd", "comment", "blank"))
    if kind == "key":
        key = choose(CLEAN_KEYS + CLEAN_KEYS + NEAR_KEYS)
        separator = choose((": ", ":", ":  ", ": ", " : ", ":\t", " :", "::", ":#"))
        return f"{key}{separator}{wild_scalar(choose)}{choose(TRAILING + NEAR_TRAILING)}"
    if kind == "item":
        indent = choose(("", "", " ", "  ", "  ", "    ", "\t"))
        dash = choose(("- ", "- ", "-  ", "-", "-\t"))
        return f"{indent}{dash}{wild_scalar(choose)}{choose(TRAILING + NEAR_TRAILING)}"
    if kind == "comment":
        return " " * int(choose(range(3))) + str(choose(("# c", "#", "#: x", "# 'q")))
    if kind == "blank":
        return str(choose(("", " ", "   ", "\t")))
    return str(
        choose(
            (
                "  continued text", "  sub: 1", "key: |", "  block text", "key: >-", "---",
                "...", "--- x", "%YAML 1.1", "-", "- ", "  -", "? complex", ": value",
                "<<: *base", "base: &base", "  - - nested", "  - k: v", "a: b: c",
                "a: 'multi", "  line'", 'a: "esc \\" quote"', 'a: "tab\\t"', "a:\t1",
                "\ufeffa: 1", "a: 1 # c\r", "x" * 1030 + ": 1",
            )
        )
    )  # fmt: skip


def mutated(choose: Choose[Any], text: str) -> str:
    """`text` with a few characters inserted, deleted or replaced."""
    for _ in range(choose((1, 1, 2, 3))):
        at = int(choose(range(len(text) + 1)))
        edit = choose(("insert", "delete", "replace"))
        char = "" if edit == "delete" else str(choose(MUTATIONS))
        text = text[:at] + char + text[at + (edit != "insert") :]
    return text


def wild_document(choose: Choose[Any]) -> str:
    kind = choose(("mixed", "odd", "mutated"))
    if kind == "mutated":
        return mutated(choose, clean_document(choose))
    if kind == "mixed":
        lines = clean_document(choose).split("\n")
        for _ in range(choose(range(1, 3))):
            lines.insert(choose(range(len(lines) + 1)), wild_line(choose))
    else:
        lines = [str(choose(("---", "--- ", "", "---\t", "----", "--- a: 1")))]
        lines.extend(wild_line(choose) for _ in range(choose(range(8))))
    text = "\n".join(lines) + str(choose(("\n", "")))
    return text.replace("\n", "\r\n") if choose((False, False, False, True)) else text


def drawing(draw: st.DrawFn) -> Choose[Any]:
    return lambda options: draw(st.sampled_from(options))


@st.composite
def clean_documents(draw: st.DrawFn) -> str:
    return clean_document(drawing(draw))


@st.composite
def wild_documents(draw: st.DrawFn) -> str:
    return wild_document(drawing(draw))


# --- the property ---------------------------------------------------------------------------

PROPERTY = settings(
    max_examples=800,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def fails_to_load_under_safe_yaml(text: str, rules: yamlio.Rules) -> bool:
    """A clean text the fast path may decline: SafeYAML raises on it (`1_.5`)."""
    if rules != "safe_yaml":
        return False
    try:
        yamlio.load_with_safe_yaml(text)
    except SafeYamlError:
        return True
    return False


@both_rules
@PROPERTY
@given(text=clean_documents())
def test_the_fast_path_reads_the_subset_as_yamlio_does(rules: yamlio.Rules, text: str) -> None:
    assert same_answer(text, rules) or fails_to_load_under_safe_yaml(text, rules), (
        f"quick_load fell back on a text in its subset under {rules}: {text!r}"
    )


@both_rules
@PROPERTY
@given(text=wild_documents())
def test_the_fast_path_never_disagrees_with_yamlio(rules: yamlio.Rules, text: str) -> None:
    event("fast path" if same_answer(text, rules) else "fell back")


@both_rules
def test_a_seeded_sweep_agrees_and_takes_a_fair_share(rules: yamlio.Rules) -> None:
    rng = random.Random(20240601)
    tried = accepted = 0
    for index in range(6000):
        text = clean_document(rng.choice) if index % 3 == 0 else wild_document(rng.choice)
        tried += 1
        accepted += same_answer(text, rules)
    print(f"\nquickyaml sweep ({rules}): {tried} texts tried, {accepted} read by the fast path")
    assert accepted > tried // 3


@both_rules
def test_mutated_subset_texts_agree(rules: yamlio.Rules) -> None:
    """Small edits of texts in the subset land on both sides of its border."""
    rng = random.Random(7)
    tried = accepted = 0
    for _ in range(6000):
        tried += 1
        accepted += same_answer(mutated(rng.choice, clean_document(rng.choice)), rules)
    print(f"\nquickyaml mutations ({rules}): {tried} tried, {accepted} read by the fast path")
    assert tried // 5 < accepted < tried


@pytest.mark.parametrize(
    "text",
    [
        "---\na:\nb: 1\n",
        "---\na:   # c\nb:",
        "a:",
        "---\n# hi\n\na: x\n",
        "---\na:\n- x\n-   'y'\nb: []\nc: [ a , 'b' ]\nd:\n  # c\n    # d\n  - q\n\n  - r\n",
        '---  \na: "x" # c\n',
        "a: ''\nb: \"\"\nc: ''''\nd: 'it''s'\ne: ['', \"\", 'x''y']\n",
        "a: 1\r\nb:\r\n  - x\r\n",
        "k" * 1000 + ": 1\n",
        "a: ['😀日', b, \"é\", c]\n",
        "a: \xa0x\xa0\nb: \u3000\n",
        "a: " + "x" * 3000 + "\nb:\n- " + "y" * 3000 + "\n",
    ],
)
@both_rules
def test_the_fast_path_takes_these(text: str, rules: yamlio.Rules) -> None:
    assert same_answer(text, rules)


@pytest.mark.parametrize(
    "text",
    [
        "k" * 1001 + ": 1\n",
        "a: 1" + "0" * 5000 + "\n",  # too many digits for int(): yamlio reports a problem
        "", "---\n", "# only a comment\n", "a: 1\na: 2\n", "yes: 1\n", "a: :sym\n",
        "a: 1\n---\nb: 2\n", "a: 'x'#c\n", "a: [a]#c\n", "a:\n-\n", "a: 1\n- x\n",
        "a:\n  - x\n - y\n", "a: x\n  y\n", "a: \"\\t\"\n", "a: 1\tb\n", "\ufeffa: 1\n",
        "a: 1\rb: 2\n", "a: 1\n...\n", "a: [a?b]\n", "a: [a ?]\n",
    ],
)  # fmt: skip
def test_falls_back_outside_the_subset(text: str) -> None:
    assert quick_load(text) is None
    same_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "null: 1\nb: 2\n",  # SafeYAML drops the null key: `1` becomes a key, `b` its value
        "NuLL: 1\n", "yes: 1\n", "On: x\n", "tRuE: x\n", "a: 1_.5\n", "a:\n- 1_.5\n",
        "a: [1_.5]\n",
    ],
)  # fmt: skip
def test_falls_back_where_safe_yaml_reads_keys_or_values_differently(text: str) -> None:
    assert quick_load(text, scalar=safe_yaml_scalar) is None
    same_answer(text, "safe_yaml")


def test_the_two_rules_type_the_same_front_matter_apart() -> None:
    text = "time: 10:30\nday: 2024-5-1\nn: 0X1F\nok: yes\n"
    psych = quick_load(text)
    safe = quick_load(text, scalar=safe_yaml_scalar)
    assert psych is not None and safe is not None
    assert safe[0] == {"time": 630.0, "day": "2024-5-1", "n": 31, "ok": True}
    assert psych[0]["time"] == 37800 and psych[0]["n"] == "0X1F"
    assert same_answer(text, "safe_yaml") and same_answer(text, "psych")


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 5001 + "'\n",  # that many brackets are refused, even quoted ones
        "a: '" + "[" * 5001 + "'\n",
        " " * 5001 + "\na: 1\n",
    ],
)
def test_what_libyaml_is_not_given_is_refused_before_the_fast_path(text: str) -> None:
    with pytest.raises(yamlio.YamlSyntaxError):
        yamlio.load_with_libyaml(text)
    with pytest.raises(yamlio.YamlSyntaxError):
        yamlio.load(text)
    with pytest.raises(yamlio.YamlSyntaxError):
        yamlio.load(text, "safe_yaml")


def test_the_example_from_the_module_contract() -> None:
    text = (
        "---\n"
        'title: "Scalable Methods for Bayesian Inference 03587"\n'
        "collection: publications\n"
        "date: 2000-01-02\n"
        "citation: 'Doe, Jane. (2000). &quot;Paper 03587.&quot; <i>PRL</i>. 28(4).'\n"
        "tags:\n"
        "  - reproducibility\n"
        "  - open science\n"
        "tags2: [history, ecology]\n"
    )
    loaded = quick_load(text)
    assert loaded is not None
    data, positions = loaded
    assert isinstance(data["date"], yamlio.JekyllDate)
    assert data["tags"] == ["reproducibility", "open science"]
    assert positions.locate(["tags", 1]) == (7, 4)
    assert positions.locate_key([], "tags2") == (8, 0)
    assert same_answer(text) and same_answer(text, "safe_yaml")


# --- real files -----------------------------------------------------------------------------


def front_matters(root: Path) -> Iterator[tuple[Path, str]]:
    """The YAML the checker gives yamlio.load for each document under `root`."""
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in (".md", ".markdown", ".html"):
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        document = parse_document(text)
        if has_yaml_header(text.removeprefix("\ufeff")) and document.has_front_matter:
            yield path, document.front_matter


def compare_all(root: Path) -> tuple[int, int]:
    """Front matters compared under both rules, and how many the fast path took under each
    (the smaller count)."""
    compared = 0
    accepted = {rules: 0 for rules in RULES}
    for path, front_matter in front_matters(root):
        compared += 1
        for rules in RULES:
            try:
                accepted[rules] += same_answer(front_matter, rules)
            except AssertionError as exc:
                raise AssertionError(f"{path}: {exc}") from None
    return compared, min(accepted.values())


def test_the_demo_site() -> None:
    compared, accepted = compare_all(REPO / "site")
    print(f"\nquickyaml on site/: {compared} front matters compared, {accepted} fast")
    assert compared > 0


def test_the_shared_corpus() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent: the shared corpus of real sites is not checked out")
    compared, accepted = compare_all(CORPUS)
    print(f"\nquickyaml on the corpus: {compared} front matters compared, {accepted} fast")
    assert compared > 100
    assert accepted > compared // 2


def test_generated_benchmark_documents(tmp_path: Path) -> None:
    generate_site(tmp_path, 300)
    compared, accepted = compare_all(tmp_path)
    print(f"\nquickyaml on 300 generated documents: {compared} compared, {accepted} fast")
    assert compared >= 300
    assert accepted >= compared * 0.95


def test_the_prepared_benchmark_site() -> None:
    if not BENCH_SITE.is_dir():
        pytest.skip(f"{BENCH_SITE} is absent (python -m benchmarks.generate prepares it)")
    compared, accepted = compare_all(BENCH_SITE)
    print(f"\nquickyaml on {BENCH_SITE.name}: {compared} compared, {accepted} fast")
    assert accepted >= compared * 0.95


@both_rules
def test_real_data_files(rules: yamlio.Rules) -> None:
    """Not front matter, but real YAML with anchors, merge keys and nesting: all must agree."""
    roots = [REPO / "site", *([CORPUS] if CORPUS.is_dir() else [])]
    compared = accepted = 0
    for root in roots:
        for path in sorted(root.rglob("*.yml")):
            text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
            compared += 1
            try:
                accepted += same_answer(text, rules)
            except AssertionError as exc:
                raise AssertionError(f"{path}: {exc}") from None
    print(f"\nquickyaml on data files ({rules}): {compared} compared, {accepted} fast")
    assert compared > 0
