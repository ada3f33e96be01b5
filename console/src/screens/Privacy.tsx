import { useState } from "preact/hooks";
import { type Api, type Schemas, unwrap } from "../api/client";
import { formatDateTime, t } from "../i18n";
import { ErrorNotice } from "../ui/ErrorNotice";

type Subject = Schemas["DataSubject"];
type Exported = Schemas["ExportAnswer"];
type Erased = Schemas["ErasureReport"];

/** The identifiers an admin typed, blanks left out; null when none was given. */
export function subjectFrom(form: FormData): Subject | null {
  const value = (name: string) => String(form.get(name) ?? "").trim();
  const subject: Subject = {};
  if (value("phone")) subject.phone = value("phone");
  if (value("email")) subject.email = value("email");
  if (value("confirmation_code")) subject.confirmation_code = value("confirmation_code");
  if (value("first") && value("last")) subject.name = { first: value("first"), last: value("last") };
  return Object.keys(subject).length ? subject : null;
}

function download(answer: Exported): void {
  const blob = new Blob([JSON.stringify(answer.export, null, 2)], { type: "application/json" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `privacy-export-${answer.export_id}.json`;
  link.click();
  URL.revokeObjectURL(link.href);
}

export function Privacy({ api, hotel }: { api: Api; hotel: string }) {
  const [subject, setSubject] = useState<Subject | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [exported, setExported] = useState<Exported | null>(null);
  const [erased, setErased] = useState<Erased | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  };
  const read = (event: Event): Subject | null => {
    event.preventDefault();
    const found = subjectFrom(new FormData(event.currentTarget as HTMLFormElement));
    setSubject(found);
    setExported(null);
    setErased(null);
    if (!found) setError(new Error(t("privacy.needIdentifier")));
    return found;
  };
  const exportData = (event: Event) => {
    const found = read(event);
    if (!found) return;
    setConfirming(false);
    void run(async () => {
      setExported(await api.POST("/v1/privacy/export", { body: { hotel_id: hotel, subject: found } }).then(unwrap));
    });
  };
  const erase = () =>
    run(async () => {
      setErased(await api.POST("/v1/privacy/erase", { body: { hotel_id: hotel, subject: subject! } }).then(unwrap));
      setConfirming(false);
    });

  return (
    <section aria-labelledby="privacy-title">
      <h1 id="privacy-title">{t("nav.privacy")}</h1>
      <p class="muted">{t("privacy.intro")}</p>
      <form class="settings" onSubmit={exportData} aria-label={t("privacy.guest")}>
        <fieldset>
          <legend>{t("privacy.guest")}</legend>
          <label>
            {t("privacy.phone")}
            <input name="phone" type="tel" autocomplete="off" />
          </label>
          <label>
            {t("privacy.email")}
            <input name="email" type="email" autocomplete="off" />
          </label>
          <label>
            {t("privacy.code")}
            <input name="confirmation_code" autocomplete="off" />
          </label>
          <label>
            {t("privacy.first")}
            <input name="first" autocomplete="off" />
          </label>
          <label>
            {t("privacy.last")}
            <input name="last" autocomplete="off" />
          </label>
        </fieldset>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t("privacy.export")}
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={(event) => {
              const form = (event.currentTarget as HTMLElement).closest("form")!;
              const found = subjectFrom(new FormData(form));
              setSubject(found);
              setExported(null);
              setErased(null);
              setError(found ? null : new Error(t("privacy.needIdentifier")));
              setConfirming(Boolean(found));
            }}
          >
            {t("privacy.erase")}
          </button>
        </div>
      </form>
      {error ? <ErrorNotice error={error} /> : null}
      {confirming && subject && (
        <div class="notice error" role="alertdialog" aria-labelledby="confirm-title" aria-describedby="confirm-text">
          <strong id="confirm-title">{t("privacy.confirmTitle")}</strong>
          <p id="confirm-text">{t("privacy.confirm", { hotel })}</p>
          <div class="actions">
            <button type="button" class="danger" disabled={busy} onClick={erase}>
              {t("privacy.confirmErase")}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t("privacy.cancel")}
            </button>
          </div>
        </div>
      )}
      {exported && (
        <section class="notice" aria-labelledby="export-title" data-report="export">
          <h2 id="export-title">{t("privacy.exported")}</h2>
          <p>{t("privacy.exportedCalls", { calls: exported.calls, id: exported.export_id })}</p>
          {exported.url ? (
            <a href={exported.url}>{t("privacy.download")}</a>
          ) : exported.export ? (
            <button type="button" onClick={() => download(exported)}>
              {t("privacy.download")}
            </button>
          ) : null}
        </section>
      )}
      {erased && (
        <section class="notice" aria-labelledby="erase-title" data-report="erasure">
          <h2 id="erase-title">{t("privacy.erased")}</h2>
          <p>{t("privacy.erasedCalls", { calls: erased.calls?.length ?? 0, id: erased.erasure_id, time: formatDateTime(erased.erased_at) })}</p>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("privacy.store")}</th>
                <th scope="col">{t("privacy.items")}</th>
                <th scope="col">{t("privacy.detail")}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(erased.stores).map(([store, result]) => (
                <tr key={store}>
                  <th scope="row">{store}</th>
                  <td>{result.erased ?? 0}</td>
                  <td>{result.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}
