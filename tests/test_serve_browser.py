"""`pagemgr serve` in a real browser: Debian's chromium, driven by selenium through Debian's
chromium-driver, against a server the test starts on 127.0.0.1 and stops.

Skipped (visibly) only where chromium is absent and PAGEMGR_REQUIRE_BROWSER is unset."""

from __future__ import annotations

import difflib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import REPO, make_site
from tests.serve_client import Client, serving

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
IMAGES = REPO / "docs" / "images"
PAPER = "_publications/2020-01-01-paper.md"
SECOND = "_publications/2021-02-02-second.md"


def _browser_or_skip() -> Any:
    missing = [
        name for name, found in (("chromium", CHROMIUM), ("chromedriver", DRIVER)) if not found
    ]
    try:
        from selenium import webdriver
    except ImportError:
        missing.append("selenium")
        webdriver = None
    if missing:
        if os.environ.get("PAGEMGR_REQUIRE_BROWSER"):
            pytest.fail(f"PAGEMGR_REQUIRE_BROWSER is set but {', '.join(missing)} is missing")
        pytest.skip(
            f"no browser: {', '.join(missing)} missing (apt-get install chromium chromium-driver)"
        )
    return webdriver


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    webdriver = _browser_or_skip()
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--window-size=1280,900",
        "--disable-dev-shm-usage",
        "--no-proxy-server",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = make_site(tmp_path)
    (root / SECOND).write_text(
        '---\ntitle: "A Second Paper"\ncollection: publications\ncategory: conferences\n'
        "permalink: /publication/2021-02-02-second\ndate: 2021-02-02\nvenue: 'Conference 2'\n"
        "# a comment the editor keeps\n---\nSecond body.\n",
        encoding="utf-8",
    )
    return root


@pytest.fixture
def client(site: Path) -> Iterator[Client]:
    with serving(site) as running:
        yield running


def wait_for(browser: Any, css: str, timeout: float = 60) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    located = (By.CSS_SELECTOR, css)
    return WebDriverWait(browser, timeout).until(
        expected_conditions.visibility_of_element_located(located)
    )


def open_file(browser: Any, client: Client, rel: str) -> None:
    browser.get(f"{client.running.url}#/edit/{rel}")
    wait_for(browser, '[data-path="venue"]')


def set_field(browser: Any, path: str, value: str) -> None:
    field = wait_for(browser, f'[data-path="{path}"]')
    field.clear()
    field.send_keys(value)


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def screenshot(browser: Any, name: str) -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(IMAGES / name))


def test_the_list_shows_each_collection_with_its_findings(
    browser: Any, client: Client, site: Path
) -> None:
    (site / "_publications" / "2022-03-03-broken.md").write_text(
        "---\ntitle: Broken\ncollection: publications\ndate: 2022-03-03\n---\n", encoding="utf-8"
    )
    browser.get(client.running.url)
    row = wait_for(browser, '[data-path="_publications/2022-03-03-broken.md"] .count-error')
    assert int(row.text) >= 1
    assert wait_for(browser, '[data-section="publications"] h2').text.lower() == "publications (3)"
    screenshot(browser, "serve-list.png")
    headers = browser.find_elements("css selector", '[data-section="publications"] th')
    next(h for h in headers if h.text == "Date").click()
    first = wait_for(browser, '[data-section="publications"] tbody tr')
    assert first.get_attribute("data-path") == PAPER
    next(h for h in headers if h.text == "Date").click()
    first = wait_for(browser, '[data-section="publications"] tbody tr')
    assert first.get_attribute("data-path") == "_publications/2022-03-03-broken.md"


def test_changing_the_venue_changes_one_line(browser: Any, client: Client, site: Path) -> None:
    before = (site / SECOND).read_text(encoding="utf-8")
    open_file(browser, client, SECOND)
    set_field(browser, "venue", "Conference 3")
    wait_for(browser, "#review").click()
    diff = wait_for(browser, "#diff").text
    assert "+venue: 'Conference 3'" in diff
    assert (site / SECOND).read_text(encoding="utf-8") == before  # the diff first, nothing written
    wait_for(browser, "#confirm").click()
    wait_for(browser, "#saved")
    after = (site / SECOND).read_text(encoding="utf-8")
    assert changed_lines(before, after) == ["-venue: 'Conference 2'", "+venue: 'Conference 3'"]


def test_a_duplicate_permalink_is_refused_with_the_finding(
    browser: Any, client: Client, site: Path
) -> None:
    before = (site / SECOND).read_bytes()
    open_file(browser, client, SECOND)
    set_field(browser, "permalink", "/publication/2020-01-01-paper")
    wait_for(browser, "#review").click()
    refused = wait_for(browser, "#refused")
    assert "output-collision" in refused.text
    assert "nothing was written" in refused.text
    assert (site / SECOND).read_bytes() == before


def test_a_second_writer_is_detected(browser: Any, client: Client, site: Path) -> None:
    open_file(browser, client, SECOND)
    other = (site / SECOND).read_text(encoding="utf-8").replace("Second body.", "Theirs.")
    (site / SECOND).write_text(other, encoding="utf-8")
    set_field(browser, "venue", "Mine")
    wait_for(browser, "#review").click()
    assert "changed on disk" in wait_for(browser, "#conflict").text
    assert (site / SECOND).read_text(encoding="utf-8") == other


