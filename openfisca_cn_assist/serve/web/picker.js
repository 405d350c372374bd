/* The calculator page's jurisdiction picker: province → prefecture → county, each level listing the divisions
   in force at the chosen month, read from GET /jurisdictions (the national register, 6,800 divisions: never
   loaded whole). app.js creates it with its helpers and reads the chosen division from it. */
"use strict";

window.cnAssistPicker = function ({ API, $, el, t, lang: currentLang, failed }) {
  const LEVELS = ["province", "prefecture", "county"];
  const pickerAnswers = new Map(); // URL → promise of divisions
  let pickerSerial = 0;
  const levelSelect = (level) => $(`jurisdiction-${level}`);

  async function divisions(query) {
    const url = `${API}/jurisdictions?${new URLSearchParams({ ...query, limit: "1000" })}`;
    if (!pickerAnswers.has(url)) {
      const answer = fetch(url, { headers: { Accept: "application/json" } }).then(async (response) => {
        if (!response.ok) throw new Error(`/jurisdictions: HTTP ${response.status}`);
        // A project key (mengla) where there is one, else the code: the service accepts both.
        return (await response.json()).jurisdictions.map((d) => ({
          value: /^[a-z]/.test(d.key) ? d.key : d.code,
          code: d.code,
          level: d.level,
          zh: d.name,
          en: d.name_en || d.name,
        }));
      });
      pickerAnswers.set(url, answer);
      answer.catch(() => pickerAnswers.delete(url)); // asked again next time
    }
    return pickerAnswers.get(url);
  }

  function pickerDate() {
    const month = $("month").value.trim();
    return /^\d{4}-(0[1-9]|1[0-2])$/.test(month) ? `${month}-01` : new Date().toISOString().slice(0, 10);
  }

  const selectedItem = (select) => (select.items ? select.items.get(select.value) : undefined);

  // The deepest level chosen: what the household's jurisdiction is.
  function chosenDivision() {
    for (const level of [...LEVELS].reverse()) {
      const item = selectedItem(levelSelect(level));
      if (item) return { item, select: levelSelect(level) };
    }
    return { item: null, select: levelSelect("province") };
  }

  function renderLevel(select) {
    const items = [...(select.items || new Map()).values()];
    const current = select.value;
    const first = select.dataset.level === "province" ? t(items.length ? "choose" : "loading") : t("whole_level");
    select.replaceChildren(el("option", { value: "", text: first }));
    const option = (d) => el("option", { value: d.value, "data-code": d.code, text: d[currentLang()] });
    // A province's children are prefectures, and sometimes counties directly under it (北京 has only those).
    const direct = select.dataset.level === "prefecture" ? items.filter((d) => d.level === "county") : [];
    for (const d of items) if (!direct.includes(d)) select.append(option(d));
    if (direct.length) select.append(el("optgroup", { label: t("under_province") }, ...direct.map(option)));
    select.disabled = select.dataset.level !== "province" && !items.length;
    if (current && select.items && select.items.has(current)) select.value = current;
  }

  function setItems(select, items) {
    select.items = new Map(items.map((d) => [d.value, d]));
    renderLevel(select);
    const found = items.find((d) => d.code === select.dataset.want);
    select.value = found ? found.value : "";
    if (!found) select.dataset.want = "";
  }

  function showChosen() {
    const { item } = chosenDivision();
    $("jurisdiction-chosen").textContent = item ? t("chosen_division", { name: item[currentLang()], code: item.code }) : "";
  }

  // Refills the levels from ``from`` down, for the month's date; keeps each level's choice where its code is
  // still in force. A newer refresh supersedes an older one still waiting for the service.
  async function refreshPicker(from) {
    const serial = ++pickerSerial;
    const date = pickerDate();
    document.body.dataset.pickerBusy = "true";
    try {
      for (let i = from; i < LEVELS.length; i += 1) {
        const parent = i ? selectedItem(levelSelect(LEVELS[i - 1])) : null;
        let items = [];
        if (!i) items = await divisions({ level: "province", date });
        else if (parent && parent.level !== "county") items = await divisions({ parent: parent.code, date });
        if (serial !== pickerSerial) return;
        setItems(levelSelect(LEVELS[i]), items);
      }
    } finally {
      if (serial === pickerSerial) {
        delete document.body.dataset.pickerBusy;
        showChosen();
      }
    }
  }

  function onLevelChange(index) {
    const item = selectedItem(levelSelect(LEVELS[index]));
    levelSelect(LEVELS[index]).dataset.want = item ? item.code : "";
    for (const level of LEVELS.slice(index + 1)) levelSelect(level).dataset.want = "";
    showChosen();
    refreshPicker(index + 1).catch(failed);
  }

  function listen() {
    LEVELS.forEach((level, index) => levelSelect(level).addEventListener("change", () => onLevelChange(index)));
    $("month").addEventListener("change", () => refreshPicker(0).catch(failed));
  }

  function render() {
    for (const level of LEVELS) renderLevel(levelSelect(level));
    showChosen();
  }

  return { listen, render, refresh: refreshPicker, chosen: chosenDivision, select: levelSelect };
};
