import type { ComponentChildren } from "preact";
import type { Api, CallRecord } from "../api/client";
import { unwrap } from "../api/client";
import { formatDateTime, formatDuration, formatMoney, t } from "../i18n";
import { ErrorNotice } from "../ui/ErrorNotice";
import { href } from "../ui/router";
import { useLoad } from "../ui/useLoad";
import { OutcomeBadge } from "./Calls";

function Transcript({ record }: { record: CallRecord }) {
  if (!record.turns?.length) return <p>{t("call.noTranscript")}</p>;
  return (
    <ol class="transcript">
      {record.turns.map((turn) => (
        <li key={turn.index} class={`turn ${turn.role}`}>
          <span class="speaker">{t(turn.role === "caller" ? "call.caller.role" : "call.agent.role")}</span>
          <p>{turn.text}</p>
        </li>
      ))}
    </ol>
  );
}

/** One side panel of a call's page; nothing at all when the call has no such items. */
function Listed<T>(props: { id: string; title: string; items: T[] | undefined; children: (item: T) => ComponentChildren }) {
  if (!props.items?.length) return null;
  return (
    <section aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      <ul>
        {props.items.map((item, n) => (
          <li key={n}>{props.children(item)}</li>
        ))}
      </ul>
    </section>
  );
}

function Callback({ number }: { number: string | null | undefined }) {
  return number ? <p>{t("call.callback", { number })}</p> : null;
}

function Recording({ record }: { record: CallRecord }) {
  const url = typeof record.recording?.url === "string" ? record.recording.url : null;
  if (!url) return <p class="muted">{t("call.noRecording")}</p>;
  return <audio controls preload="none" src={url} aria-label={t("call.recording")} />;
}

export function CallDetail({ api, callId }: { api: Api; callId: string }) {
  const loaded = useLoad(
    () => api.GET("/v1/calls/{call_id}", { params: { path: { call_id: callId } } }).then(unwrap),
    callId,
  );
  const record = loaded.data;
  return (
    <section aria-labelledby="call-title">
      <p>
        <a href={href(["calls"])}>← {t("call.back")}</a>
      </p>
      {loaded.loading && <p aria-live="polite">{t("loading")}</p>}
      {loaded.error ? <ErrorNotice error={loaded.error} /> : null}
      {record && (
        <>
          <h1 id="call-title">{t("call.title", { time: formatDateTime(record.started_at) })}</h1>
          {record.erased_at && <p class="notice">{t("call.erased", { time: formatDateTime(record.erased_at) })}</p>}
          <dl class="facts" aria-label={t("call.summary")}>
            <dt>{t("call.outcome")}</dt>
            <dd>
              <OutcomeBadge outcome={record.outcome} />
            </dd>
            <dt>{t("call.language")}</dt>
            <dd>{record.language ?? "–"}</dd>
            <dt>{t("call.duration")}</dt>
            <dd>{formatDuration(record.duration_s)}</dd>
            <dt>{t("call.callerHash")}</dt>
            <dd>
              <code>{record.caller_hash ?? "–"}</code>
            </dd>
          </dl>
          <div class="columns">
            <section aria-labelledby="transcript-title" class="main-column">
              <h2 id="transcript-title">{t("call.transcript")}</h2>
              <Transcript record={record} />
            </section>
            <aside class="side-column">
              <Listed id="bookings" title={t("call.bookings")} items={record.bookings}>
                {(b) => (
                  <>
                    <strong>{t(`booking.${b.action}`)}</strong> {b.confirmation_code} · {b.room_type ?? ""} · {b.arrival} → {b.departure} ·{" "}
                    {formatMoney(b.total_minor, b.currency)}
                  </>
                )}
              </Listed>
              <Listed id="requests" title={t("call.requests")} items={record.requests}>
                {(r) => (
                  <>
                    <strong>{r.category}</strong> · {t("call.reference", { reference: r.reference })}
                    <p>{r.details}</p>
                    <Callback number={r.callback_number} />
                  </>
                )}
              </Listed>
              <Listed id="messages" title={t("call.messages")} items={record.messages}>
                {(m) => (
                  <>
                    <p>{m.message}</p>
                    <Callback number={m.callback_number} />
                  </>
                )}
              </Listed>
              <Listed id="transfers" title={t("call.transfers")} items={record.transfers}>
                {(x) => (
                  <>
                    {formatDateTime(x.at)} · {x.reason} · {t(x.succeeded ? "call.transferOk" : "call.transferFailed")}
                  </>
                )}
              </Listed>
              <Listed id="tools" title={t("call.tools")} items={record.tool_calls}>
                {(c) => (
                  <>
                    <code>{c.name}</code> {c.ok ? "✓" : "✗"} <span class="muted">{c.result}</span>
                  </>
                )}
              </Listed>
              <section aria-labelledby="recording-title">
                <h2 id="recording-title">{t("call.recording")}</h2>
                <Recording record={record} />
              </section>
            </aside>
          </div>
        </>
      )}
    </section>
  );
}