def test_the_body_is_saved_with_the_front_matter(browser: Any, client: Client, site: Path) -> None:
    open_file(browser, client, SECOND)
    set_field(browser, "venue", "Conference 4")
    body = wait_for(browser, "#body")
    body.clear()
    body.send_keys("New text.\n")
    wait_for(browser, "#review").click()
    wait_for(browser, "#confirm").click()
    wait_for(browser, "#saved")
    text = (site / SECOND).read_text(encoding="utf-8")
    assert text.endswith("# a comment the editor keeps\n---\nNew text.\n")
    assert "venue: 'Conference 4'" in text


def test_a_finding_is_shown_beside_its_field(browser: Any, client: Client, site: Path) -> None:
    text = (
        (site / SECOND)
        .read_text(encoding="utf-8")
        .replace("category: conferences", "category: posters")
    )
    (site / SECOND).write_text(text, encoding="utf-8")
    open_file(browser, client, SECOND)
    beside = wait_for(browser, '[data-field="category"] .finding')
    assert "posters" in beside.text
    screenshot(browser, "serve-edit.png")


BIBTEX = """@article{doe2023,
  title = {Learning to Edit YAML},
  author = {Doe, Jane and Roe, Richard},
  journal = {Journal of Tests},
  year = {2023},
  month = {mar},
  doi = {10.1234/yaml.2023}
}"""


def test_a_pasted_bibtex_entry_is_added_once(browser: Any, client: Client, site: Path) -> None:
    browser.get(f"{client.running.url}#/add")
    wait_for(browser, "#source").send_keys(BIBTEX)
    wait_for(browser, "#add").click()
    added = wait_for(browser, "#added")
    rel = "_publications/2023-03-01-learning-to-edit-yaml.md"
    assert f"Added {rel}" in added.text
    assert "venue: 'Journal of Tests'" in (site / rel).read_text(encoding="utf-8")
    browser.get("about:blank")  # again: the same entry is found on the site
    browser.get(f"{client.running.url}#/add")
    wait_for(browser, "#source").send_keys(BIBTEX)
    wait_for(browser, "#add").click()
    assert "already on the site" in wait_for(browser, "#added").text


def test_publishing_pushes_to_the_remote(
    browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.gitrepo import add_bare_remote, git, isolate_git, new_repo

    isolate_git(tmp_path, monkeypatch)
    work, root = new_repo(tmp_path)
    bare = add_bare_remote(work, tmp_path / "remote.git")
    paper = root / PAPER
    paper.write_text(
        paper.read_text(encoding="utf-8").replace("Journal 1", "Journal 9"), encoding="utf-8"
    )
    with serving(root) as client:
        browser.get(f"{client.running.url}#/publish")
        changes = wait_for(browser, "#changes")
        assert PAPER in changes.text and "+venue: 'Journal 9'" in changes.text
        assert "origin/master" in wait_for(browser, "#target").text
        screenshot(browser, "serve-publish.png")
        wait_for(browser, "#publish").click()
        done = wait_for(browser, "#published")
        assert "Pushed 1 commit" in done.text
    assert "Journal 9" in git(bare, "show", f"master:{PAPER}")
    assert git(work, "status", "--porcelain").strip() == ""


def test_a_fix_button_beside_its_field(browser: Any, client: Client, site: Path) -> None:
    text = (site / SECOND).read_text(encoding="utf-8")
    (site / SECOND).write_text(text.replace("collection: publications", "collection: x"), "utf-8")
    open_file(browser, client, SECOND)
    wait_for(browser, '[data-field="collection"] .finding')
    wait_for(browser, '[data-field="collection"] button.fix').click()
    assert "+collection: publications" in wait_for(browser, "#diff").text
    wait_for(browser, "#confirm").click()
    wait_until_gone(browser, '[data-field="collection"] .finding')
    assert (site / SECOND).read_text(encoding="utf-8") == text


def wait_until_gone(browser: Any, css: str, timeout: float = 60) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    gone = expected_conditions.invisibility_of_element_located((By.CSS_SELECTOR, css))
    WebDriverWait(browser, timeout).until(gone)


def test_a_menu_item_is_added_in_the_form(browser: Any, client: Client, site: Path) -> None:
    before = (site / "_data/navigation.yml").read_text(encoding="utf-8")
    browser.get(f"{client.running.url}#/edit/_data/navigation.yml")
    wait_for(browser, '[data-add="main"]').click()
    wait_for(browser, '[data-append="main"] [data-key="title"]').send_keys("Elsewhere")
    wait_for(browser, '[data-append="main"] [data-key="url"]').send_keys("https://example.org/")
    wait_for(browser, "#review").click()
    wait_for(browser, "#confirm").click()
    wait_for(browser, "#saved")
    after = (site / "_data/navigation.yml").read_text(encoding="utf-8")
    assert after == before + "  - title: Elsewhere\n    url: https://example.org/\n"


def test_two_saves_in_a_row_and_the_findings_follow(
    browser: Any, client: Client, site: Path
) -> None:
    open_file(browser, client, SECOND)
    set_field(browser, "venue", "")
    wait_for(browser, "#review").click()
    wait_for(browser, "#force").click()  # an empty venue is an error: saved anyway
    wait_for(browser, "#saved")
    assert wait_for(browser, '[data-field="venue"] .finding').text
    set_field(browser, "venue", "Conference 5")
    wait_for(browser, "#review").click()
    wait_for(browser, "#confirm").click()
    wait_until_gone(browser, '[data-field="venue"] .finding')
    assert "venue: 'Conference 5'\n" in (site / SECOND).read_text(encoding="utf-8")
