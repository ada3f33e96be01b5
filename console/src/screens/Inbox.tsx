import { useState } from "preact/hooks";
import { type Api, type Schemas, unwrap } from "../api/client";
import { formatDateTime, t } from "../i18n";
import { ErrorNotice } from "../ui/ErrorNotice";
import { href, type Route } from "../ui/router";
import { useLoad } from "../ui/useLoad";

type Item = Schemas["InboxItem"];
type Status = Schemas["InboxStatusChange"]["status"];

/** How long an item has waited, in words a person at the desk reads at a glance. */
export function ageOf(at: string, now = Date.now()): { key: "inbox.minutes" | "inbox.hours" | "inbox.days"; count: number } {
  const minutes = Math.max(0, Math.floor((now - Date.parse(at)) / 60_000));
  if (minutes < 60) return { key: "inbox.minutes", count: minutes };
  if (minutes < 48 * 60) return { key: "inbox.hours", count: Math.floor(minutes / 60) };
  return { key: "inbox.days", count: Math.floor(minutes / 1440) };
}

function Row({ item, onMark, busy }: { item: Item; onMark: (item: Item, status: Status) => void; busy: boolean }) {
  const age = ageOf(item.at);
  const done = item.status === "done";
  return (
    <li class={`inbox-item ${item.status}`} data-item-id={item.item_id}>
      <div class="inbox-head">
        <strong>{item.kind === "request" ? t(`category.${item.category ?? "other"}`) : t("inbox.message")}</strong>
        {item.reference && <span> · {t("call.reference", { reference: item.reference })}</span>}
        <span class="muted"> · {t(age.key, { count: age.count })}</span>
      </div>
      <p>{item.text}</p>
      <p class="inbox-meta">
        {item.callback_number && <span>{t("call.callback", { number: item.callback_number })} · </span>}
        <span>{item.language.toUpperCase()} · </span>
        <a href={href(["calls", item.call_id])}>{t("inbox.openCall")}</a>
        {done && item.done_by && <span class="muted"> · {t("inbox.doneBy", { who: item.done_by, time: formatDateTime(item.done_at) })}</span>}
      </p>
      <button type="button" disabled={busy} onClick={() => onMark(item, done ? "open" : "done")}>
        {t(done ? "inbox.reopen" : "inbox.markDone")}
      </button>
    </li>
  );
}

export function Inbox({ api, hotel, route, onCount }: { api: Api; hotel: string; route: Route; onCount: (open: number) => void }) {
  const status: Status = route.query.get("status") === "done" ? "done" : "open";
  const [version, setVersion] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [markError, setMarkError] = useState<unknown>(null);
  const loaded = useLoad(async () => {
    const page = await api.GET("/v1/hotels/{hotel_id}/inbox", { params: { path: { hotel_id: hotel }, query: { status, limit: 100 } } }).then(unwrap);
    onCount(page.open_count);
    return page;
  }, `${hotel}|${status}|${version}`);

  const mark = async (item: Item, next: Status) => {
    setBusy(item.item_id);
    setMarkError(null);
    try {
      await api
        .POST("/v1/hotels/{hotel_id}/inbox/{item_id}/status", {
          params: { path: { hotel_id: hotel, item_id: item.item_id } },
          body: { status: next },
        })
        .then(unwrap);
      setVersion((v) => v + 1);
    } catch (problem) {
      setMarkError(problem);
    } finally {
      setBusy(null);
    }
  };

  const page = loaded.data;
  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">{t("nav.inbox")}</h1>
      <nav class="tabs" aria-label={t("inbox.views")}>
        <a href={href(["inbox"])} aria-current={status === "open" ? "page" : undefined}>
          {t("inbox.open")}
        </a>
        <a href={href(["inbox"], { status: "done" })} aria-current={status === "done" ? "page" : undefined}>
          {t("inbox.done")}
        </a>
      </nav>
      {page && (
        <p class="inbox-count" aria-live="polite">
          {t("inbox.openCount", { count: page.open_count })}
        </p>
      )}
      {loaded.loading && <p aria-live="polite">{t("loading")}</p>}
      {loaded.error ? <ErrorNotice error={loaded.error} /> : null}
      {markError ? <ErrorNotice error={markError} /> : null}
      {page && page.items.length === 0 && <p>{t(status === "open" ? "inbox.emptyOpen" : "inbox.emptyDone")}</p>}
      {page && page.items.length > 0 && (
        <ul class="inbox">
          {page.items.map((item) => (
            <Row key={item.item_id} item={item} onMark={mark} busy={busy === item.item_id} />
          ))}
        </ul>
      )}
    </section>
  );
}
