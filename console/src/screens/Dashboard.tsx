import { type Api, type Schemas, unwrap } from "../api/client";
import { formatDuration, formatMoney, language, t } from "../i18n";
import { Figure, Legend, Ranking, type Series, StackedBars } from "../ui/charts";
import { ErrorNotice } from "../ui/ErrorNotice";
import { href, type Route } from "../ui/router";
import { useLoad } from "../ui/useLoad";
import { outcomes } from "./Calls";

type Stats = Schemas["HotelStats"];

const COLORS: Record<string, string> = {
  completed: "#2f7d46",
  transferred: "#c47a00",
  abandoned: "#6b7785",
  failed: "#b3261e",
  unanswered: "#8e44ad",
  agent_failed: "#7a1f1f",
  in_progress: "#2b6cb0",
};

/** The period the screen shows: from the address, else the last seven days. */
export function periodOf(route: Route, today = new Date()): { since: string; until: string } {
  const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  const weekAgo = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 6);
  return { since: route.query.get("since") || day(weekAgo), until: route.query.get("until") || day(today) };
}

function outcomeSeries(stats: Stats): Series[] {
  const present = new Set(Object.keys(stats.by_outcome));
  return [...outcomes, "in_progress" as const]
    .filter((o) => present.has(o))
    .map((o) => ({ key: o, label: t(o === "in_progress" ? "outcome.unknown" : `outcome.${o}`), color: COLORS[o] }));
}

function Numbers({ stats }: { stats: Stats }) {
  const rate = stats.containment.rate;
  const value = Object.entries(stats.bookings.value_minor ?? {})
    .map(([currency, minor]) => formatMoney(minor, currency))
    .join(" + ");
  return (
    <dl class="tiles">
      <div>
        <dt>{t("dashboard.calls")}</dt>
        <dd data-tile="calls">{stats.calls}</dd>
      </div>
      <div>
        <dt>{t("dashboard.containment")}</dt>
        <dd data-tile="containment">{rate == null ? "–" : `${Math.round(rate * 100)} %`}</dd>
        <dd class="muted detail">{t("dashboard.containmentDetail", { handled: stats.containment.handled, transferred: stats.containment.transferred })}</dd>
      </div>
      <div>
        <dt>{t("dashboard.averageLength")}</dt>
        <dd data-tile="length">{formatDuration(stats.average_length_s)}</dd>
      </div>
      <div>
        <dt>{t("dashboard.bookings")}</dt>
        <dd data-tile="bookings">{stats.bookings.created}</dd>
        <dd class="muted detail">
          {value || "–"} · {t("dashboard.changedCancelled", { changed: stats.bookings.changed, cancelled: stats.bookings.cancelled })}
        </dd>
      </div>
    </dl>
  );
}

export function Dashboard({ api, hotel, route }: { api: Api; hotel: string; route: Route }) {
  const { since, until } = periodOf(route);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  const loaded = useLoad(
    () => api.GET("/v1/hotels/{hotel_id}/stats", { params: { path: { hotel_id: hotel }, query: { since, until, tz: zone } } }).then(unwrap),
    `${hotel}|${since}|${until}|${zone}`,
  );
  const apply = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    window.location.hash = href(["dashboard"], { since: String(form.get("since") ?? ""), until: String(form.get("until") ?? "") });
  };
  const stats = loaded.data;
  const dayLabel = (day: string) => new Intl.DateTimeFormat(language(), { day: "numeric", month: "short" }).format(new Date(`${day}T12:00:00`));
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">{t("nav.dashboard")}</h1>
      <form class="filters" onSubmit={apply} aria-label={t("dashboard.period")} key={`${since}|${until}`}>
        <label>
          {t("calls.since")}
          <input type="date" name="since" defaultValue={since} required />
        </label>
        <label>
          {t("calls.until")}
          <input type="date" name="until" defaultValue={until} required />
        </label>
        <button type="submit">{t("calls.apply")}</button>
        <span class="muted">{t("dashboard.zone", { zone })}</span>
      </form>
      {loaded.loading && <p aria-live="polite">{t("loading")}</p>}
      {loaded.error ? <ErrorNotice error={loaded.error} /> : null}
      {stats && (
        <>
          <Numbers stats={stats} />
          <div class="chart-grid">
            <Figure id="per-day" title={t("dashboard.perDay")} summary={t("dashboard.perDaySummary", { calls: stats.calls, days: stats.by_day.length })}>
              <StackedBars
                label={t("dashboard.perDay")}
                series={outcomeSeries(stats)}
                rows={stats.by_day.map((d) => ({ label: dayLabel(d.day), values: d.by_outcome }))}
              />
              <Legend series={outcomeSeries(stats)} />
              <details>
                <summary>{t("dashboard.numbers")}</summary>
                <table class="numbers" data-table="per-day">
                  <thead>
                    <tr>
                      <th scope="col">{t("dashboard.day")}</th>
                      {outcomeSeries(stats).map((s) => (
                        <th scope="col" key={s.key}>
                          {s.label}
                        </th>
                      ))}
                      <th scope="col">{t("dashboard.calls")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {stats.by_day.map((d) => (
                      <tr key={d.day}>
                        <th scope="row">{dayLabel(d.day)}</th>
                        {outcomeSeries(stats).map((s) => (
                          <td key={s.key}>{d.by_outcome[s.key] ?? 0}</td>
                        ))}
                        <td>{d.calls}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </details>
            </Figure>
            <Figure id="hours" title={t("dashboard.hours")} summary={t("dashboard.hoursSummary", { hour: stats.by_hour.indexOf(Math.max(...stats.by_hour)) })}>
              <StackedBars
                label={t("dashboard.hours")}
                series={[{ key: "calls", label: t("dashboard.calls"), color: "#0b5cad" }]}
                rows={stats.by_hour.map((count, hour) => ({ label: String(hour), values: { calls: count } }))}
              />
            </Figure>
            <Figure id="languages" title={t("dashboard.languages")} summary={t("dashboard.languagesSummary", { count: Object.keys(stats.languages).length })}>
              <Ranking label={t("dashboard.languages")} items={Object.entries(stats.languages).map(([code, value]) => ({ label: code.toUpperCase(), value }))} />
            </Figure>
          </div>
        </>
      )}
    </section>
  );
}
