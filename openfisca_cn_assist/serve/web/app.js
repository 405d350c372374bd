/* The calculator page: builds an OpenFisca situation from the form, asks the Web API, shows the result.
   No framework and no outside resource: the API is this page's own origin (or ?api=<base URL>). */
"use strict";

(function () {
  const API = (new URLSearchParams(location.search).get("api") || ".").replace(/\/+$/, "");
  const LANG_KEY = "cn-assist-lang";

  // Every text of the page, in both languages. Keys used in HTML through data-i18n.
  const TEXT = {
    page_title: { zh: "社会救助计算器 · 低保与特困", en: "Social assistance calculator · dibao and tekun" },
    skip_to_results: { zh: "跳到计算结果", en: "Skip to the results" },
    heading: { zh: "社会救助计算器", en: "Social assistance calculator" },
    lede: {
      zh: "按辖区和月份计算一个家庭的低保资格与低保金、家庭成员的特困资格与供养金。",
      en: "For one household, a place and a month: eligibility for dibao (minimum living guarantee) and its benefit, and each member's tekun (extreme-poverty support) eligibility and allowances.",
    },
    lang_hint: { zh: "切换界面语言", en: "Switch the page language" },
    household: { zh: "家庭", en: "Household" },
    jurisdiction: { zh: "辖区", en: "Jurisdiction" },
    jurisdiction_help: {
      zh: "先选省，再选地级、县级（不选则按上一级计算）；只列出所选月份有效的区划。没有本地标准时沿用上级标准。",
      en: "Choose the province, then the prefecture and the county (or leave them: the level above is calculated); only the divisions in force in the month are listed. Where a division has no standard of its own, its parent's applies.",
    },
    choose: { zh: "请选择…", en: "Choose…" },
    level_province: { zh: "省级", en: "Province" },
    level_prefecture: { zh: "地级", en: "Prefecture" },
    level_county: { zh: "县级", en: "County" },
    whole_level: { zh: "（不选）", en: "(none)" }, // then the level above is calculated (#jurisdiction-chosen says so)
    under_province: { zh: "省直辖的县级", en: "County level, directly under the province" },
    chosen_division: { zh: "计算辖区：{name}（代码 {code}）", en: "Calculated for: {name} (code {code})" },
    loading: { zh: "正在加载…", en: "Loading…" },
    month: { zh: "月份", en: "Month" },
    month_help: { zh: "计算哪个月（年-月，如 2022-08）。", en: "The month to calculate (year-month, e.g. 2022-08)." },
    area: { zh: "城乡属性", en: "Urban or rural" },
    urban: { zh: "城市", en: "Urban" },
    rural: { zh: "农村", en: "Rural" },
    price_indices: { zh: "物价指数（可选，用于价格临时补贴和合计）", en: "Price indices (optional; for the temporary price subsidy and the total)" },
    price_help: {
      zh: "上个月的同比涨幅，百分数（3.5 表示 3.5%）。不填则价格临时补贴和合计可能无法计算。",
      en: "Last month's year-on-year rise in percent (3.5 means 3.5 %). Without them the price subsidy and the total may not be computable.",
    },
    cpi_yoy: { zh: "上月 CPI 同比涨幅（%）", en: "Last month's CPI rise (%)" },
    food_cpi_yoy: { zh: "上月食品价格同比涨幅（%）", en: "Last month's food price rise (%)" },
    members: { zh: "家庭成员", en: "Household members" },
    members_help: { zh: "收入按月填写（元/月），没有就留空。", en: "Incomes per month (yuan a month); leave blank if none." },
    add_member: { zh: "+ 添加成员", en: "+ Add a member" },
    member_n: { zh: "成员 {n}", en: "Member {n}" },
    remove_member: { zh: "删除", en: "Remove" },
    remove_member_label: { zh: "删除{name}", en: "Remove {name}" },
    name: { zh: "称呼（可选）", en: "Name (optional)" },
    age: { zh: "年龄（周岁）", en: "Age (years)" },
    wage_income: { zh: "工资性收入（元/月）", en: "Wage income (yuan/month)" },
    business_income: { zh: "经营净收入（元/月）", en: "Net business income (yuan/month)" },
    property_income: { zh: "财产净收入（元/月）", en: "Net property income (yuan/month)" },
    transfer_income: { zh: "转移净收入（元/月，不含基础养老金）", en: "Net transfer income (yuan/month, without the basic pension)" },
    basic_pension_income: { zh: "基础养老金（元/月）", en: "Basic pension (yuan/month)" },
    disability_grade: { zh: "残疾等级", en: "Disability grade" },
    grade_0: { zh: "无残疾", en: "No disability" },
    grade_n: { zh: "{n} 级", en: "Grade {n}" },
    disability_category: { zh: "残疾类别", en: "Disability category" },
    self_care_level: { zh: "生活自理能力", en: "Self-care level" },
    dibao_class: { zh: "低保类别", en: "Dibao class" },
    has_able_supporter: { zh: "有能力履行义务的赡养、抚养、扶养人", en: "Has a legal supporter able to support" },
    is_employed: { zh: "已就业（扣除就业成本）", en: "Employed (employment costs deducted)" },
    calculate: { zh: "计算", en: "Calculate" },
    calculating: { zh: "正在计算…", en: "Calculating…" },
    results: { zh: "计算结果", en: "Results" },
    results_for: { zh: "{place}，{month}，{area}", en: "{place}, {month}, {area}" },
    household_results: { zh: "家庭", en: "Household" },
    person_results: { zh: "家庭成员", en: "Members" },
    explanation: { zh: "计算说明", en: "Explanation" },
    explanation_loading: { zh: "正在生成说明…", en: "Preparing the explanation…" },
    explanation_unavailable: { zh: "此服务器不提供计算说明。", en: "This server does not provide explanations." },
    explanation_failed: { zh: "无法生成计算说明：", en: "The explanation could not be produced:" },
    footer: {
      zh: "计算依据各地公布的标准；标准及其来源见 API 的 /parameters。结果仅供参考，以民政部门认定为准。",
      en: "Calculated from the standards each place publishes; the standards and their sources are at the API's /parameters. For information only: the civil-affairs bureau decides.",
    },
    yes: { zh: "是", en: "Yes" },
    no: { zh: "否", en: "No" },
    yuan: { zh: "元", en: "yuan" },
    per_month: { zh: "元/月", en: "yuan/month" },
    per_person_month: { zh: "元/人·月", en: "yuan/person/month" },
    persons_unit: { zh: "人", en: "persons" },
    person_unit: { zh: "人", en: "person" },
    not_computed: { zh: "无法计算", en: "Not computed" },
    no_source: {
      zh: "没有资料给出这个地区在这个月所需的标准，所以不计算（也不当作 0）。",
      en: "No source gives a figure this place needs for this month, so it is not computed (and not counted as zero).",
    },
    needs_price_indices: {
      zh: "需要上个月的物价指数：请在“物价指数”中填写 CPI 和食品价格涨幅。",
      en: "Needs last month's price indices: give the CPI and food-price rises under “Price indices”.",
    },
    details: { zh: "详细信息", en: "Details" },
    // Outputs
    dibao_standard: { zh: "低保标准", en: "Dibao standard" },
    dibao_unit_size: { zh: "计入低保的人数", en: "Members counted for dibao" },
    dibao_countable_income: { zh: "家庭可计收入", en: "Countable household income" },
    dibao_per_capita_income: { zh: "人均可计收入", en: "Per-capita countable income" },
    dibao_eligible: { zh: "符合低保条件", en: "Eligible for dibao" },
    dibao_benefit: { zh: "低保金", en: "Dibao benefit" },
    social_assistance_total: { zh: "社会救助合计", en: "Total social assistance" },
    dibao_class_amount: { zh: "低保分类金额", en: "Dibao class amount" },
    tekun_eligible: { zh: "符合特困条件", en: "Eligible for tekun" },
    tekun_basic_allowance: { zh: "特困基本生活费", en: "Tekun basic allowance" },
    tekun_care_allowance: { zh: "特困照料护理费", en: "Tekun care allowance" },
    // Errors
    err_load: {
      zh: "无法从计算服务读取辖区等选项，请稍后刷新页面重试。",
      en: "The options (jurisdictions and others) could not be read from the calculation service. Please reload the page later.",
    },
    err_network: { zh: "无法连接计算服务，请检查网络后重试。", en: "The calculation service could not be reached. Check the connection and try again." },
    err_fix_fields: { zh: "请修改以下内容后再计算：", en: "Please correct the following and calculate again:" },
    err_api_input: { zh: "计算服务不接受以下输入：", en: "The calculation service did not accept these inputs:" },
    err_server: { zh: "计算服务出错，未能算出结果：", en: "The calculation service failed and gave no result:" },
    err_nothing: { zh: "没有任何结果可以计算。", en: "Nothing could be computed." },
    err_required: { zh: "请填写", en: "please fill in" },
    err_choose: { zh: "请选择", en: "please choose one" },
    err_month: { zh: "请按 年-月 填写，如 2022-08", en: "give a year and month, e.g. 2022-08" },
    err_range: { zh: "请填写 {min} 到 {max} 之间的整数", en: "give a whole number from {min} to {max}" },
    err_min: { zh: "不能小于 {min}", en: "must be at least {min}" },
    err_number: { zh: "请填写数字", en: "give a number" },
    err_no_members: { zh: "至少需要一名家庭成员", en: "add at least one member" },
    field_household: { zh: "家庭", en: "Household" },
    some_not_computed: {
      zh: "有些结果无法计算：没有资料给出所需的数值，这些结果不当作 0。缺少：",
      en: "Some results could not be computed: no source gives a figure they need, and they are not counted as zero. Missing:",
    },
    see_explanation: { zh: "原因见下方“计算说明”。", en: "See the explanation below for why." },
    missing_parameter: { zh: "{label}（{parameter}，{date}）", en: "{label} ({parameter}, on {date})" },
    no_source_short: { zh: "没有资料给出所需的数值（不当作 0）。", en: "No source gives a figure it needs (not counted as zero)." },
    verdicts: { zh: "结论", en: "Result" },
    steps: { zh: "逐步计算和依据", en: "Step by step, with the rules and sources" },
  };


  const HOUSEHOLD_ID = "1";
  // The outputs shown, [name, unit] in order, and the total's row: served by /outputs from the variables'
  // declarations (openfisca_cn_assist/engine/outputs.py), so a new output appears without an edit here.
  const HOUSEHOLD_OUTPUTS = [];
  const PERSON_OUTPUTS = [];
  const IS_HOUSEHOLD_OUTPUT = new Set();
  const TOTAL_OUTPUTS = new Set();
  const MONEY_INPUTS = ["wage_income", "business_income", "property_income", "transfer_income", "basic_pension_income"];
  // The jurisdiction is not an enum here: 6,800 divisions come level by level from GET /jurisdictions.
  const ENUMS = ["disability_category", "self_care_level", "dibao_class"];

  let lang = readLang();
  const enums = {}; // variable → {options: [{key, zh, en}], defaultValue}
  let memberSerial = 0;
  let lastResult = null; // {values, missing, form}: re-rendered in the other language
  let lastExplanation = null; // {form, lang, body | error}
  let lastFormErrors = null;
  let explainRequest = 0;

  const $ = (id) => document.getElementById(id);
  // picker.js: the jurisdiction's province → prefecture → county selects, fed by GET /jurisdictions.
  const picker = window.cnAssistPicker({ API, $, el, t, lang: () => lang, failed: pickerFailed });

  function readLang() {
    try {
      return localStorage.getItem(LANG_KEY) === "en" ? "en" : "zh";
    } catch (e) {
      return "zh";
    }
  }

  function t(key, values) {
    const entry = TEXT[key];
    let text = entry ? entry[lang] : key;
    for (const [name, value] of Object.entries(values || {})) text = text.split(`{${name}}`).join(value);
    return text;
  }

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  const langTag = () => (lang === "zh" ? "zh-CN" : "en");

  /* ---------- language ---------- */

  function applyLanguage() {
    document.documentElement.lang = langTag();
    document.title = t("page_title");
    for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
    const toggle = $("lang-toggle");
    toggle.textContent = lang === "zh" ? "English" : "中文";
    toggle.lang = lang === "zh" ? "en" : "zh-CN";
    fillEnumSelects();
    renumberMembers();
    if (lastFormErrors) showFormErrors(lastFormErrors);
    if (lastResult) renderResult(lastResult);
  }

  function setLanguage(next) {
    lang = next;
    try {
      localStorage.setItem(LANG_KEY, lang);
    } catch (e) {
      /* storage unavailable (private mode): the choice lasts while the page is open */
    }
    applyLanguage();
    // The explanation is written by the service in one language: ask again in the new one.
    if (lastResult) explain(lastResult.form);
  }

  /* ---------- options from the API ---------- */

  function splitLabel(label, key) {
    // The package's labels are "中文 / English"; fall back to the key.
    const parts = String(label || key).split(" / ");
    return { key, zh: parts[0], en: parts.length > 1 ? parts.slice(1).join(" / ") : parts[0] };
  }

  async function loadOutputs() {
    const response = await fetch(`${API}/outputs`, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`/outputs: HTTP ${response.status}`);
    const body = await response.json();
    for (const output of body.outputs) {
      (output.entity === "household" ? HOUSEHOLD_OUTPUTS : PERSON_OUTPUTS).push([output.name, output.unit]);
      if (output.entity === "household") IS_HOUSEHOLD_OUTPUT.add(output.name);
      if (output.total) TOTAL_OUTPUTS.add(output.name);
      // The page's own wording (TEXT) where it has one; else the label declared on the variable.
      if (!TEXT[output.name]) {
        const en = output.label.en;
        TEXT[output.name] = { zh: output.label.zh, en: en.charAt(0).toUpperCase() + en.slice(1) };
      }
    }
  }

  async function loadEnums() {
    const answers = await Promise.all(
      ENUMS.map(async (name) => {
        const response = await fetch(`${API}/variable/${name}`, { headers: { Accept: "application/json" } });
        if (!response.ok) throw new Error(`/variable/${name}: HTTP ${response.status}`);
        const body = await response.json();
        const options = Object.entries(body.possibleValues || {}).map(([key, label]) => splitLabel(label, key));
        return [name, { options, defaultValue: body.defaultValue }];
      })
    );
    for (const [name, spec] of answers) enums[name] = spec;
  }

  function pickerFailed(error) {
    const box = $("load-error");
    box.replaceChildren(el("p", { "data-i18n": "err_load", text: t("err_load") }), details(String(error.message || error)));
    box.hidden = false;
  }

  function fillSelect(select, options, { placeholder = false, fallback } = {}) {
    const current = select.value || fallback;
    select.replaceChildren();
    if (placeholder) select.append(el("option", { value: "", text: t("choose") }));
    for (const option of options) select.append(el("option", { value: option.key, text: option[lang] }));
    if (current && [...select.options].some((o) => o.value === current)) select.value = current;
  }

  function fillEnumSelects() {
    picker.render();
    for (const select of document.querySelectorAll("#members select[data-enum]")) {
      const spec = enums[select.dataset.enum];
      if (spec) fillSelect(select, spec.options, { fallback: spec.defaultValue });
    }
    const grades = [0, 1, 2, 3, 4].map((n) => ({ key: String(n), zh: "", en: "" }));
    for (const grade of grades) grade[lang] = grade.key === "0" ? t("grade_0") : t("grade_n", { n: grade.key });
    for (const select of document.querySelectorAll('#members select[data-field="disability_grade"]')) {
      fillSelect(select, grades, { fallback: "0" });
    }
  }

  /* ---------- members ---------- */

  function addMember() {
    memberSerial += 1;
    const node = $("member-template").content.firstElementChild.cloneNode(true);
    const prefix = `m${memberSerial}`;
    for (const input of node.querySelectorAll("[data-field]")) input.id = `${prefix}-${input.dataset.field}`;
    for (const label of node.querySelectorAll("[data-for]")) label.htmlFor = `${prefix}-${label.dataset.for}`;
    // A group named after its heading, so that a screen reader says whose "age" field this is.
    node.querySelector(".member-title").id = `${prefix}-title`;
    node.setAttribute("aria-labelledby", `${prefix}-title`);
    node.querySelector(".remove-member").addEventListener("click", () => removeMember(node));
    $("members").append(node);
    for (const child of node.querySelectorAll("[data-i18n]")) child.textContent = t(child.dataset.i18n);
    fillEnumSelects();
    renumberMembers();
    return node;
  }

  function removeMember(node) {
    const index = [...$("members").children].indexOf(node);
    node.remove();
    renumberMembers();
    const rest = [...$("members").children];
    const next = rest[Math.min(index, rest.length - 1)];
    (next ? next.querySelector('[data-field="name"]') : $("add-member")).focus();
  }

  function renumberMembers() {
    const members = [...$("members").children];
    members.forEach((node, index) => {
      const title = t("member_n", { n: index + 1 });
      node.querySelector(".member-title").textContent = title;
      const remove = node.querySelector(".remove-member");
      remove.textContent = t("remove_member");
      remove.setAttribute("aria-label", t("remove_member_label", { name: title }));
      remove.hidden = members.length === 1;
    });
  }

  /* ---------- the form and the situation ---------- */

  function previousMonth(month) {
    const [year, m] = month.split("-").map(Number);
    return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, "0")}`;
  }

  // Checks the form and reads it into plain values. Labels and messages of errors are functions,
  // so that a language switch re-translates them.
  function readForm() {
    const errors = [];
    const fieldError = (input, label, message) => errors.push({ input, label, message });
    const month = $("month").value.trim();
    const { item: place } = picker.chosen();
    const jurisdiction = place ? place.value : "";
    const area = document.querySelector('input[name="area"]:checked').value;
    if (!jurisdiction) fieldError(picker.select("province"), () => t("jurisdiction"), () => t("err_choose"));
    const monthOk = /^\d{4}-(0[1-9]|1[0-2])$/.test(month);
    if (!monthOk) fieldError($("month"), () => t("month"), () => t("err_month"));

    const memberNodes = [...$("members").children];
    if (!memberNodes.length) fieldError($("add-member"), () => t("members"), () => t("err_no_members"));
    const members = memberNodes.map((node, index) => {
      const who = () => t("member_n", { n: index + 1 });
      const field = (name) => node.querySelector(`[data-field="${name}"]`);
      const inputs = {};
      const ageInput = field("age");
      const age = ageInput.value.trim();
      if (age === "") fieldError(ageInput, () => `${who()} · ${t("age")}`, () => t("err_required"));
      else if (!/^\d+$/.test(age) || Number(age) > 130) {
        fieldError(ageInput, () => `${who()} · ${t("age")}`, () => t("err_range", { min: 0, max: 130 }));
      } else inputs.age = Number(age);
      for (const name of MONEY_INPUTS) {
        const input = field(name);
        const raw = input.value.trim();
        const value = Number(raw);
        if (input.validity.badInput || (raw !== "" && !Number.isFinite(value))) {
          fieldError(input, () => `${who()} · ${t(name)}`, () => t("err_number"));
        } else if (raw !== "" && input.min !== "" && value < Number(input.min)) {
          fieldError(input, () => `${who()} · ${t(name)}`, () => t("err_min", { min: input.min }));
        } else if (raw !== "") inputs[name] = value;
      }
      inputs.disability_grade = Number(field("disability_grade").value || 0);
      for (const name of ["disability_category", "self_care_level", "dibao_class"]) {
        if (field(name).value) inputs[name] = field(name).value;
      }
      for (const name of ["has_able_supporter", "is_employed"]) inputs[name] = field(name).checked;
      return { name: field("name").value.trim(), inputs };
    });

    const householdInputs = {};
    for (const name of ["cpi_yoy", "food_cpi_yoy"]) {
      const input = $(name);
      const raw = input.value.trim();
      if (input.validity.badInput || (raw !== "" && !Number.isFinite(Number(raw)))) {
        fieldError(input, () => t(name), () => t("err_number"));
      } else if (raw !== "" && monthOk) householdInputs[name] = { [previousMonth(month)]: Number(raw) };
    }
    return { month, jurisdiction, place, area, members, householdInputs, memberNodes, errors };
  }

  // Person ids are what the explanation calls each member: the name given, or "成员 n" / "Member n".
  function personIds(form) {
    const seen = new Set();
    return form.members.map((member, index) => {
      let id = (member.name || t("member_n", { n: index + 1 })).replace(/\./g, "·");
      for (let k = 2; seen.has(id); k += 1) id = `${member.name || id} (${k})`;
      seen.add(id);
      return id;
    });
  }

  function situation(form, householdOutputs = [], personOutputs = []) {
    const { month } = form;
    const ids = personIds(form);
    const persons = {};
    form.members.forEach((member, index) => {
      const person = {};
      for (const [name, value] of Object.entries(member.inputs)) person[name] = { [month]: value };
      for (const name of personOutputs) person[name] = { [month]: null };
      persons[ids[index]] = person;
    });
    const household = {
      members: ids,
      jurisdiction: { ETERNITY: form.jurisdiction },
      area: { [month]: form.area },
      ...form.householdInputs,
    };
    for (const name of householdOutputs) household[name] = { [month]: null };
    return { persons, households: { [HOUSEHOLD_ID]: household } };
  }

  /* ---------- talking to the API ---------- */

  class ApiError extends Error {
    constructor(status, body, text) {
      super(`HTTP ${status}`);
      this.status = status;
      this.body = body;
      this.text = text;
    }
  }

  async function postJson(path, payload) {
    let response;
    try {
      response = await fetch(`${API}${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(payload),
      });
    } catch (e) {
      throw new ApiError(0, null, String(e));
    }
    const text = await response.text();
    let body = null;
    try {
      body = JSON.parse(text);
    } catch (e) {
      /* not JSON: keep the text */
    }
    if (!response.ok) throw new ApiError(response.status, body, text);
    return body;
  }

  function errorMessage(error) {
    const body = error.body;
    if (body && typeof body === "object" && typeof body.error === "string") return body.error;
    if (body && typeof body === "object" && typeof body.message === "string") return body.message;
    return (error.text || error.message || "").slice(0, 2000);
  }

  // OpenFisca's situation-parsing errors: the situation's shape with a message at each leaf.
  function isParsingError(error) {
    const body = error.body;
    return error.status === 400 && body && typeof body === "object" && !("error" in body) && Boolean(body.persons || body.households);
  }

  function leafMessages(body, path = []) {
    if (typeof body === "string") return [{ path, message: body }];
    if (!body || typeof body !== "object") return [];
    return Object.entries(body).flatMap(([key, value]) => leafMessages(value, path.concat(key)));
  }

  // A path into the situation (["persons", "成员 1", "age", "2022-08"]) as a label and the form's input.
  function describeField(path, form) {
    const [entity, id, variable] = path;
    const labelOf = (name) => (name && TEXT[name] ? t(name) : name || "");
    if (entity === "persons") {
      const index = personIds(form).indexOf(id);
      const node = form.memberNodes[index];
      const who = index >= 0 ? t("member_n", { n: index + 1 }) : id;
      const input = node && variable ? node.querySelector(`[data-field="${variable}"]`) : null;
      return { label: variable ? `${who} · ${labelOf(variable)}` : who, input };
    }
    const input =
      variable === "jurisdiction" ? picker.chosen().select : variable ? $(variable) || document.querySelector(`[name="${variable}"]`) : null;
    return { label: variable ? `${t("field_household")} · ${labelOf(variable)}` : t("field_household"), input };
  }

  // Each output's values, or why it could not be computed. One request for everything; when the service
  // refuses because an output needs a figure no source gives, ask output by output so the rest still shows.
  async function calculate(form) {
    const all = HOUSEHOLD_OUTPUTS.concat(PERSON_OUTPUTS).map(([name]) => name);
    const ids = personIds(form);
    const read = (answer, names) => {
      const values = {};
      for (const name of names) {
        values[name] = IS_HOUSEHOLD_OUTPUT.has(name)
          ? answer.households[HOUSEHOLD_ID][name][form.month]
          : ids.map((id) => answer.persons[id][name][form.month]);
      }
      return values;
    };
    const ask = (names) => postJson(
      "/calculate",
      situation(form, names.filter((n) => IS_HOUSEHOLD_OUTPUT.has(n)), names.filter((n) => !IS_HOUSEHOLD_OUTPUT.has(n)))
    );
    try {
      return { values: read(await ask(all), all), missing: {} };
    } catch (error) {
      if (error.status !== 422 && error.status !== 500) throw error;
    }
    const values = {};
    const missing = {};
    const failures = [];
    await Promise.all(
      all.map(async (name) => {
        try {
          Object.assign(values, read(await ask([name]), [name]));
        } catch (error) {
          if (error.status === 422 || error.status === 500) {
            missing[name] = { status: error.status, message: errorMessage(error), parameter: error.body && error.body.parameter, date: error.body && error.body.date };
          } else failures.push(error);
        }
      })
    );
    if (failures.length) throw failures[0];
    const reasons = Object.values(missing);
    if (!Object.keys(values).length && reasons.every((m) => m.status === 500)) {
      throw new ApiError(500, { error: reasons[0].message }, reasons[0].message);
    }
    return { values, missing };
  }

  /* ---------- results ---------- */

  function formatMoney(value) {
    return new Intl.NumberFormat(lang === "zh" ? "zh-CN" : "en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
  }

  // Plain words for why an output is missing; the service's own message stays under "Details".
  function reasonKey(missing) {
    if (/cpi_yoy/.test(missing.message)) return "needs_price_indices";
    if (missing.status === 422 || /No value of parameter/i.test(missing.message)) return "no_source_short";
    return "err_server";
  }

  function details(text) {
    return el("details", {}, el("summary", { text: t("details") }), el("span", { lang: "en", text }));
  }

  function valueCell(name, unit, value, missing) {
    const td = el("td", { "data-var": name });
    if (missing) {
      td.className = "not-computed";
      td.dataset.notComputed = "true";
      td.append(el("span", { text: t("not_computed") }), el("div", { class: "reason", text: t(reasonKey(missing)) }), details(missing.message));
      return td;
    }
    td.dataset.value = String(value);
    if (typeof value === "boolean") {
      td.className = value ? "yes" : "no";
      td.textContent = value ? t("yes") : t("no");
    } else if (unit === "persons_unit") td.textContent = `${value} ${t(value === 1 ? "person_unit" : unit)}`;
    else td.textContent = unit ? `${formatMoney(value)} ${t(unit)}` : String(value);
    return td;
  }

  // What a parameter is, in words (its description "中文 / English"), fetched once from /parameter/<path>.
  const parameterLabels = {};
  function parameterLabel(path) {
    if (!(path in parameterLabels)) {
      parameterLabels[path] = null;
      fetch(`${API}/parameter/${path.split(".").map(encodeURIComponent).join("/")}`, { headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : null))
        .then((body) => {
          if (!body || !body.description) return;
          const label = splitLabel(body.description, path);
          if (body.metadata && body.metadata.label_en) label.en = body.metadata.label_en;
          parameterLabels[path] = label;
          for (const item of document.querySelectorAll("li[data-parameter]")) {
            if (item.dataset.parameter === path) describeParameter(item);
          }
        })
        .catch(() => {});
    }
    return parameterLabels[path] ? parameterLabels[path][lang] : null;
  }

  function describeParameter(item) {
    const { parameter, date } = item.dataset;
    const label = parameterLabel(parameter);
    item.textContent = label ? t("missing_parameter", { label, parameter, date }) : `${parameter} (${date})`;
  }

  function placeName(form) {
    return form.place ? form.place[lang] : form.jurisdiction;
  }

  function renderResult(result) {
    const { values, missing, form } = result;
    const body = $("results-body");
    body.replaceChildren(el("p", { class: "context", text: t("results_for", { place: placeName(form), month: form.month, area: t(form.area) }) }));

    const parameters = [...new Map(
      Object.values(missing).filter((m) => m.parameter).map((m) => [`${m.parameter}@${m.date}`, m])
    ).values()];
    if (Object.keys(missing).length) {
      const notice = el("div", { class: "notice notice-warn", id: "not-computed-notice" }, el("p", { text: t("some_not_computed") }));
      const list = el("ul");
      for (const m of parameters) {
        const item = el("li", { "data-parameter": m.parameter, "data-date": m.date });
        list.append(item);
        describeParameter(item);
      }
      if (!parameters.length) for (const m of new Set(Object.values(missing).map((x) => t(reasonKey(x))))) list.append(el("li", { text: m }));
      notice.append(list, el("p", { text: t("see_explanation") }));
      body.append(notice);
    }

    const table = el("table", { class: "summary", id: "household-results" }, el("caption", { text: t("household_results") }));
    const rows = el("tbody");
    for (const [name, unit] of HOUSEHOLD_OUTPUTS) {
      const row = el("tr", { class: TOTAL_OUTPUTS.has(name) ? "total" : null, "data-row": name });
      row.append(el("th", { scope: "row", text: t(name) }), valueCell(name, unit, values[name], missing[name]));
      rows.append(row);
    }
    table.append(rows);
    body.append(table, el("h3", { text: t("person_results") }));

    const persons = el("div", { class: "persons" });
    personIds(form).forEach((id, index) => {
      const card = el("table", { class: "summary person-results", "data-person": String(index + 1) }, el("caption", { text: id }));
      const personRows = el("tbody");
      for (const [name, unit] of PERSON_OUTPUTS) {
        const row = el("tr", { "data-row": name });
        row.append(el("th", { scope: "row", text: t(name) }), valueCell(name, unit, values[name] && values[name][index], missing[name]));
        personRows.append(row);
      }
      card.append(personRows);
      persons.append(card);
    });
    body.append(persons);
    $("results").hidden = false;
  }

  /* ---------- errors ---------- */

  function clearFieldErrors() {
    for (const node of document.querySelectorAll('[aria-invalid="true"]')) {
      node.removeAttribute("aria-invalid");
      node.removeAttribute("aria-errormessage");
    }
  }

  // errors: {lead: text key, items: [{label, message, input}], detail}; label and message may be functions.
  function showFormErrors(errors) {
    lastFormErrors = errors;
    clearFieldErrors();
    const box = $("form-error");
    box.replaceChildren(el("p", { text: t(errors.lead) }));
    const value = (x) => (typeof x === "function" ? x() : x);
    if (errors.items && errors.items.length) {
      const list = el("ul");
      for (const item of errors.items) {
        list.append(el("li", { text: `${value(item.label)}${lang === "zh" ? "：" : ": "}${value(item.message)}` }));
        if (item.input) {
          item.input.setAttribute("aria-invalid", "true");
          item.input.setAttribute("aria-errormessage", "form-error");
        }
      }
      box.append(list);
    }
    if (errors.detail) box.append(details(errors.detail));
    box.hidden = false;
  }

  function hideFormErrors() {
    lastFormErrors = null;
    clearFieldErrors();
    $("form-error").hidden = true;
  }

  // An answer of the service that gave no result, in plain words, with the fields it names marked.
  function apiErrorToForm(error, form) {
    if (error.status === 0) return { lead: "err_network", detail: error.text };
    if (isParsingError(error)) {
      const items = leafMessages(error.body).map(({ path, message }) => ({
        label: () => describeField(path, form).label,
        message,
        input: describeField(path, form).input,
      }));
      return { lead: "err_api_input", items };
    }
    const message = errorMessage(error);
    if (error.status >= 400 && error.status < 500) {
      // cn-assist serve: {"error", "field": "persons.<id>.age.2022-08"}; or an input the rules cannot use,
      // "age: person rows 0, 2 have [-3, …] …", naming the variable and the rows.
      const field = error.body && typeof error.body.field === "string" ? error.body.field.replace(/^situation\./, "") : null;
      if (field && /^(persons|households)\./.test(field)) {
        const path = field.split(".");
        return { lead: "err_api_input", items: [{ label: () => describeField(path, form).label, message, input: describeField(path, form).input }] };
      }
      const rows = /^([a-z_]+): (person|household) rows ([\d, ]+)/.exec(message);
      if (rows) {
        const indexes = rows[3].split(",").map((r) => Number(r.trim()));
        const ids = personIds(form);
        const items = indexes.map((index) => {
          const path = rows[2] === "person" ? ["persons", ids[index], rows[1]] : ["households", HOUSEHOLD_ID, rows[1]];
          return { label: () => describeField(path, form).label, message, input: describeField(path, form).input };
        });
        return { lead: "err_api_input", items };
      }
      return { lead: error.status === 422 ? "no_source" : "err_api_input", items: [{ label: () => t("field_household"), message }] };
    }
    return { lead: "err_server", detail: `HTTP ${error.status}: ${message}` };
  }

  /* ---------- explanation ---------- */

  async function explain(form) {
    const request = ++explainRequest;
    const asked = lang;
    $("explanation").hidden = false;
    $("explanation-body").replaceChildren(el("p", { class: "help", text: t("explanation_loading") }));
    let state;
    try {
      const body = await postJson("/explain", { situation: situation(form), period: form.month, lang: asked });
      state = { form, lang: asked, body };
    } catch (error) {
      state = { form, lang: asked, error };
    }
    if (request !== explainRequest) return; // a newer request (another calculation or language) wins
    lastExplanation = state;
    renderExplanation(state);
    count("explanations");
  }

  // Counters on <body> (data-submissions, data-explanations) tell a test that an answer has been shown.
  function count(name) {
    document.body.dataset[name] = String(Number(document.body.dataset[name] || 0) + 1);
  }

  function renderExplanation(state) {
    const target = $("explanation-body");
    target.replaceChildren();
    target.lang = state.lang === "zh" ? "zh-CN" : "en";
    if (state.error) {
      const error = state.error;
      if (error.status === 404 || error.status === 405 || error.status === 501) {
        target.append(el("p", { class: "help", text: t("explanation_unavailable") }));
      } else if (error.status === 0) {
        target.append(el("p", { text: t("err_network") }));
      } else {
        target.append(el("p", { text: t("explanation_failed") }), details(`HTTP ${error.status}: ${errorMessage(error)}`));
      }
      return;
    }
    const households = (state.body && state.body.households) || [];
    if (!households.length && state.body && typeof state.body.text === "string") {
      target.append(el("pre", { class: "explanation-text", text: state.body.text }));
      return;
    }
    for (const account of households) {
      const block = el("div", { class: "explanation-household" });
      block.append(el("p", { class: "explanation-header", text: account.header }));
      block.append(el("h3", { text: t("verdicts") }));
      const verdicts = el("ul", { class: "verdicts" });
      for (const verdict of account.verdicts || []) {
        verdicts.append(el("li", { class: `verdict status-${verdict.status}`, "data-programme": verdict.programme, text: verdict.text }));
      }
      block.append(verdicts);
      const steps = el("details", { class: "steps", open: true }, el("summary", { text: t("steps") }));
      for (const section of account.sections || []) {
        if (!section.lines || !section.lines.length) continue;
        steps.append(el("h4", { text: section.title }));
        const lines = el("ul", { class: "lines" });
        for (const line of section.lines) {
          lines.append(el("li", { class: `line kind-${line.kind} level-${Math.min(line.level || 1, 4)}`, text: line.text }));
        }
        steps.append(lines);
      }
      block.append(steps);
      target.append(block);
    }
  }

  /* ---------- submit ---------- */

  async function onSubmit(event) {
    event.preventDefault();
    const form = readForm();
    if (form.errors.length) {
      showFormErrors({ lead: "err_fix_fields", items: form.errors });
      form.errors[0].input.focus();
      count("submissions");
      return;
    }
    hideFormErrors();
    const button = $("calculate");
    button.disabled = true;
    button.textContent = t("calculating");
    $("results").setAttribute("aria-busy", "true");
    try {
      lastResult = { ...(await calculate(form)), form };
      renderResult(lastResult);
      $("results-heading").focus();
      explain(form);
    } catch (error) {
      lastResult = null;
      explainRequest += 1;
      $("results").hidden = true;
      $("explanation").hidden = true;
      showFormErrors(apiErrorToForm(error, form));
      const invalid = document.querySelector('[aria-invalid="true"]');
      (invalid || $("form-error")).focus();
      $("form-error").scrollIntoView({ block: "nearest" });
    } finally {
      button.disabled = false;
      button.textContent = t("calculate");
      $("results").removeAttribute("aria-busy");
      count("submissions");
    }
  }

  async function start() {
    $("lang-toggle").addEventListener("click", () => setLanguage(lang === "zh" ? "en" : "zh"));
    $("add-member").addEventListener("click", () => addMember().querySelector('[data-field="name"]').focus());
    $("calculator").addEventListener("submit", onSubmit);
    picker.listen();
    const now = new Date();
    $("month").value = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}`;
    applyLanguage();
    try {
      await Promise.all([loadOutputs(), loadEnums(), picker.refresh(0)]);
    } catch (error) {
      const box = $("load-error");
      box.replaceChildren(el("p", { "data-i18n": "err_load", text: t("err_load") }), details(String(error.message || error)));
      box.hidden = false;
    }
    addMember();
    applyLanguage();
    document.body.dataset.ready = "true";
  }

  window.cnAssistCalculator = { setLanguage }; // for the console
  start();
})();
