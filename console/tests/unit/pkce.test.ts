import { describe, expect, it } from "vitest";
import { base64Url, challengeOf, finishSignIn } from "../../src/auth/pkce";

class MemoryStorage {
  items = new Map<string, string>();
  getItem(key: string) { return this.items.get(key) ?? null; }
  setItem(key: string, value: string) { this.items.set(key, value); }
  removeItem(key: string) { this.items.delete(key); }
}

const provider = { issuer: "https://id.example.eu", client_id: "hotelvoice-console", scope: "openid" };

function fakeProvider(answer: object, status = 200) {
  const posted: URLSearchParams[] = [];
  const fetcher = (async (url: string, init?: RequestInit) => {
    if (String(url).endsWith("/.well-known/openid-configuration")) {
      return Response.json({ authorization_endpoint: "https://id.example.eu/auth", token_endpoint: "https://id.example.eu/token" });
    }
    posted.push(new URLSearchParams(String(init?.body)));
    return Response.json(answer, { status });
  }) as typeof fetch;
  return { fetcher, posted };
}

describe("PKCE", () => {
  it("computes RFC 7636's S256 challenge (appendix B)", async () => {
    const octets = [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121];
    const verifier = base64Url(Uint8Array.from(octets));
    expect(verifier).toBe("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    expect(await challengeOf(verifier)).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });

  it("trades the code with the stored verifier, once", async () => {
    const storage = new MemoryStorage();
    storage.setItem("hotelvoice.oidc.pending", JSON.stringify({ verifier: "v-123", state: "s-1" }));
    const { fetcher, posted } = fakeProvider({ access_token: "tok" });
    const here = new URL("https://console.example.eu/console/?code=c-9&state=s-1");
    expect(await finishSignIn(provider, here, storage as unknown as Storage, fetcher)).toBe("tok");
    expect(Object.fromEntries(posted[0])).toMatchObject({
      grant_type: "authorization_code",
      code: "c-9",
      code_verifier: "v-123",
      client_id: "hotelvoice-console",
      redirect_uri: "https://console.example.eu/console/",
    });
    expect(storage.getItem("hotelvoice.oidc.pending")).toBeNull();
  });

  it("refuses an answer whose state is not this browser's", async () => {
    const storage = new MemoryStorage();
    storage.setItem("hotelvoice.oidc.pending", JSON.stringify({ verifier: "v", state: "mine" }));
    const { fetcher, posted } = fakeProvider({ access_token: "tok" });
    const here = new URL("https://c.example.eu/console/?code=c&state=theirs");
    await expect(finishSignIn(provider, here, storage as unknown as Storage, fetcher)).rejects.toThrow(/state/);
    expect(posted).toHaveLength(0);
  });

  it("reports the provider's refusal and ignores a normal page load", async () => {
    const storage = new MemoryStorage();
    const { fetcher } = fakeProvider({});
    const denied = new URL("https://c.example.eu/console/?error=access_denied&error_description=Not+allowed");
    await expect(finishSignIn(provider, denied, storage as unknown as Storage, fetcher)).rejects.toThrow("Not allowed");
    expect(await finishSignIn(provider, new URL("https://c.example.eu/console/#/calls"), storage as unknown as Storage, fetcher)).toBeNull();
  });
});
