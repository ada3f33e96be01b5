/**
 * OpenID Connect authorization code flow with PKCE (RFC 7636, S256), for a public client:
 * the browser holds no secret. Only the verifier and state wait in sessionStorage across the
 * redirect; the tokens stay in memory.
 */
import type { OidcConfig } from "../config";

const PENDING_KEY = "hotelvoice.oidc.pending";

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

export function base64Url(bytes: Uint8Array): string {
  let text = "";
  bytes.forEach((b) => (text += String.fromCharCode(b)));
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function randomVerifier(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  return base64Url(random(new Uint8Array(32)));
}

export async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

export async function discover(issuer: string, fetcher: typeof fetch = fetch): Promise<Discovery> {
  const response = await fetcher(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`OpenID discovery failed (HTTP ${response.status})`);
  return (await response.json()) as Discovery;
}

export function redirectUri(location: Location | URL): string {
  return `${location.origin}${location.pathname}`;
}

/** Send the browser to the provider's sign-in page. */
export async function startSignIn(config: OidcConfig, storage: Storage = sessionStorage): Promise<void> {
  const { authorization_endpoint } = await discover(config.issuer);
  const verifier = randomVerifier();
  const state = randomVerifier();
  storage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
  const url = new URL(authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: config.client_id,
    redirect_uri: redirectUri(window.location),
    scope: config.scope,
    state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: "S256",
  }).toString();
  window.location.assign(url.toString());
}

/**
 * Back from the provider: trade the code for tokens, check the state, and take the code out
 * of the address bar. Returns null when this load is not a sign-in callback.
 */
export async function finishSignIn(
  config: OidcConfig,
  location: URL,
  storage: Storage = sessionStorage,
  fetcher: typeof fetch = fetch,
): Promise<string | null> {
  const code = location.searchParams.get("code");
  const error = location.searchParams.get("error");
  if (!code && !error) return null;
  const pending = JSON.parse(storage.getItem(PENDING_KEY) ?? "null") as { verifier: string; state: string } | null;
  storage.removeItem(PENDING_KEY);
  if (error) throw new Error(location.searchParams.get("error_description") ?? error);
  if (!pending || pending.state !== location.searchParams.get("state")) {
    throw new Error("the sign-in answer does not belong to this browser (state mismatch)");
  }
  const { token_endpoint } = await discover(config.issuer, fetcher);
  const response = await fetcher(token_endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: code ?? "",
      redirect_uri: redirectUri(location),
      client_id: config.client_id,
      code_verifier: pending.verifier,
    }).toString(),
  });
  const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
  if (!response.ok || !body.access_token) {
    throw new Error(body.error_description ?? body.error ?? `token endpoint answered HTTP ${response.status}`);
  }
  return body.access_token;
}
