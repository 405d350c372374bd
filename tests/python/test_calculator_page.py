"""The calculator page (openfisca_cn_assist/serve/web/) in a real headless browser, against ``cn-assist serve``.

Debian's chromium and chromedriver, driven by Selenium with explicit paths (Selenium Manager never runs,
nothing is downloaded). Outside CI the tests skip when the browser is not installed; in CI they must run.
Screenshots go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from openfisca_core.simulations import SimulationBuilder
from servers import running_server, script

from openfisca_cn_assist.engine.resolver import MissingParameterValueError

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
MONTH = "2022-08"
HOUSEHOLD_OUTPUTS = [
    "dibao_standard",
    "dibao_unit_size",
    "dibao_countable_income",
    "dibao_per_capita_income",
    "dibao_eligible",
    "dibao_benefit",
    "social_assistance_total",
]
PERSON_OUTPUTS = ["tekun_eligible", "tekun_basic_allowance", "tekun_care_allowance", "dibao_class_amount"]
# Places as the picker shows them: province, then prefecture, then county.
MENGLA = ("云南省", "西双版纳傣族自治州", "勐腊县")
JINGHONG = ("云南省", "西双版纳傣族自治州", "景洪市")

# 勐腊县 (西双版纳) 2022-08, rural, both members class A: a grandmother on her own (特困) and a working son.
MEMBERS = [
    {
        "name": "奶奶",
        "age": 68,
        "basic_pension_income": 103,
        "dibao_class": "a",
        "has_able_supporter": False,
        "self_care_level": "partial_care",
    },
    {
        "name": "",
        "age": 45,
        "wage_income": 300,
        "is_employed": True,
        "dibao_class": "a",
        "has_able_supporter": True,
        "disability_grade": 2,
        "disability_category": "physical",
    },
]


def _browser_or_skip():
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not shutil.which(path)]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package (pip install '.[test]')")
    if missing:
        reason = f"the calculator-page tests need {', '.join(missing)} (apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(f"in CI {reason}; .ci/run installs them")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def server():
    _browser_or_skip()
    command = [script("cn-assist"), "serve", "--port", "{port}", "--workers", "2"]
    with running_server(command, ready_path="/entities", timeout_s=90) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="cn-assist-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--lang=en-US",
        "--window-size=1280,900",
    ):
        options.add_argument(argument)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SE_OFFLINE", "true")  # belt and braces: the explicit driver path already skips Selenium Manager
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


# --- helpers ----------------------------------------------------------------------------------------------


def wait(driver, condition, timeout=30):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def open_page(driver, base, lang=None):
    """A fresh page with the options loaded; ``lang`` preset in localStorage (None: cleared)."""
    driver.get(base + "/")
    driver.execute_script(
        "localStorage.clear()" if lang is None else f"localStorage.setItem('cn-assist-lang', '{lang}')"
    )
    driver.get(base + "/")
    wait(driver, lambda d: d.execute_script("return document.body.dataset.ready === 'true'"))
    assert not driver.find_element("id", "load-error").is_displayed()


def by_id(driver, element_id):
    return driver.find_element("id", element_id)


def picker_idle(driver):
    return not driver.execute_script("return document.body.dataset.pickerBusy")


def choose_place(driver, place):
    """Pick the province, prefecture and county of ``place`` by their names, each once its level has loaded."""
    from selenium.webdriver.support.ui import Select

    for level, name in zip(("province", "prefecture", "county"), place):
        select = by_id(driver, f"jurisdiction-{level}")
        wait(
            driver,
            lambda d, select=select, name=name: picker_idle(d) and name in [o.text for o in Select(select).options],
        )
        Select(select).select_by_visible_text(name)
    wait(driver, picker_idle)


def fill_household(driver, place, month, area, members):
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    year, month_number = month.split("-")
    month_name = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ][int(month_number) - 1]
    by_id(driver, "month").send_keys(month_name, Keys.TAB, year)  # typed as a user would (en-US browser locale)
    assert by_id(driver, "month").get_attribute("value") == month
    choose_place(driver, place)  # after the month: the picker lists the divisions in force then
    by_id(driver, f"area-{area}").click()
    for index, member in enumerate(members):
        if index:
            by_id(driver, "add-member").click()
        node = driver.find_elements("css selector", "#members > li")[index]

        def field(name, node=node):
            return node.find_element("css selector", f'[data-field="{name}"]')

        for name, value in member.items():
            element = field(name)
            if element.tag_name == "select":
                Select(element).select_by_value(str(value))
            elif element.get_attribute("type") == "checkbox":
                if element.is_selected() != bool(value):
                    element.click()
            else:
                element.clear()
                element.send_keys(str(value))


def counter(driver, name):
    """The page counts the answers it has shown on <body>: data-submissions, data-explanations."""
    return int(driver.execute_script(f"return document.body.dataset.{name} || 0"))


def submit_and_wait(driver, submit=None):
    """Submit (by clicking Calculate, or ``submit()``) and wait until the page has shown the answer.
    Returns the number of explanations shown before, for ``wait_for_explanation``."""
    submissions, explanations = counter(driver, "submissions"), counter(driver, "explanations")
    (submit or by_id(driver, "calculate").click)()
    wait(driver, lambda d: counter(d, "submissions") > submissions)
    return explanations


def wait_for_explanation(driver, before):
    wait(driver, lambda d: counter(d, "explanations") > before)
    return [v.text for v in driver.find_elements("css selector", "#explanation .verdict")]


def number(text):
    """The first number in a displayed amount: '1,080.00 元/月' → 1080.0."""
    match = re.search(r"-?[\d,]+(\.\d+)?", text)
    assert match, f"no number in {text!r}"
    return float(match.group().replace(",", ""))


def page_value(cell, yes_text, no_text):
    """What the page shows in a result cell: a float, a bool, or None for 'not computed'."""
    if cell.get_attribute("data-not-computed") == "true":
        return None
    text = cell.text.strip()
    if text in (yes_text, no_text):
        return text == yes_text
    return number(text)


def library_values(system, jurisdiction, month, area, members):
    """The same household computed by the library itself: output → value(s), None where it cannot be."""
    persons = {}
    for index, member in enumerate(members):
        persons[f"p{index}"] = {name: {month: value} for name, value in member.items() if name != "name"}
    situation = {
        "persons": persons,
        "households": {
            "h": {"members": list(persons), "jurisdiction": {"ETERNITY": jurisdiction}, "area": {month: area}}
        },
    }
    values = {}
    for name in HOUSEHOLD_OUTPUTS + PERSON_OUTPUTS:
        simulation = SimulationBuilder().build_from_entities(system, situation)
        try:
            result = simulation.calculate(name, month)
        except MissingParameterValueError:  # the page says "not computed", for the household or every member
            values[name] = None if name in HOUSEHOLD_OUTPUTS else [None] * len(members)
            continue
        result = [bool(v) if result.dtype == bool else float(v) for v in result]
        values[name] = result[0] if name in HOUSEHOLD_OUTPUTS else result
    return values


def save_full_page(driver, path, width):
    driver.execute_script("window.scrollTo(0, 0)")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, height + 120)
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(path))


# --- tests ------------------------------------------------------------------------------------------------


def _options(driver, level):
    return [
        tuple(pair)
        for pair in driver.execute_script(
            f"return [...document.querySelectorAll('#jurisdiction-{level} option')].filter(o => o.value)"
            ".map(o => [o.value, o.text])"
        )
    ]


def _expected(system, date, parent=None, level=None):
    """(value the page sends, Chinese name) of the divisions in force at ``date`` under ``parent``, by code."""
    registry = system.registry
    return [
        (j.key if j.key[:1].isalpha() else j.code, j.name_zh)
        for j in registry.jurisdictions
        if j.code
        and j.in_force(date)
        and (level is None or j.level == level)
        and (parent is None or j.parent_at(date) == parent)
    ]


def _set_month(driver, month):
    driver.execute_script(
        f"const m = document.getElementById('month'); m.value = '{month}'; m.dispatchEvent(new Event('change'));"
    )
    wait(driver, picker_idle)


def test_picker_lists_the_divisions_in_force_at_the_month_level_by_level(server, browser, system):
    open_page(browser, server)
    assert browser.execute_script("return document.documentElement.lang") == "zh-CN"
    _set_month(browser, MONTH)
    assert _options(browser, "province") == _expected(system, "2022-08-01", level="province")
    assert by_id(browser, "jurisdiction-prefecture").get_attribute("disabled") == "true"
    choose_place(browser, MENGLA[:1])
    assert _options(browser, "prefecture") == _expected(system, "2022-08-01", parent="yunnan")
    choose_place(browser, MENGLA)
    assert _options(browser, "county") == [("jinghong", "景洪市"), ("menghai", "勐海县"), ("mengla", "勐腊县")]
    assert by_id(browser, "jurisdiction-chosen").text == "计算辖区：勐腊县（代码 532823）"
    # In 1990 景洪 was a county (景洪县 532821, no project key): the page lists it and would send its code.
    _set_month(browser, "1990-06")
    assert _options(browser, "county") == [("532821", "景洪县"), ("menghai", "勐海县"), ("mengla", "勐腊县")]
    assert by_id(browser, "jurisdiction-county").get_attribute("value") == "mengla"  # the choice is kept
    # A county directly under its province (北京's districts) is listed at the second level, in its own group.
    _set_month(browser, MONTH)
    choose_place(browser, ("北京市",))
    groups = browser.execute_script(
        "return [...document.querySelectorAll('#jurisdiction-prefecture optgroup')].map(g => g.children.length)"
    )
    assert groups == [len(_expected(system, "2022-08-01", parent="110000"))]
    assert by_id(browser, "jurisdiction-county").get_attribute("disabled") == "true"


def test_a_county_without_a_key_is_sent_by_its_code(server, browser, system):
    """红塔区 530402 (玉溪市) has no project key: the page sends the code; it inherits 玉溪's and 云南's values."""
    open_page(browser, server)
    member = [{"age": 40, "wage_income": 300, "has_able_supporter": True}]
    fill_household(browser, ("云南省", "玉溪市", "红塔区"), MONTH, "urban", member)
    submit_and_wait(browser)
    assert not by_id(browser, "form-error").is_displayed(), by_id(browser, "form-error").text
    expected = library_values(system, "530402", MONTH, "urban", member)
    shown = browser.find_element("css selector", '#household-results td[data-var="dibao_standard"]')
    assert page_value(shown, "是", "否") == pytest.approx(expected["dibao_standard"]) == 700
    assert "红塔区" in by_id(browser, "results-body").text


def test_household_result_matches_the_library(server, browser, system):
    browser.set_window_size(1280, 900)
    open_page(browser, server)
    fill_household(browser, MENGLA, MONTH, "rural", MEMBERS)
    explanations = submit_and_wait(browser)
    assert not by_id(browser, "form-error").is_displayed(), by_id(browser, "form-error").text

    expected = library_values(system, "mengla", MONTH, "rural", MEMBERS)
    shown = {}
    for name in HOUSEHOLD_OUTPUTS:
        shown[name] = page_value(
            browser.find_element("css selector", f'#household-results td[data-var="{name}"]'), "是", "否"
        )
    cards = browser.find_elements("css selector", ".person-results")
    assert [c.find_element("tag name", "caption").text for c in cards] == ["奶奶", "成员 2"]
    for name in PERSON_OUTPUTS:
        shown[name] = [page_value(c.find_element("css selector", f'td[data-var="{name}"]'), "是", "否") for c in cards]
    for name, value in expected.items():
        if isinstance(value, list):
            assert shown[name] == [pytest.approx(v, abs=0.005) if isinstance(v, float) else v for v in value], name
        elif value is None:
            assert shown[name] is None, f"{name}: the library cannot compute it, the page shows {shown[name]!r}"
        else:
            assert shown[name] == (pytest.approx(value, abs=0.005) if isinstance(value, float) else value), name

    # The case itself: 450 元 standard (5400 元/年 ÷ 12); the son alone counts for 低保, 300 < 450, class A 460;
    # the grandmother is 特困 (910 元), her care allowance needs a figure no source gives for Yunnan.
    assert shown["dibao_standard"] == 450 and shown["dibao_eligible"] is True and shown["dibao_benefit"] == 460
    assert shown["tekun_basic_allowance"] == [910, 0] and shown["tekun_care_allowance"] == [None, None]
    # The notice names what is missing in words (the parameter's description from /parameter/…) and by path.
    wait(browser, lambda d: "照料护理" in by_id(d, "not-computed-notice").text)
    assert "tekun.care_rate_partial_care" in by_id(browser, "not-computed-notice").text

    # The explanation, from /explain, in Chinese, naming the members as the page does.
    verdicts = wait_for_explanation(browser, explanations)
    assert any(v.startswith("低保") and "460" in v for v in verdicts), verdicts
    assert any("奶奶" in v and "910" in v for v in verdicts), verdicts
    assert "5400" in by_id(browser, "explanation").text  # the standard as the source quotes it
    save_full_page(browser, ARTIFACTS / "calculator.png", 1280)


def test_english_switch_translates_and_is_remembered(server, browser):
    browser.set_window_size(1280, 900)
    open_page(browser, server)
    assert by_id(browser, "lang-toggle").text == "English"
    label = by_id(browser, "jurisdiction-legend")
    assert label.text == "辖区"
    fill_household(browser, MENGLA, MONTH, "rural", MEMBERS[:1])
    wait_for_explanation(browser, submit_and_wait(browser))
    explanations = counter(browser, "explanations")
    by_id(browser, "lang-toggle").click()
    assert label.text == "Jurisdiction"
    assert by_id(browser, "lang-toggle").text == "中文"
    assert browser.execute_script("return document.documentElement.lang") == "en"
    assert by_id(browser, "results-heading").text == "Results"
    assert "Mengla County" in browser.execute_script(
        "return document.getElementById('jurisdiction-county').selectedOptions[0].text"
    )
    row = browser.find_element("css selector", '#household-results tr[data-row="dibao_standard"]')
    assert row.find_element("tag name", "th").text == "Dibao standard"
    assert "yuan" in row.find_element("tag name", "td").text
    # The explanation is asked for again, in English.
    verdicts = wait_for_explanation(browser, explanations)
    assert any(v.startswith("Tekun") for v in verdicts), verdicts
    # Every text of the page is translated: no Chinese left outside the names (members, places, parameters)
    # and the service's own messages (kept verbatim under "Details", marked lang=en).
    ui_text = browser.execute_script(
        "const c = document.body.cloneNode(true);"
        "c.querySelectorAll('#explanation, #jurisdiction, template, .person-results caption, [data-parameter], [lang=en]').forEach(n => n.remove());"
        "return c.innerText"
    )
    assert not re.search(r"[\u4e00-\u9fff]", ui_text.replace("中文", "")), re.findall(r".*[\u4e00-\u9fff].*", ui_text)
    assert browser.execute_script("return localStorage.getItem('cn-assist-lang')") == "en"
    browser.refresh()
    wait(browser, lambda d: d.execute_script("return document.body.dataset.ready === 'true'"))
    assert by_id(browser, "jurisdiction-legend").text == "Jurisdiction"


def test_phone_size_single_column_without_horizontal_scroll(server, browser):
    browser.set_window_size(390, 844)
    try:
        open_page(browser, server)
        fill_household(browser, MENGLA, MONTH, "rural", MEMBERS)
        wait_for_explanation(browser, submit_and_wait(browser))
        width, inner = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= inner, f"horizontal scroll at 390 px: content {width} px wide, window {inner} px"
        lefts = browser.execute_script(
            "return [...document.querySelectorAll('#members > li:first-child .field')].map(f => f.getBoundingClientRect().left)"
        )
        assert len(set(round(x) for x in lefts)) == 1, f"member fields are not in one column: {lefts}"
        heights = browser.execute_script(
            "return [...document.querySelectorAll('#calculator input:not([type=checkbox]):not([type=radio]), #calculator select, button')]"
            ".filter(e => e.offsetParent).map(e => e.getBoundingClientRect().height)"
        )
        assert min(heights) >= 44, f"controls smaller than a finger: {min(heights)} px"
        save_full_page(browser, ARTIFACTS / "calculator-phone.png", 390)
        browser.set_window_size(390, 844)
        width, inner = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= inner
    finally:
        browser.set_window_size(1280, 900)


def test_every_control_has_a_label_and_the_keyboard_submits(server, browser):
    from selenium.webdriver.common.keys import Keys

    open_page(browser, server)
    by_id(browser, "add-member").click()
    unlabelled = browser.execute_script(
        "return [...document.querySelectorAll('#calculator input, #calculator select')]"
        ".filter(e => !e.labels || !e.labels.length || !e.labels[0].textContent.trim()).map(e => e.id || e.name)"
    )
    assert unlabelled == []
    ids = browser.execute_script("return [...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)), "duplicate ids"
    # Removing a member keeps the focus in the form, and the remove buttons are named after the member.
    remove = browser.find_elements("css selector", "#members .remove-member")[1]
    assert remove.get_attribute("aria-label") == "删除成员 2"
    remove.send_keys(Keys.ENTER)
    assert len(browser.find_elements("css selector", "#members > li")) == 1
    assert browser.switch_to.active_element.get_attribute("id") == "m1-name"
    # Enter in a field submits the form, and the focus moves to the results.
    fill_household(browser, JINGHONG, MONTH, "urban", [{"age": 40, "wage_income": 300, "has_able_supporter": True}])
    submit_and_wait(browser, lambda: by_id(browser, "m1-wage_income").send_keys(Keys.ENTER))
    assert by_id(browser, "results").is_displayed()
    assert browser.switch_to.active_element.get_attribute("id") == "results-heading"
    # README's example: (700 − 300) × 1 = 400
    benefit = browser.find_element("css selector", '#household-results td[data-var="dibao_benefit"]')
    assert number(benefit.text) == 400


def test_errors_are_shown_in_plain_words(server, browser):
    from selenium.webdriver.support.ui import Select

    open_page(browser, server)
    error_box = by_id(browser, "form-error")

    # Checked in the page: a missing age names the member and the field.
    fill_household(browser, MENGLA, MONTH, "rural", [{"age": ""}])
    submit_and_wait(browser)
    assert error_box.is_displayed() and "成员 1 · 年龄" in error_box.text
    assert by_id(browser, "m1-age").get_attribute("aria-invalid") == "true"
    assert browser.switch_to.active_element.get_attribute("id") == "m1-age"

    # 400 from the API, naming the field: a jurisdiction the service does not know.
    by_id(browser, "m1-age").send_keys("50")
    browser.execute_script(
        "const s = document.getElementById('jurisdiction-county'); s.add(new Option('亚特兰蒂斯', 'atlantis'));"
        "s.items.set('atlantis', {value: 'atlantis', code: '000000', level: 'county', zh: '亚特兰蒂斯', en: 'Atlantis'});"
        "s.value = 'atlantis';"
    )
    submit_and_wait(browser)
    assert error_box.is_displayed()
    assert (
        "计算服务不接受以下输入" in error_box.text and "家庭 · 辖区" in error_box.text and "atlantis" in error_box.text
    )
    assert by_id(browser, "jurisdiction-county").get_attribute("aria-invalid") == "true"
    assert not by_id(browser, "results").is_displayed()

    # 422 from the API: no standard in force (青海 publishes none for 2022); said so, nothing shown as zero.
    Select(by_id(browser, "jurisdiction-province")).select_by_value("qinghai")  # the province alone
    wait(browser, picker_idle)
    assert by_id(browser, "jurisdiction-chosen").text == "计算辖区：青海省（代码 630000）"
    explanations = submit_and_wait(browser)
    assert not error_box.is_displayed()
    notice = by_id(browser, "not-computed-notice").text
    assert "没有资料给出所需的数值" in notice and "dibao.standard_rural" in notice
    cell = browser.find_element("css selector", '#household-results td[data-var="dibao_standard"]')
    assert cell.get_attribute("data-not-computed") == "true" and "无法计算" in cell.text
    verdicts = wait_for_explanation(browser, explanations)
    assert any("无法计算" in v for v in verdicts), verdicts
