/**
 * The signed-in person, kept in memory only: a reload signs them out, and no token ever
 * reaches localStorage, sessionStorage or a URL that stays in the history.
 */
export type Role = "admin" | "staff" | "service";

export interface Session {
  token: string;
  subject: string;
  role: Role;
  hotels: string[];
  expiresAt: number;
}

/** What the UI needs from a token's claims. The API verifies the signature; we only read. */
export function sessionFromToken(token: string, roleClaim = "role", hotelsClaim = "hotels"): Session {
  const parts = token.split(".");
  if (parts.length !== 3) throw new Error("not a JWT");
  const claims = JSON.parse(base64UrlDecode(parts[1])) as Record<string, unknown>;
  const roles = Array.isArray(claims[roleClaim]) ? claims[roleClaim] : [claims[roleClaim]];
  const role = (roles as unknown[]).find((r): r is Role => r === "admin" || r === "staff" || r === "service");
  if (!role) throw new Error("the token carries no known role");
  const rawHotels = claims[hotelsClaim];
  const hotels = typeof rawHotels === "string" ? rawHotels.split(" ") : Array.isArray(rawHotels) ? rawHotels.map(String) : [];
  return {
    token,
    subject: typeof claims.sub === "string" ? claims.sub : "unknown",
    role,
    hotels,
    expiresAt: typeof claims.exp === "number" ? claims.exp * 1000 : Date.now() + 3600_000,
  };
}

export function base64UrlDecode(text: string): string {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(text.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

let current: Session | null = null;
const listeners = new Set<() => void>();

export function session(): Session | null {
  if (current && current.expiresAt <= Date.now()) current = null;
  return current;
}

export function signIn(next: Session): void {
  current = next;
  listeners.forEach((notify) => notify());
}

export function signOut(): void {
  current = null;
  listeners.forEach((notify) => notify());
}

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
