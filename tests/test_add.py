"""`pagemgr add` from flags: conventions, quoting, prompts, bad input, duplicates, --update."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import make_site, run_cli
from pagemgr.cli import main
from pagemgr.site.document import parse_document
from pagemgr.yaml import yamlio

PUB = ("add", "publication")


def front(path: Path) -> dict[str, object]:
    data = yamlio.load(parse_document(path.read_text(encoding="utf-8")).front_matter).data
    assert isinstance(data, dict)
    return data


def check_passes(site: Path, *paths: Path) -> None:
    result = run_cli("check", "--site", site, *paths)
    assert result.exit_code == 0, result.stdout + result.stderr


def pubs(site: Path) -> set[str]:
    return {p.name for p in (site / "_publications").iterdir()}


def test_publication_from_flags_follows_site_conventions(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    title = 'Référendum: "quoted" & it\'s #1 -- yes: no'
    result = run_cli(
        *PUB,
        "--site",
        site,
        "--title",
        title,
        "--venue",
        "J. of Tests: A & B",
        "--date",
        "2024-03-05",
        "--category",
        "conferences",
        "--author",
        "Jane Doe",
        "--author",
        "Roe, Richard",
        "--bold-me",
    )
    assert result.exit_code == 0, result.stderr
    path = site / "_publications" / "2024-03-05-referendum-quoted-it-s-1-yes-no.md"
    assert result.stdout.strip() == "_publications/" + path.name
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[:8] == [
        "---",
        'title: "Référendum: \\"quoted\\" & it\'s #1 -- yes: no"',
        "collection: publications",
        "category: conferences",
        f"permalink: /publication/{path.stem}",
        "date: 2024-03-05",
        "venue: 'J. of Tests: A & B'",
        "citation: '<b>Doe, Jane</b>; Roe, Richard (2024). &quot;Référendum: &quot;quoted&quot; "
        "&amp; it&#x27;s #1 -- yes: no.&quot; <i>J. of Tests: A &amp; B</i>.'",
    ]
    data = front(path)
    assert data["title"] == title
    assert isinstance(data["date"], yamlio.JekyllDate)
    assert "&amp;amp;" not in text and "&amp;apos;" not in text
    check_passes(site, path)


def test_missing_fields_without_terminal_is_one_error(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    result = run_cli(*PUB, "--site", site, "--title", "Only a title")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "pagemgr: error: missing required fields: --date, --venue, --category (pass them, or "
        "run on a terminal to be asked)"
    )
    assert pubs(site) == {"2020-01-01-paper.md"}


def test_prompts_offer_today_and_categories(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    runner = CliRunner()
    result = runner.invoke(
        main,
        [*PUB, "--site", str(site), "--prompt", "--title", "Asked"],
        input="2023-02-30\n2023-02-28\nJournal X\nbooks\nconferences\n",
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "Publication date. Used for sorting" in result.stderr
    assert f"[{dt.date.today().isoformat()}]" in result.stderr
    assert "(manuscripts, conferences)" in result.stderr
    assert "is not a date that exists" in result.stderr
    data = front(site / "_publications" / "2023-02-28-asked.md")
    assert data["venue"] == "Journal X" and data["category"] == "conferences"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--title", "?!... --- ***"), "has no letters or digits"),
        (("--title", "x" * 5000), "the title is 5,000 characters long"),
        (("--date", "2023-02-30"), "--date '2023-02-30' is not a date that exists"),
        (("--date", "30/02/2023"), "is not a date that exists"),
        (("--category", "preprints"), "use one of: manuscripts, conferences"),
        (("--doi", "not-a-doi"), "--doi 'not-a-doi' is not a DOI"),
        (("--arxiv", "1234"), "is not an arXiv id"),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    site = make_site(tmp_path)
    base = {"--title": "Good", "--venue": "V", "--date": "2024-01-01", "--category": "manuscripts"}
    given = dict(zip(args[::2], args[1::2], strict=True))
    flags = [item for key, value in {**base, **given}.items() for item in (key, value)]
    result = run_cli(*PUB, "--site", site, *flags)
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert pubs(site) == {"2020-01-01-paper.md"}


def test_dry_run_prints_and_writes_nothing(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    result = run_cli(
        *PUB,
        "--site",
        site,
        "--title",
        "Dry",
        "--venue",
        "V",
        "--date",
        "2024-01-02",
        "--category",
        "manuscripts",
        "--dry-run",
    )
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "==> _publications/2024-01-02-dry.md (would be created) <==\n---\n"
    )
    assert "venue: 'V'" in result.stdout
    assert pubs(site) == {"2020-01-01-paper.md"}


def test_same_title_is_reported_not_written(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    result = run_cli(
        *PUB,
        "--site",
        site,
        "--title",
        "a  PAPER!",
        "--venue",
        "V",
        "--date",
        "2024-01-02",
        "--category",
        "manuscripts",
    )
    assert result.exit_code == 0
    assert "already on the site as _publications/2020-01-01-paper.md (same title)" in (
        result.stderr
    )
    assert pubs(site) == {"2020-01-01-paper.md"}


def test_update_refreshes_source_fields_only(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    path = site / "_publications" / "2020-01-01-paper.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "venue: 'Journal 1'\n", "venue: 'Journal 1'  # where\nmine: kept\n"
        ),
        encoding="utf-8",
    )
    result = run_cli(
        *PUB,
        "--site",
        site,
        "--title",
        "A Paper",
        "--venue",
        "Journal 2",
        "--date",
        "2021-05-06",
        "--category",
        "manuscripts",
        "--update",
    )
    assert result.exit_code == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert "venue: 'Journal 2'  # where\nmine: kept\n" in text
    assert "date: 2021-05-06\n" in text and text.endswith("---\nBody.\n")
    assert "updated" in result.stderr and pubs(site) == {"2020-01-01-paper.md"}


def test_name_is_unique_and_never_overwrites(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "_publications" / "2024-01-02-same.md").write_text("not front matter\n")
    result = run_cli(
        *PUB,
        "--site",
        site,
        "--title",
        "Same",
        "--venue",
        "V",
        "--date",
        "2024-01-02",
        "--category",
        "manuscripts",
    )
    assert result.exit_code == 0, result.stderr
    assert (site / "_publications" / "2024-01-02-same.md").read_text() == "not front matter\n"
    assert front(site / "_publications" / "2024-01-02-same-2.md")["permalink"] == (
        "/publication/2024-01-02-same-2"
    )


def test_slug_flag_cannot_escape_the_folder(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    result = run_cli(
        *PUB,
        "--site",
        site,
        "--title",
        "T",
        "--venue",
        "V",
        "--date",
        "2024-01-02",
        "--category",
        "manuscripts",
        "--slug",
        "../../etc/Passwd",
    )
    assert result.exit_code == 0, result.stderr
    assert (site / "_publications" / "2024-01-02-etc-passwd.md").is_file()


def test_cjk_title_is_transliterated(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    result = run_cli(
        *PUB,
        "--site",
        site,
        "--title",
        "中文标题的研究",
        "--venue",
        "期刊",
        "--date",
        "2024-01-02",
        "--category",
        "manuscripts",
    )
    assert result.exit_code == 0, result.stderr
    path = site / "_publications" / "2024-01-02-zhong-wen-biao-ti-de-yan-jiu.md"
    assert front(path)["title"] == "中文标题的研究"


def test_conventions_learned_from_the_site(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    folder = site / "_publications"
    (folder / "2020-01-01-paper.md").unlink()
    for stem in ("Kuth24RPG", "Meyer09DPH"):
        (folder / f"{stem}.md").write_bytes(
            f"---\r\ntitle: 'T {stem}'\r\ncollection: publications\r\n"
            f"permalink: /publications/{stem}.html\r\ncategory: manuscripts\r\n"
            f'date: 2024-08-01\r\nvenue: "V"\r\n---\r\nBody\r\n'.encode()
        )
    result = run_cli(
        *PUB,
        "--site",
        site,
        "--title",
        "New One",
        "--venue",
        "W",
        "--date",
        "2024-01-02",
        "--category",
        "manuscripts",
    )
    assert result.exit_code == 0, result.stderr
    raw = (folder / "new-one.md").read_bytes()
    assert raw.startswith(
        b"---\r\ntitle: 'New One'\r\ncollection: publications\r\n"
        b"permalink: /publications/new-one.html\r\ncategory: manuscripts\r\n"
        b'date: 2024-01-02\r\nvenue: "W"\r\n---\r\n'
    )
    check_passes(site, folder / "new-one.md")


@pytest.mark.parametrize(
    ("kind", "args", "rel", "expected"),
    [
        (
            "talk",
            (
                "--title",
                "My Talk",
                "--date",
                "2024-05-01",
                "--type",
                "Talk",
                "--venue",
                "UCL",
                "--location",
                "London, UK",
            ),
            "_talks/2024-05-01-my-talk.md",
            [
                'title: "My Talk"',
                "collection: talks",
                'type: "Talk"',
                "permalink: /talks/2024-05-01-my-talk",
                'venue: "UCL"',
                "date: 2024-05-01",
                'location: "London, UK"',
            ],
        ),
        (
            "teaching",
            ("--title", "Course 1", "--date", "2024-09-01", "--type", "Workshop"),
            "_teaching/course-1.md",
            [
                'title: "Course 1"',
                "collection: teaching",
                'type: "Workshop"',
                "permalink: /teaching/course-1",
                "date: 2024-09-01",
            ],
        ),
        (
            "portfolio",
            ("--title", "Project: X", "--excerpt", "Short <br/>"),
            "_portfolio/project-x.md",
            ['title: "Project: X"', 'excerpt: "Short <br/>"', "collection: portfolio"],
        ),
        (
            "post",
            ("--title", "Hello, world", "--date", "2024-02-03", "--tags", "a b", "--tags", "c"),
            "_posts/2024-02-03-hello-world.md",
            [
                "title: 'Hello, world'",
                "date: 2024-02-03",
                "permalink: /posts/2024/02/hello-world/",
                "tags:",
                "  - a b",
                "  - c",
            ],
        ),
    ],
)
def test_other_kinds_follow_upstream_conventions(
    tmp_path: Path, kind: str, args: tuple[str, ...], rel: str, expected: list[str]
) -> None:
    site = make_site(tmp_path)
    config = site / "_config.yml"  # declared as in academicpages, so Jekyll reads them
    config.write_text(
        config.read_text().replace(
            "collections:\n",
            "collections:\n  teaching:\n    output: true\n"
            "    permalink: /:collection/:path/\n  portfolio:\n    output: true\n"
            "    permalink: /:collection/:path/\n",
            1,
        )
    )
    result = run_cli("add", kind, "--site", site, *args)
    assert result.exit_code == 0, result.stderr
    lines = (site / rel).read_text(encoding="utf-8").splitlines()
    assert lines[1 : 1 + len(expected)] == expected
    check_passes(site, site / rel)


def test_post_without_date_is_dated_today(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    result = run_cli("add", "post", "--site", site, "--title", "Today", "--body", "Hi {{ x }}")
    assert result.exit_code == 0, result.stderr
    path = site / "_posts" / f"{dt.date.today().isoformat()}-today.md"
    assert "{% raw %}\nHi {{ x }}\n{% endraw %}" in path.read_text(encoding="utf-8")


def test_talk_with_same_title_on_another_date_is_added(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    for date in ("2024-05-01", "2024-06-01", "2024-06-01"):
        result = run_cli("add", "talk", "--site", site, "--title", "Same Talk", "--date", date)
        assert result.exit_code == 0
    assert sorted(p.name for p in (site / "_talks").iterdir()) == [
        "2024-05-01-same-talk.md",
        "2024-06-01-same-talk.md",
    ]


def test_commit_commits_only_the_new_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    site = make_site(tmp_path)
    for key, value in {
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }.items():
        monkeypatch.setenv(key, value)
    subprocess.run(["git", "init", "-q"], cwd=site, check=True)
    subprocess.run(["git", "add", "-A"], cwd=site, check=True)
    subprocess.run(["git", "commit", "-qm", "init"], cwd=site, check=True)
    (site / "other.txt").write_text("not mine\n")
    result = run_cli(
        "add", "talk", "--site", site, "--title", "Commit Me", "--date", "2024-01-01", "--commit"
    )
    assert result.exit_code == 0, result.stderr
    shown = subprocess.run(
        ["git", "show", "--name-only", "--format=%s", "HEAD"],
        cwd=site,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert shown == ["Add", "talk:", "Commit", "Me", "_talks/2024-01-01-commit-me.md"]


def test_a_collection_the_config_does_not_declare_is_refused(tmp_path: Path) -> None:
    site = make_site(tmp_path)  # declares publications and talks only
    result = run_cli(
        "add", "teaching", "--site", site, "--title", "Course 1", "--date", "2024-09-01"
    )
    assert result.exit_code == 2
    assert "declares no `teaching` collection" in result.stderr
    assert not (site / "_teaching").exists()
