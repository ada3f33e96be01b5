import { describe, expect, it } from "vitest";
import de from "../../src/i18n/de.json";
import en from "../../src/i18n/en.json";
import { catalogs, formatDuration, preferredLanguage, t, uiLanguages } from "../../src/i18n";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("catalogs", () => {
  it("every language has exactly English's keys, with the same placeholders", () => {
    for (const language of uiLanguages) {
      const catalog = catalogs[language] as Record<string, string>;
      expect(Object.keys(catalog).sort()).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(en)) {
        expect(placeholders(catalog[key]), `${language} ${key}`).toEqual(placeholders(text));
        expect(catalog[key].trim(), `${language} ${key}`).not.toBe("");
      }
    }
  });

  it("German is a translation, not a copy", () => {
    const same = Object.keys(en).filter((k) => (en as Record<string, string>)[k] === (de as Record<string, string>)[k]);
    expect(same.length).toBeLessThan(Object.keys(en).length / 10);
  });
});

describe("t", () => {
  it("fills placeholders and leaves unknown ones visible", () => {
    expect(t("calls.count", { count: 3 })).toBe("3 calls shown");
    expect(t("calls.count")).toBe("{count} calls shown");
  });
});

describe("preferredLanguage", () => {
  it("takes the first language we have a catalog for", () => {
    expect(preferredLanguage(["fr-FR", "de-AT", "en"])).toBe("de");
    expect(preferredLanguage(["ja"])).toBe("en");
  });
});

describe("formatDuration", () => {
  it("writes minutes and seconds", () => {
    expect(formatDuration(185)).toBe("3:05");
    expect(formatDuration(null)).toBe("–");
  });
});
