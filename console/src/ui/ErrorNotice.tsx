import { ApiError } from "../api/client";
import { t } from "../i18n";

/** Every failure shown the same way: what went wrong and the request id to quote. */
export function ErrorNotice({ error }: { error: unknown }) {
  const message =
    error instanceof ApiError
      ? error.message
      : error instanceof TypeError
        ? t("error.network")
        : error instanceof Error
          ? error.message
          : String(error);
  const requestId = error instanceof ApiError ? error.requestId : null;
  return (
    <div class="notice error" role="alert">
      <strong>{t("error.title")}</strong>
      <p>{message}</p>
      {requestId && <p class="muted">{t("error.requestId", { id: requestId })}</p>}
    </div>
  );
}
