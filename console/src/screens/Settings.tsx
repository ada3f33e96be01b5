import { useState } from "preact/hooks";
import { ApiError, type Api, type Schemas, unwrap } from "../api/client";
import { formatDateTime, t } from "../i18n";
import { ErrorNotice } from "../ui/ErrorNotice";
import { useLoad } from "../ui/useLoad";

type Config = Schemas["HotelConfig"];
type Update = Schemas["HotelConfigUpdate"];

/** The PUT body for an edited configuration: every setting, based on the version read. */
export function updateFrom(read: Config, edits: Partial<Update>): Update {
  const { hotel_id: _id, updated_at: _at, updated_by: _by, ...settings } = read;
  return { ...settings, ...edits, version: read.version };
}

/** "one per line" text to a list, blank lines dropped. */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n|,/)
    .map((line) => line.trim())
    .filter(Boolean);
}

function SettingsForm({ api, hotel, read, onSaved }: { api: Api; hotel: string; read: Config; onSaved: (c: Config) => void }) {
  const [error, setError] = useState<unknown>(null);
  const [conflict, setConflict] = useState(false);
  const [saving, setSaving] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? "");
    const num = (name: string) => Number(form.get(name));
    const knowledge = (read.knowledge ?? []).map((entry) => ({
      ...entry,
      answers: Object.fromEntries(Object.keys(entry.answers).map((lang) => [lang, text(`answer-${entry.id}-${lang}`)])),
    }));
    const update = updateFrom(read, {
      dialled_numbers: lines(text("dialled_numbers")),
      front_desk: text("front_desk"),
      languages: lines(text("languages")) as Update["languages"],
      instructions: text("instructions"),
      silence_reprompt_s: num("silence_reprompt_s"),
      max_silence_reprompts: num("max_silence_reprompts"),
      max_call_s: num("max_call_s"),
      booking: {
        group_threshold_rooms: read.booking?.group_threshold_rooms ?? 3,
        guarantee: text("guarantee") as NonNullable<Update["booking"]>["guarantee"],
        payment_link_url: text("payment_link_url") || null,
        confirmation_email: form.get("confirmation_email") === "on",
      },
      retention: {
        transcripts_days: num("transcripts_days"),
        recordings_days: num("recordings_days"),
        audit_days: num("audit_days"),
      },
      knowledge,
    });
    setSaving(true);
    setError(null);
    setConflict(false);
    try {
      const saved = await api.PUT("/v1/hotels/{hotel_id}/config", { params: { path: { hotel_id: hotel } }, body: update }).then(unwrap);
      onSaved(saved);
    } catch (problem) {
      setConflict(problem instanceof ApiError && problem.status === 409);
      setError(problem);
    } finally {
      setSaving(false);
    }
  };

  const booking = read.booking ?? { guarantee: "none", confirmation_email: true, payment_link_url: null };
  const retention = read.retention ?? { transcripts_days: 90, recordings_days: 30, audit_days: 365 };
  return (
    <form class="settings" onSubmit={submit}>
      {conflict && (
        <div class="notice error" role="alert" data-conflict>
          <strong>{t("settings.conflictTitle")}</strong>
          <p>{t("settings.conflict")}</p>
          {error instanceof ApiError && error.requestId && <p class="muted">{t("error.requestId", { id: error.requestId })}</p>}
        </div>
      )}
      {error && !conflict ? <ErrorNotice error={error} /> : null}
      <fieldset>
        <legend>{t("settings.line")}</legend>
        <label>
          {t("settings.dialledNumbers")}
          <textarea name="dialled_numbers" rows={3} defaultValue={read.dialled_numbers.join("\n")} />
        </label>
        <label>
          {t("settings.frontDesk")}
          <input name="front_desk" defaultValue={read.front_desk} required />
        </label>
        <label>
          {t("settings.languages")}
          <input name="languages" defaultValue={(read.languages ?? []).join(", ")} />
        </label>
      </fieldset>
      <fieldset>
        <legend>{t("settings.limits")}</legend>
        <label>
          {t("settings.silenceReprompt")}
          <input type="number" name="silence_reprompt_s" min={3} max={30} step="0.5" defaultValue={String(read.silence_reprompt_s ?? 8)} />
        </label>
        <label>
          {t("settings.maxReprompts")}
          <input type="number" name="max_silence_reprompts" min={0} max={5} defaultValue={String(read.max_silence_reprompts ?? 2)} />
        </label>
        <label>
          {t("settings.maxCall")}
          <input type="number" name="max_call_s" min={60} max={3600} defaultValue={String(read.max_call_s ?? 900)} />
        </label>
      </fieldset>
      <fieldset>
        <legend>{t("settings.booking")}</legend>
        <label>
          {t("settings.guarantee")}
          <select name="guarantee" defaultValue={booking.guarantee}>
            <option value="none">{t("settings.guaranteeNone")}</option>
            <option value="payment_link">{t("settings.guaranteeLink")}</option>
            <option value="front_desk">{t("settings.guaranteeDesk")}</option>
          </select>
        </label>
        <label>
          {t("settings.paymentLink")}
          <input name="payment_link_url" type="url" defaultValue={booking.payment_link_url ?? ""} />
        </label>
        <label class="check">
          <input type="checkbox" name="confirmation_email" defaultChecked={booking.confirmation_email !== false} />
          {t("settings.confirmationEmail")}
        </label>
      </fieldset>
      <fieldset>
        <legend>{t("settings.retention")}</legend>
        <label>
          {t("settings.transcriptsDays")}
          <input type="number" name="transcripts_days" min={7} max={730} defaultValue={String(retention.transcripts_days)} />
        </label>
        <label>
          {t("settings.recordingsDays")}
          <input type="number" name="recordings_days" min={1} max={365} defaultValue={String(retention.recordings_days)} />
        </label>
        <label>
          {t("settings.auditDays")}
          <input type="number" name="audit_days" min={90} max={2555} defaultValue={String(retention.audit_days)} />
        </label>
      </fieldset>
      <fieldset>
        <legend>{t("settings.instructions")}</legend>
        <label>
          {t("settings.instructionsHint")}
          <textarea name="instructions" rows={3} defaultValue={read.instructions ?? ""} />
        </label>
      </fieldset>
      <fieldset>
        <legend>{t("settings.knowledge")}</legend>
        {(read.knowledge ?? []).map((entry) => (
          <div class="knowledge" key={entry.id}>
            <h3>
              {entry.id} <span class="muted">({entry.category})</span>
            </h3>
            {Object.entries(entry.answers).map(([lang, answer]) => (
              <label key={lang}>
                {t("settings.answerIn", { language: lang.toUpperCase() })}
                <textarea name={`answer-${entry.id}-${lang}`} rows={2} defaultValue={answer} />
              </label>
            ))}
          </div>
        ))}
      </fieldset>
      <p class="muted">{t("settings.version", { version: read.version, who: read.updated_by, time: formatDateTime(read.updated_at) })}</p>
      <button type="submit" class="primary" disabled={saving}>
        {t("settings.save")}
      </button>
    </form>
  );
}

export function Settings({ api, hotel }: { api: Api; hotel: string }) {
  const [reload, setReload] = useState(0);
  const [saved, setSaved] = useState<Config | null>(null);
  const loaded = useLoad(() => api.GET("/v1/hotels/{hotel_id}/config", { params: { path: { hotel_id: hotel } } }).then(unwrap), `${hotel}|${reload}`);
  const current = saved && saved.hotel_id === hotel ? saved : loaded.data;
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">{t("nav.settings")}</h1>
      {saved && (
        <p class="notice" role="status">
          {t("settings.saved", { version: saved.version })}
        </p>
      )}
      <button type="button" onClick={() => { setSaved(null); setReload((n) => n + 1); }}>
        {t("settings.reload")}
      </button>
      {loaded.loading && <p aria-live="polite">{t("loading")}</p>}
      {loaded.error ? <ErrorNotice error={loaded.error} /> : null}
      {current && <SettingsForm key={`${current.version}|${reload}`} api={api} hotel={hotel} read={current} onSaved={setSaved} />}
    </section>
  );
}
