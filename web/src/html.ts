// Markup built from template literals with every interpolated value escaped,
// so text from the API (names, reasons) can never become markup.

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Part = Html | string | number | boolean | null | undefined | Part[];

export function escape(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return "";
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return part.map(render).join("");
  return escape(String(part));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? "");
  });
  return new Html(out);
}

/** Puts markup into an element. */
export function mount(target: Element, content: Html): void {
  target.innerHTML = content.text;
}

/** A column of a table: its heading, and whether it holds figures (set right). */
export type Column = string | { heading: string; numeric: true };

/** A table's heading row, one `<th>` a column. */
export function headings(...columns: Column[]): Html {
  return html`<thead class="nhsuk-table__head"><tr class="nhsuk-table__row">${columns.map((column) =>
    typeof column === "string"
      ? html`<th scope="col" class="nhsuk-table__header">${column}</th>`
      : html`<th scope="col" class="nhsuk-table__header nhsuk-table__header--numeric">${column.heading}</th>`)}</tr></thead>`;
}
