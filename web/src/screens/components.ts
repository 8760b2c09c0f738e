// A service's component, as its commissioner's administrators set it up: how
// it is paid (per unit, a retainer, or participation only), the evidence it
// needs, the questions practices answer, prices for particular practices,
// and — once it exists — a change from a date, which becomes a new version
// while claims for earlier periods keep the version they were made under.

import * as api from "../api";
import { replaceAddress } from "../address";
import { oneRequest, Problem } from "../api";
import { date, fileSize, money, pence } from "../format";
import { errorSummary, fieldId, focusSummary, input, onSubmit, radios, select, textarea } from "../forms";
import { html, Html } from "../html";
import { page } from "../layout";
import { navigate } from "../navigation";
import { Component, Payment, paymentInWords, Question, Service, Version } from "./services";

/** File types a commissioner may ask for, as the evidence check knows them. */
const FILE_TYPES: Array<{ extension: string; contentType: string; label: string }> = [
  { extension: "pdf", contentType: "application/pdf", label: "PDF" },
  { extension: "jpg", contentType: "image/jpeg", label: "JPEG image" },
  { extension: "png", contentType: "image/png", label: "PNG image" },
  { extension: "docx", contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", label: "Word document" },
  { extension: "xlsx", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", label: "Excel workbook" },
  { extension: "csv", contentType: "text/csv", label: "CSV" },
];

const ANSWER_TYPES: Array<[string, string]> = [["yes_no", "Yes or No"], ["short_text", "Short text"], ["number", "A number"],
  ["date", "A date"], ["single_choice", "One of a list"]];

/** Question slots on the form: those the component has, and room for more. */
const SPARE_QUESTIONS = 2;

type Entered = Record<string, string>;

function checkbox(name: string, label: string, checked: boolean, hint = ""): Html {
  const id = fieldId(`/${name}`);
  return html`<div class="nhsuk-checkboxes__item">
    <input class="nhsuk-checkboxes__input" id="${id}" name="${id}" type="checkbox" value="yes" ${checked ? "checked" : ""}
      ${hint ? html`aria-describedby="${id}-hint"` : ""}>
    <label class="nhsuk-label nhsuk-checkboxes__label" for="${id}">${label}</label>
    ${hint ? html`<div class="nhsuk-hint nhsuk-checkboxes__hint" id="${id}-hint">${hint}</div>` : ""}
  </div>`;
}

/** What the form shows at first: the version in force (or the latest), as entered values. */
function enteredFrom(version: Version | null): Entered {
  if (!version) return { "payment-type": "per_unit", "evidence-maxMegabytes": "10", "evidence-requiredFromUnits": "1" };
  const p = version.payment;
  const e = version.evidence;
  const entered: Entered = {
    name: version.name, description: version.description ?? "", "payment-type": p.type,
    "payment-unitPrice": p.unitPrice ?? "", "payment-unitLabel": p.unitLabel ?? "", "payment-maxUnits": p.maxUnits ? String(p.maxUnits) : "",
    "payment-amount": p.amount ?? "", "payment-information": p.information ?? "",
    "evidence-required": e ? "yes" : "", "evidence-requiredFromUnits": String(e?.requiredFromUnits ?? 1),
    "evidence-guidance": e?.guidance ?? "", "evidence-maxMegabytes": String((e?.maxBytes ?? 10 * 1024 * 1024) / 1024 / 1024),
    tariffs: (version.tariffs ?? []).map((t) => `${t.provider}, ${t.price}`).join("\n"),
  };
  for (const type of FILE_TYPES) if (e?.accepted.some((a) => a.extension === type.extension)) entered[`evidence-accepted-${type.extension}`] = "yes";
  (version.questions ?? []).forEach((q, i) => {
    entered[`questions-${i}-id`] = q.id ?? "";
    entered[`questions-${i}-text`] = q.text;
    entered[`questions-${i}-answer-type`] = q.answer.type;
    entered[`questions-${i}-required`] = q.required === false ? "" : "yes";
    entered[`questions-${i}-answer-mustBeYes`] = q.answer.mustBeYes ? "yes" : "";
    entered[`questions-${i}-answer-maxLength`] = q.answer.maxLength ? String(q.answer.maxLength) : "";
    entered[`questions-${i}-answer-min`] = q.answer.min == null ? "" : String(q.answer.min);
    entered[`questions-${i}-answer-max`] = q.answer.max == null ? "" : String(q.answer.max);
    entered[`questions-${i}-answer-options`] = (q.answer.options ?? []).join("\n");
  });
  return entered;
}

function questionSlot(i: number, entered: Entered, problem: Problem | null): Html {
  const at = (field: string) => `/questions/${i}/${field}`;
  const type = entered[`questions-${i}-answer-type`] ?? "yes_no";
  const shows = (wanted: string) => (type === wanted ? "" : "hidden");
  return html`<fieldset class="nhsuk-fieldset lc-question" data-question="${i}">
    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Question ${i + 1}</legend>
    <input type="hidden" name="${fieldId(at("id"))}" value="${entered[`questions-${i}-id`] ?? ""}">
    ${input({ pointer: at("text"), label: "Question", value: entered[`questions-${i}-text`] ?? "", hint: i === 0 ? "Leave blank for no question" : "" }, problem)}
    ${select(at("answer/type"), "Answer", ANSWER_TYPES, type, problem)}
    <div class="nhsuk-checkboxes nhsuk-checkboxes--small">
      ${checkbox(`questions/${i}/required`, "Practices must answer it",
        entered[`questions-${i}-text`] === undefined || entered[`questions-${i}-required`] === "yes")}
      <div data-for="yes_no" ${shows("yes_no")}>${checkbox(`questions/${i}/answer/mustBeYes`, "The answer must be Yes to submit",
        entered[`questions-${i}-answer-mustBeYes`] === "yes", "For a declaration, such as a qualified member of staff giving every injection")}</div>
    </div>
    <div data-for="short_text" ${shows("short_text")}>${input({ pointer: at("answer/maxLength"), label: "Longest answer, in characters",
      value: entered[`questions-${i}-answer-maxLength`] || "200", width: "nhsuk-input--width-4" }, problem)}</div>
    <div data-for="number" ${shows("number")}>
      ${input({ pointer: at("answer/min"), label: "Smallest number (optional)", value: entered[`questions-${i}-answer-min`] ?? "", width: "nhsuk-input--width-5" }, problem)}
      ${input({ pointer: at("answer/max"), label: "Largest number (optional)", value: entered[`questions-${i}-answer-max`] ?? "", width: "nhsuk-input--width-5" }, problem)}
    </div>
    <div data-for="single_choice" ${shows("single_choice")}>${textarea(at("answer/options"), "Choices, one on each line",
      entered[`questions-${i}-answer-options`] ?? "", problem)}</div>
  </fieldset>`;
}

function paymentFields(entered: Entered, problem: Problem | null): Html {
  const type = entered["payment-type"] ?? "per_unit";
  return html`${radios("/payment/type", "How is it paid?", [
    { value: "per_unit", label: "Per unit", hint: "A price for each unit claimed, such as a care plan" },
    { value: "retainer", label: "As a retainer", hint: "A fixed amount each period to practices that take part" },
    { value: "participation_only", label: "Participation only", hint: "Recorded, not paid" }], type, problem)}
    <div data-payment="per_unit" ${type === "per_unit" ? "" : "hidden"}>
      ${input({ pointer: "/payment/unitPrice", label: "Price per unit, in pounds", hint: "For example, 193.42", value: entered["payment-unitPrice"] ?? "", width: "nhsuk-input--width-10" }, problem)}
      ${input({ pointer: "/payment/unitLabel", label: "What a unit is", hint: "For example, Care plan", value: entered["payment-unitLabel"] ?? "", width: "nhsuk-u-width-one-half" }, problem)}
      ${input({ pointer: "/payment/maxUnits", label: "Most units a practice may claim in a period (optional)", value: entered["payment-maxUnits"] ?? "", width: "nhsuk-input--width-5" }, problem)}
    </div>
    <div data-payment="retainer" ${type === "retainer" ? "" : "hidden"}>
      ${input({ pointer: "/payment/amount", label: "Retainer, in pounds", hint: "For example, 250.00", value: entered["payment-amount"] ?? "", width: "nhsuk-input--width-10" }, problem)}
      ${textarea("/payment/information", "Information for practices", entered["payment-information"] ?? "", problem, "What the retainer is for and when it is paid")}
    </div>`;
}

function evidenceFields(entered: Entered, problem: Problem | null): Html {
  const needed = entered["evidence-required"] === "yes";
  return html`<h2>Evidence</h2>
    <div class="nhsuk-checkboxes">${checkbox("evidence/required", "Claims need evidence attached", needed)}</div>
    <div id="evidence-rule" ${needed ? "" : "hidden"}>
      ${input({ pointer: "/evidence/requiredFromUnits", label: "Needed from how many units", hint: "A claim of this many units or more needs a file", value: entered["evidence-requiredFromUnits"] ?? "1", width: "nhsuk-input--width-4" }, problem)}
      <div class="nhsuk-form-group">
        <fieldset class="nhsuk-fieldset" id="${fieldId("/evidence/accepted")}">
          <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Files accepted</legend>
          ${errorSummaryLine(problem, "/evidence/accepted")}
          <div class="nhsuk-checkboxes nhsuk-checkboxes--small">
            ${FILE_TYPES.map((t) => checkbox(`evidence/accepted/${t.extension}`, t.label, entered[`evidence-accepted-${t.extension}`] === "yes"))}
          </div>
        </fieldset>
      </div>
      ${input({ pointer: "/evidence/maxMegabytes", label: "Largest file, in MB", hint: "Up to 25", value: entered["evidence-maxMegabytes"] ?? "10", width: "nhsuk-input--width-4" }, problem)}
      ${textarea("/evidence/guidance", "Guidance for practices", entered["evidence-guidance"] ?? "", problem, "What the file should show. Never ask for patient-identifiable data.")}
    </div>`;
}

function errorSummaryLine(problem: Problem | null, pointer: string): Html {
  const found = problem?.errors.filter((e) => e.pointer.startsWith(pointer)).map((e) => e.detail) ?? [];
  return found.length ? html`<span class="nhsuk-error-message"><span class="nhsuk-u-visually-hidden">Error:</span> ${found.join(". ")}</span>` : html``;
}

/** The form's values as the API's component definition; question slots left blank are not sent. */
function definitionFrom(form: Entered, slots: number): { body: Record<string, unknown>; questionSlots: number[] } {
  const type = form["payment-type"] ?? "per_unit";
  const payment = type === "per_unit"
    ? { type, unitPrice: form["payment-unitPrice"] ?? "", unitLabel: form["payment-unitLabel"] ?? "",
      ...(form["payment-maxUnits"] ? { maxUnits: Number(form["payment-maxUnits"]) } : {}) }
    : type === "retainer" ? { type, amount: form["payment-amount"] ?? "", information: form["payment-information"] ?? "" } : { type };
  const evidence = form["evidence-required"] === "yes" ? {
    requiredFromUnits: Number(form["evidence-requiredFromUnits"] || 1),
    guidance: form["evidence-guidance"] ?? "",
    accepted: FILE_TYPES.filter((t) => form[`evidence-accepted-${t.extension}`] === "yes").map(({ extension, contentType }) => ({ extension, contentType })),
    maxBytes: Math.round(Number(form["evidence-maxMegabytes"] || 10) * 1024 * 1024),
  } : undefined;
  const questionSlots: number[] = [];
  const questions: Question[] = [];
  for (let i = 0; i < slots; i++) {
    const text = form[`questions-${i}-text`] ?? "";
    if (!text) continue;
    const answerType = form[`questions-${i}-answer-type`] ?? "yes_no";
    const answer: Question["answer"] = { type: answerType };
    if (answerType === "yes_no") answer.mustBeYes = form[`questions-${i}-answer-mustBeYes`] === "yes";
    if (answerType === "short_text") answer.maxLength = Number(form[`questions-${i}-answer-maxLength`] || 200);
    if (answerType === "number") {
      if (form[`questions-${i}-answer-min`]) answer.min = Number(form[`questions-${i}-answer-min`]);
      if (form[`questions-${i}-answer-max`]) answer.max = Number(form[`questions-${i}-answer-max`]);
    }
    if (answerType === "single_choice") answer.options = (form[`questions-${i}-answer-options`] ?? "").split("\n").map((o) => o.trim()).filter(Boolean);
    questions.push({ ...(form[`questions-${i}-id`] ? { id: form[`questions-${i}-id`] } : {}), text, required: form[`questions-${i}-required`] === "yes", answer });
    questionSlots.push(i);
  }
  const tariffs = (form["tariffs"] ?? "").split("\n").map((l) => l.trim()).filter(Boolean).map((l) => {
    const [provider = "", price = ""] = l.split(/[,\s]+/);
    return { provider: provider.toUpperCase(), price };
  });
  return {
    body: { name: form["name"] ?? "", description: form["description"] ?? "", payment,
      ...(evidence ? { evidence } : {}), questions, tariffs, ...(form["effectiveFrom"] ? { effectiveFrom: form["effectiveFrom"] } : {}) },
    questionSlots,
  };
}

/** The API's pointers into the sent questions (only the filled slots), as the form's slots. */
function onTheForm(problem: Problem, questionSlots: number[]): Problem {
  const errors = problem.errors.map((e) => {
    const question = /^\/questions\/(\d+)(\/.*)$/.exec(e.pointer);
    if (question) return { ...e, pointer: `/questions/${questionSlots[Number(question[1])] ?? question[1]}${question[2]}` };
    const tariff = /^\/tariffs\/(\d+)/.exec(e.pointer);
    if (tariff) return { pointer: "/tariffs", detail: `Line ${Number(tariff[1]) + 1}: ${e.detail}` };
    if (e.pointer === "/evidence/maxBytes") return { ...e, pointer: "/evidence/maxMegabytes" };
    return e;
  });
  return new Problem(problem.status, problem.type, problem.title, problem.detail, errors);
}

/** The steps of adding or changing a component, one thing on each page, then a check of the whole. */
const STEPS = ["payment", "evidence", "questions", "prices", "check"] as const;
export type Step = typeof STEPS[number];

/** Which step holds the fields under each of the API's pointers. */
function stepOf(pointer: string): Step {
  if (pointer.startsWith("/evidence")) return "evidence";
  if (pointer.startsWith("/questions")) return "questions";
  if (pointer.startsWith("/tariffs")) return "prices";
  return "payment";
}

/** Which of the entered values each step's form holds (a step's form replaces them all, ticked or not). */
function ownedBy(step: Step, key: string): boolean {
  switch (step) {
    case "payment": return ["name", "description", "effectiveFrom"].includes(key) || key.startsWith("payment-");
    case "evidence": return key.startsWith("evidence-");
    case "questions": return key.startsWith("questions-");
    case "prices": return key === "tariffs";
    default: return false;
  }
}

/** The component being added or changed, kept while its steps are filled in. */
let draft: { key: string; entered: Entered; slots: number; questionSlots: number[] } | null = null;

function startDraft(serviceId: string, componentId: string, version: Version | null): void {
  const entered = enteredFrom(version);
  draft = { key: `${serviceId}/${componentId}`, entered, slots: (version?.questions?.length ?? 0) + SPARE_QUESTIONS, questionSlots: [] };
}

/** A component: its versions, and for an administrator the way to change it from a date. */
export async function componentPage(serviceId: string, componentId: string): Promise<void> {
  if (componentId === "new") {
    // A new component starts afresh at its first step (Back then leaves the steps, not returns here).
    startDraft(serviceId, componentId, null);
    replaceAddress(`/services/${serviceId}/components/new/payment`);
    await componentStep(serviceId, componentId, "payment");
    return;
  }
  const [service, component] = await Promise.all([
    api.get("/services/{id}", { path: { id: serviceId } }) as Promise<Service>,
    api.get("/services/{id}/components/{componentId}", { path: { id: serviceId, componentId } }) as Promise<Component>,
  ]);
  const versions = component.versions ?? [];
  const current = component.inForce;
  page(component.name, html`
    <span class="nhsuk-caption-l">${service.name}, ${service.financialYear}</span>
    <h1>${component.name}</h1>
    <h2>Versions</h2>
    <table class="nhsuk-table">
      <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Versions of ${component.name}</caption>
      <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
        <th scope="col" class="nhsuk-table__header">Version</th><th scope="col" class="nhsuk-table__header">In force from</th>
        <th scope="col" class="nhsuk-table__header">Payment</th><th scope="col" class="nhsuk-table__header">Practice prices</th></tr></thead>
      <tbody class="nhsuk-table__body">
        ${versions.map((v) => html`<tr class="nhsuk-table__row">
          <td class="nhsuk-table__cell">${v.version}${current?.version === v.version ? html` <strong class="nhsuk-tag nhsuk-tag--green">In force</strong>` : ""}</td>
          <td class="nhsuk-table__cell">${date(v.effectiveFrom)}</td>
          <td class="nhsuk-table__cell">${paymentInWords(v.payment)}</td>
          <td class="nhsuk-table__cell">${(v.tariffs ?? []).map((t) => html`${t.provider}: ${money(pence(t.price))}<br>`)}</td>
        </tr>`)}
      </tbody>
    </table>
    ${current ? html`<dl class="nhsuk-summary-list">${summaryOf(enteredFrom(current), (current.questions?.length ?? 0), false, "")}</dl>` : ""}
    ${service.administrator ? html`<h2>Change from a date</h2>
      <p>A change is a new version from the day you choose. Claims for earlier periods keep the version they were made under.</p>
      <p><button class="nhsuk-button nhsuk-button--secondary" type="button" id="change-component">Change from a date</button></p>` : ""}
    <p><a href="/services/${serviceId}">Back to ${service.name}</a></p>`, { wide: true });
  document.getElementById("change-component")?.addEventListener("click", () => {
    startDraft(serviceId, componentId, versions[versions.length - 1] ?? current);
    navigate(`/services/${serviceId}/components/${componentId}/payment`);
  });
}

const TITLES: Record<Step, string> = {
  payment: "What is paid", evidence: "Does a claim need evidence?", questions: "What must practices answer?",
  prices: "Prices for particular practices", check: "Check the component",
};

/** One step of adding or changing a component, at its own address. */
export async function componentStep(serviceId: string, componentId: string, step: Step, problem: Problem | null = null): Promise<void> {
  const creating = componentId === "new";
  const key = `${serviceId}/${componentId}`;
  const [service, component] = await Promise.all([
    api.get("/services/{id}", { path: { id: serviceId } }) as Promise<Service>,
    creating || draft?.key === key ? Promise.resolve(null)
      : api.get("/services/{id}/components/{componentId}", { path: { id: serviceId, componentId } }) as Promise<Component>,
  ]);
  // A reload part way starts again from what is stored.
  if (draft?.key !== key) startDraft(serviceId, componentId, component ? (component.versions ?? []).slice(-1)[0] ?? component.inForce : null);
  const current = draft!;
  const entered = current.entered;
  const number = STEPS.indexOf(step) + 1;
  const returning = new URLSearchParams(location.search).get("back") === "check";
  const next = returning ? "check" : STEPS[number];
  const title = TITLES[step];
  const fields: Html = step === "payment" ? html`
      ${creating ? "" : input({ pointer: "/effectiveFrom", label: "Change from", hint: "The first day the change applies, for example 2027-01-01", value: entered["effectiveFrom"] ?? "", width: "nhsuk-input--width-10" }, problem)}
      ${input({ pointer: "/name", label: "Component name", value: entered["name"] ?? "" }, problem)}
      ${textarea("/description", "Description (optional)", entered["description"] ?? "", problem)}
      ${paymentFields(entered, problem)}`
    : step === "evidence" ? evidenceFields(entered, problem)
    : step === "questions" ? html`<p>Practices answer these on each claim line. Leave a question blank for none.</p>
      ${Array.from({ length: current.slots }, (_, i) => questionSlot(i, entered, problem))}`
    : step === "prices" ? textarea("/tariffs", "Practice prices (optional)", entered["tariffs"] ?? "", problem,
      "One practice on each line: its ODS code and its price per unit, for example A81001, 180.00. Leave empty to pay every practice the same.")
    : html`<dl class="nhsuk-summary-list">${summaryOf(entered, current.slots, true, `/services/${serviceId}/components/${componentId}`)}</dl>`;
  page(problem ? `Error: ${title}` : title, html`
    ${errorSummary(problem)}
    <span class="nhsuk-caption-l">${creating ? "Add a component" : `Change ${component?.name ?? entered["name"] ?? ""}`} – step ${number} of ${STEPS.length}</span>
    <h1>${title}</h1>
    <form id="component-form" novalidate>
      ${fields}
      <button class="nhsuk-button" type="submit" id="component-submit">${step !== "check" ? "Continue" : creating ? "Add component" : "Save the change"}</button>
    </form>
    <p><a href="/services/${serviceId}">Cancel and go back to ${service.name}</a></p>`, { wide: step === "check" });
  if (problem) focusSummary();
  wireConditionalFields();
  onSubmit("component-form", async (form) => {
    if (step !== "check") {
      current.entered = { ...Object.fromEntries(Object.entries(current.entered).filter(([k]) => !ownedBy(step, k))), ...form };
      navigate(`/services/${serviceId}/components/${componentId}/${next}`);
      return;
    }
    const made = definitionFrom(current.entered, current.slots);
    current.questionSlots = made.questionSlots;
    if (creating) {
      await api.post("/services/{id}/components", { path: { id: serviceId }, body: made.body as never, headers: oneRequest() });
    } else {
      await api.put("/services/{id}/components/{componentId}", { path: { id: serviceId, componentId }, body: made.body as never });
    }
    draft = null;
    navigate(`/services/${serviceId}?changed=component`);
  }, async (failure) => {
    // The step that holds the first field the service refused shows again, with every refusal on it.
    const shown = onTheForm(failure, current.questionSlots);
    const at = stepOf(shown.errors[0]?.pointer ?? "");
    replaceAddress(`/services/${serviceId}/components/${componentId}/${at}?back=check`);
    await componentStep(serviceId, componentId, at, shown);
  });
}

/** The component as entered, in words; with Change links to each step while it is being checked. */
function summaryOf(entered: Entered, slots: number, changing: boolean, base: string): Html {
  const made = definitionFrom(entered, slots).body as { payment: Payment; evidence?: { requiredFromUnits: number; accepted: Array<{ extension: string }>; maxBytes: number; guidance: string };
    questions: Question[]; tariffs: Array<{ provider: string; price: string }> };
  const row = (label: string, value: Html | string, step: Step) => html`<div class="nhsuk-summary-list__row">
    <dt class="nhsuk-summary-list__key">${label}</dt><dd class="nhsuk-summary-list__value">${value}</dd>
    <dd class="nhsuk-summary-list__actions">${changing ? html`<a href="${base}/${step}?back=check">Change<span class="nhsuk-u-visually-hidden"> ${label.toLowerCase()}</span></a>` : ""}</dd></div>`;
  return html`
    ${changing && !base.endsWith("/new") ? row("Change from", entered["effectiveFrom"] ? date(entered["effectiveFrom"]) : "Not given", "payment") : ""}
    ${changing ? row("Name", entered["name"] ?? "", "payment") : ""}
    ${row("Payment", paymentInWords(made.payment), "payment")}
    ${row("Evidence", made.evidence ? `From ${made.evidence.requiredFromUnits} ${made.evidence.requiredFromUnits === 1 ? "unit" : "units"}: ${made.evidence.accepted.map((a) => a.extension.toUpperCase()).join(", ") || "no file type chosen"}, up to ${fileSize(made.evidence.maxBytes)}` : "Not needed", "evidence")}
    ${row("Questions", made.questions.length ? html`${made.questions.map((q) => html`${q.text}${q.answer.mustBeYes ? " (must be Yes)" : ""}<br>`)}` : "None", "questions")}
    ${row("Practice prices", made.tariffs.length ? html`${made.tariffs.map((t) => html`${t.provider}: ${t.price}<br>`)}` : "The same for every practice", "prices")}`;
}

/** Only the fields of the payment, evidence and answer chosen are shown. */
function wireConditionalFields(): void {
  const form = document.getElementById("component-form");
  form?.querySelectorAll<HTMLInputElement>("input[name=payment-type]").forEach((radio) => radio.addEventListener("change", () => {
    form.querySelectorAll<HTMLElement>("[data-payment]").forEach((part) => { part.hidden = part.dataset["payment"] !== radio.value; });
  }));
  document.getElementById("evidence-required")?.addEventListener("change", (event) => {
    const rule = document.getElementById("evidence-rule");
    if (rule) rule.hidden = !(event.target as HTMLInputElement).checked;
  });
  form?.querySelectorAll<HTMLElement>("[data-question]").forEach((slot) => {
    const chooser = slot.querySelector<HTMLSelectElement>("select");
    chooser?.addEventListener("change", () => {
      slot.querySelectorAll<HTMLElement>("[data-for]").forEach((part) => { part.hidden = part.dataset["for"] !== chooser.value; });
    });
  });
}
