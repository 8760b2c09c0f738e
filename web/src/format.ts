// Dates and money as the NHS service manual writes them: "1 April 2026",
// "£2,321.04", in England's time.

const day = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" });
const dayAndTime = new Intl.DateTimeFormat("en-GB", {
  day: "numeric", month: "long", year: "numeric", hour: "numeric", minute: "2-digit", hour12: true,
  timeZone: "Europe/London",
});
const pounds = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });

export function date(iso: string | null | undefined): string {
  return iso ? day.format(new Date(iso)) : "";
}

/** "4 December 2026 at 11:59pm" */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const parts = dayAndTime.formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("day")} ${get("month")} ${get("year")} at ${get("hour")}:${get("minute")}${get("dayPeriod").toLowerCase().replace(/\s|\./g, "")}`;
}

/** Pence from "193.42", exactly (no floating point). */
export function pence(amount: string): number {
  const [whole, fraction = ""] = amount.trim().split(".");
  return Number(whole) * 100 + Number((fraction + "00").slice(0, 2)) * (whole?.startsWith("-") ? -1 : 1);
}

export function money(penceValue: number): string {
  return pounds.format(penceValue / 100);
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const mb = bytes / 1024 / 1024;
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

/** "1 claim", "3 claims" (never "1 claims" or "claim(s)"). */
export function count(n: number, word: string): string {
  return `${n} ${n === 1 ? word : `${word}s`}`;
}

const inputParts = new Intl.DateTimeFormat("en-GB", {
  year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "Europe/London",
});

/** An instant as a form field takes it back: "2026-10-25T17:00", in England's time. */
export function localInput(iso: string): string {
  const parts = inputParts.formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
}
