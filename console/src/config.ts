/**
 * What the deployment tells the console at run time (`config.json` beside index.html): the
 * API's address and how to sign in. Local mode writes it with the development sign-in on;
 * an AWS build's never has it.
 */
export interface OidcConfig {
  issuer: string;
  client_id: string;
  scope: string;
}

export interface ConsoleConfig {
  api_base: string;
  oidc: OidcConfig | null;
  dev_sign_in: boolean;
  hotels: string[];
  /** The claims naming the role and the hotels, as the API reads them. */
  role_claim: string;
  hotels_claim: string;
}

export function parseConfig(raw: unknown): ConsoleConfig {
  const value = (raw ?? {}) as Partial<ConsoleConfig>;
  const oidc = value.oidc;
  return {
    api_base: typeof value.api_base === "string" ? value.api_base : "",
    oidc:
      oidc && typeof oidc.issuer === "string" && typeof oidc.client_id === "string"
        ? { issuer: oidc.issuer, client_id: oidc.client_id, scope: oidc.scope || "openid" }
        : null,
    dev_sign_in: value.dev_sign_in === true,
    hotels: Array.isArray(value.hotels) ? value.hotels.filter((h) => typeof h === "string") : [],
    role_claim: typeof value.role_claim === "string" ? value.role_claim : "role",
    hotels_claim: typeof value.hotels_claim === "string" ? value.hotels_claim : "hotels",
  };
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch(new URL("config.json", document.baseURI), { cache: "no-store" });
  return parseConfig(response.ok ? await response.json() : {});
}
