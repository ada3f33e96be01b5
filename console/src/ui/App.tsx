import { useEffect, useMemo, useState } from "preact/hooks";
import { createApi, unwrap } from "../api/client";
import { onSessionChange, type Session, session, signOut } from "../auth/session";
import type { ConsoleConfig } from "../config";
import { language, setLanguage, t, type UiLanguage, uiLanguages } from "../i18n";
import { CallDetail } from "../screens/CallDetail";
import { Calls } from "../screens/Calls";
import { Dashboard } from "../screens/Dashboard";
import { Inbox } from "../screens/Inbox";
import { Privacy } from "../screens/Privacy";
import { Settings } from "../screens/Settings";
import { SignIn } from "../screens/SignIn";
import { href, useRoute } from "./router";

const SCREENS = ["calls", "inbox", "dashboard", "settings", "privacy"] as const;
const ADMIN_ONLY: readonly string[] = ["settings", "privacy"];

/** The hotels a person may pick: their token's, or every known one for an all-hotels token. */
export function hotelsFor(current: Session, known: string[]): string[] {
  return current.hotels.includes("*") ? [...new Set([...known])] : current.hotels;
}

/** The skip link moves focus; a plain `#main` would be taken for a route. */
function skipToMain(event: Event): void {
  event.preventDefault();
  document.getElementById("main")?.focus();
}

function Shell({ config, current }: { config: ConsoleConfig; current: Session }) {
  const route = useRoute();
  const hotels = hotelsFor(current, config.hotels);
  const [hotel, setHotel] = useState(hotels[0] ?? "");
  const [, rerender] = useState(0);
  const [openCount, setOpenCount] = useState<number | null>(null);
  const api = useMemo(() => createApi(config.api_base, () => session()?.token ?? null, signOut), [config.api_base]);
  useEffect(() => {
    setOpenCount(null);
    api
      .GET("/v1/hotels/{hotel_id}/inbox", { params: { path: { hotel_id: hotel }, query: { limit: 1 } } })
      .then(unwrap)
      .then((page) => setOpenCount(page.open_count))
      .catch(() => setOpenCount(null)); // the badge is a hint; the Inbox screen shows the error
  }, [api, hotel]);
  const asked = route.path[0] as (typeof SCREENS)[number];
  const screen = SCREENS.includes(asked) && (!ADMIN_ONLY.includes(asked) || current.role === "admin") ? asked : "calls";

  const changeLanguage = (next: UiLanguage) => {
    setLanguage(next);
    rerender((n) => n + 1);
  };

  return (
    <>
      <a class="skip" href="#main" onClick={skipToMain}>
        {t("nav.skip")}
      </a>
      <header class="bar">
        <span class="brand">{t("app.title")}</span>
        <nav aria-label={t("nav.main")}>
          {SCREENS.filter((s) => !ADMIN_ONLY.includes(s) || current.role === "admin").map((s) => (
            <a key={s} href={href([s])} aria-current={screen === s ? "page" : undefined}>
              {t(`nav.${s}`)}
              {s === "inbox" && openCount ? (
                <span class="count" aria-label={t("inbox.openCount", { count: openCount })}>
                  {openCount}
                </span>
              ) : null}
            </a>
          ))}
        </nav>
        <label for="hotel-picker" class="sr-only">{t("session.hotel")}</label>
        <select id="hotel-picker" value={hotel} onChange={(e) => setHotel(e.currentTarget.value)}>
            {hotels.map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
          ))}
        </select>
        <label for="language-picker" class="sr-only">{t("session.language")}</label>
        <select id="language-picker" value={language()} onChange={(e) => changeLanguage(e.currentTarget.value as UiLanguage)}>
            {uiLanguages.map((l) => (
              <option key={l} value={l}>
                {l.toUpperCase()}
              </option>
          ))}
        </select>
        <span class="muted who">{t("session.signedInAs", { subject: current.subject, role: current.role })}</span>
        <button type="button" onClick={signOut}>
          {t("session.signOut")}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {screen === "calls" && route.path[1] ? (
          <CallDetail api={api} callId={route.path[1]} />
        ) : screen === "calls" ? (
          <Calls api={api} hotel={hotel} route={route} />
        ) : screen === "inbox" ? (
          <Inbox api={api} hotel={hotel} route={route} onCount={setOpenCount} />
        ) : screen === "dashboard" ? (
          <Dashboard api={api} hotel={hotel} route={route} />
        ) : screen === "settings" ? (
          <Settings api={api} hotel={hotel} />
        ) : screen === "privacy" ? (
          <Privacy api={api} hotel={hotel} />
        ) : (
          <section>
            <h1>{t(`nav.${screen}`)}</h1>
            <p>{t("placeholder.soon")}</p>
          </section>
        )}
      </main>
    </>
  );
}

export function App({ config, failure }: { config: ConsoleConfig; failure: unknown }) {
  const [current, setCurrent] = useState(session());
  useEffect(() => onSessionChange(() => setCurrent(session())), []);
  return current ? <Shell config={config} current={current} /> : <SignIn config={config} failure={failure} />;
}
