/**
 * UI texts per language live in JSON catalogs (data, not code); English is the reference
 * catalog every other one must match key for key (tests/unit/i18n.test.ts).
 */
import de from "./de.json";
import en from "./en.json";

export type MessageKey = keyof typeof en;
export type UiLanguage = "en" | "de";

export const catalogs: Record<UiLanguage, Record<MessageKey, string>> = { en, de };
export const uiLanguages = Object.keys(catalogs) as UiLanguage[];

let current: UiLanguage = "en";

/** The browser's preferred language where we have a catalog for it, else English. */
export function preferredLanguage(accepted: readonly string[]): UiLanguage {
  for (const tag of accepted) {
    const base = tag.toLowerCase().split("-")[0] as UiLanguage;
    if (uiLanguages.includes(base)) return base;
  }
  return "en";
}

export function setLanguage(language: UiLanguage): void {
  current = language;
  document.documentElement.lang = language;
}

export function language(): UiLanguage {
  return current;
}

/** A text in the current language with `{name}` placeholders filled in. */
export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  const template = catalogs[current][key] ?? catalogs.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) =>
    name in values ? String(values[name]) : `{${name}}`,
  );
}

/** Dates and numbers as the UI language writes them. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "–";
  return new Intl.DateTimeFormat(current, { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(iso),
  );
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null) return "–";
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds % 60);
  return `${minutes}:${String(rest).padStart(2, "0")}`;
}

export function formatMoney(minor: number | null | undefined, currency: string | null | undefined): string {
  if (minor == null || !currency) return "–";
  return new Intl.NumberFormat(current, { style: "currency", currency }).format(minor / 100);
}
