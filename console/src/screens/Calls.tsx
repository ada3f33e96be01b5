import { useState } from "preact/hooks";
import { type Api, type CallSummary, type Outcome, unwrap } from "../api/client";
import { formatDateTime, formatDuration, t } from "../i18n";
import { ErrorNotice } from "../ui/ErrorNotice";
import { href, type Route } from "../ui/router";
import { useLoad } from "../ui/useLoad";

export const outcomes: Outcome[] = ["completed", "transferred", "abandoned", "failed", "unanswered", "agent_failed"];
const PAGE = 25;
export const callLanguages = ["en", "de", "fr", "es", "it"];
export const HOLDS = ["transferred", "message", "request", "booking"] as const;
export type Holds = (typeof HOLDS)[number];

/** The API's filter for one "what the call holds" choice. */
export function holdsQuery(holds: Holds | null): Record<string, boolean> {
  if (!holds) return {};
  return { [holds === "transferred" ? "transferred" : `with_${holds}`]: true };
}

/** What a call in the list holds, in the order the filter names them. */
export function heldBy(call: CallSummary): Holds[] {
  const flags: Record<Holds, boolean | undefined> = {
    transferred: call.transferred,
    message: call.has_message,
    request: call.has_request,
    booking: call.has_booking,
  };
  return HOLDS.filter((h) => flags[h]);
}

export function durationOf(call: Pick<CallSummary, "started_at" | "ended_at">): number | null {
  if (!call.started_at || !call.ended_at) return null;
  return (Date.parse(call.ended_at) - Date.parse(call.started_at)) / 1000;
}

/** A day from a date input as the API's bound: the whole day, in the browser's time zone. */
export function dayBound(day: string | null, end: boolean): string | undefined {
  if (!day) return undefined;
  const [y, m, d] = day.split("-").map(Number);
  const moment = end ? new Date(y, m - 1, d, 23, 59, 59, 999) : new Date(y, m - 1, d);
  return moment.toISOString();
}

export function OutcomeBadge({ outcome }: { outcome: Outcome | null | undefined }) {
  return <span class={`badge outcome-${outcome ?? "unknown"}`}>{t(`outcome.${outcome ?? "unknown"}`)}</span>;
}

export function Calls({ api, hotel, route }: { api: Api; hotel: string; route: Route }) {
  const since = route.query.get("since");
  const until = route.query.get("until");
  const outcome = route.query.get("outcome") as Outcome | null;
  const spoken = route.query.get("language");
  const holds = route.query.get("holds") as Holds | null;
  const [more, setMore] = useState<{ calls: CallSummary[]; cursor: string | null }>({ calls: [], cursor: null });

  const page = (cursor?: string) =>
    api
      .GET("/v1/calls", {
        params: {
          query: {
            hotel_id: hotel,
            limit: PAGE,
            since: dayBound(since, false),
            until: dayBound(until, true),
            outcome: outcome ?? undefined,
            cursor,
            language: spoken ?? undefined,
            ...holdsQuery(holds),
          },
        },
      })
      .then(unwrap);
  const key = `${hotel}|${since}|${until}|${outcome}|${spoken}|${holds}`;
  const first = useLoad(() => {
    setMore({ calls: [], cursor: null });
    return page();
  }, key);
  const [moreError, setMoreError] = useState<unknown>(null);

  const apply = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    window.location.hash = href(["calls"], {
      since: String(form.get("since") ?? ""),
      until: String(form.get("until") ?? ""),
      outcome: String(form.get("outcome") ?? ""),
      language: String(form.get("language") ?? ""),
      holds: String(form.get("holds") ?? ""),
    });
  };
  const loadMore = async () => {
    const cursor = more.cursor ?? first.data?.next_cursor;
    if (!cursor) return;
    try {
      const next = await page(cursor);
      setMore({ calls: [...more.calls, ...next.calls], cursor: next.next_cursor ?? null });
    } catch (problem) {
      setMoreError(problem);
    }
  };
  const calls = [...(first.data?.calls ?? []), ...more.calls];
  const hasMore = more.calls.length ? Boolean(more.cursor) : Boolean(first.data?.next_cursor);

  return (
    <section aria-labelledby="calls-title">
      <h1 id="calls-title">{t("calls.title")}</h1>
      <form class="filters" onSubmit={apply} aria-label={t("calls.filters")} key={key}>
        <label>
          {t("calls.since")}
          <input type="date" name="since" defaultValue={since ?? ""} />
        </label>
        <label>
          {t("calls.until")}
          <input type="date" name="until" defaultValue={until ?? ""} />
        </label>
        <label>
          {t("calls.outcome")}
          <select name="outcome" defaultValue={outcome ?? ""}>
            <option value="">{t("calls.anyOutcome")}</option>
            {outcomes.map((o) => (
              <option key={o} value={o}>
                {t(`outcome.${o}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("call.language")}
          <select name="language" defaultValue={spoken ?? ""}>
            <option value="">{t("calls.anyLanguage")}</option>
            {callLanguages.map((l) => (
              <option key={l} value={l}>
                {l.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("calls.holds")}
          <select name="holds" defaultValue={holds ?? ""}>
            <option value="">{t("calls.anything")}</option>
            {HOLDS.map((h) => (
              <option key={h} value={h}>
                {t(`calls.holds.${h}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("calls.apply")}</button>
      </form>
      {first.loading && <p aria-live="polite">{t("loading")}</p>}
      {first.error ? <ErrorNotice error={first.error} /> : null}
      {first.data && calls.length === 0 && <p>{t("calls.empty")}</p>}
      {calls.length > 0 && (
        <>
          <p class="muted" aria-live="polite">
            {t("calls.count", { count: calls.length })}
          </p>
          <table class="calls">
            <thead>
              <tr>
                <th scope="col">{t("calls.started")}</th>
                <th scope="col">{t("calls.outcome")}</th>
                <th scope="col">{t("calls.duration")}</th>
                <th scope="col">{t("call.language")}</th>
                <th scope="col">{t("calls.holds")}</th>
              </tr>
            </thead>
            <tbody>
              {calls.map((call) => (
                <tr key={call.call_id} data-call-id={call.call_id}>
                  <td>
                    <a href={href(["calls", call.call_id])} aria-label={t("calls.open", { time: formatDateTime(call.started_at) })}>
                      {formatDateTime(call.started_at)}
                    </a>
                  </td>
                  <td>
                    <OutcomeBadge outcome={call.outcome} />
                  </td>
                  <td>{formatDuration(durationOf(call))}</td>
                  <td>{call.language?.toUpperCase() ?? "–"}</td>
                  <td>{heldBy(call).map((h) => t(`calls.holds.${h}`)).join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {moreError ? <ErrorNotice error={moreError} /> : null}
      {hasMore && (
        <button type="button" onClick={loadMore}>
          {t("calls.more")}
        </button>
      )}
    </section>
  );
}
