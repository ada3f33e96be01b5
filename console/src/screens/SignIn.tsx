import { useState } from "preact/hooks";
import { apiError } from "../api/client";
import { startSignIn } from "../auth/pkce";
import { sessionFromToken, signIn } from "../auth/session";
import type { ConsoleConfig } from "../config";
import { t } from "../i18n";
import { ErrorNotice } from "../ui/ErrorNotice";

async function devSignIn(role: string, hotelId: string): Promise<string> {
  const response = await fetch(new URL("dev-sign-in", document.baseURI), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ role, hotel_id: hotelId }),
  });
  const body = (await response.json().catch(() => null)) as { access_token?: string } | null;
  if (!response.ok || !body?.access_token) throw apiError(response.status, body, null);
  return body.access_token;
}

export function SignIn({ config, failure }: { config: ConsoleConfig; failure: unknown }) {
  const [role, setRole] = useState("staff");
  const [hotel, setHotel] = useState(config.hotels[0] ?? "");
  const [error, setError] = useState<unknown>(failure);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      signIn(sessionFromToken(await devSignIn(role, hotel.trim()), config.role_claim, config.hotels_claim));
    } catch (problem) {
      setError(problem); // the API's message and request id, as every other error
    }
  };

  return (
    <main id="main" class="sign-in">
      <h1>{t("signIn.title")}</h1>
      {error ? <ErrorNotice error={error} /> : null}
      {config.oidc && (
        <button type="button" class="primary" onClick={() => startSignIn(config.oidc!).catch(setError)}>
          {t("signIn.oidc")}
        </button>
      )}
      {config.dev_sign_in && (
        <form onSubmit={submit} aria-labelledby="dev-sign-in">
          <h2 id="dev-sign-in">{t("signIn.dev")}</h2>
          <p class="muted">{t("signIn.devHint")}</p>
          <label>
            {t("signIn.role")}
            <select name="role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
              <option value="staff">{t("role.staff")}</option>
              <option value="admin">{t("role.admin")}</option>
            </select>
          </label>
          <label>
            {t("signIn.hotel")}
            <input
              name="hotel"
              list="known-hotels"
              required
              pattern="[a-z0-9-]{1,64}"
              value={hotel}
              onInput={(e) => setHotel(e.currentTarget.value)}
            />
            <datalist id="known-hotels">
              {config.hotels.map((h) => (
                <option key={h} value={h} />
              ))}
            </datalist>
          </label>
          <button type="submit" class="primary">
            {t("signIn.submit")}
          </button>
        </form>
      )}
      {!config.oidc && !config.dev_sign_in && <p>{t("signIn.noMethod")}</p>}
    </main>
  );
}
