import { render } from "preact";
import { finishSignIn } from "./auth/pkce";
import { sessionFromToken, signIn } from "./auth/session";
import { loadConfig } from "./config";
import { preferredLanguage, setLanguage } from "./i18n";
import "./styles.css";
import { App } from "./ui/App";

async function start(): Promise<void> {
  setLanguage(preferredLanguage(navigator.languages));
  const config = await loadConfig();
  let failure: unknown = null;
  if (config.oidc) {
    const here = new URL(window.location.href);
    try {
      const token = await finishSignIn(config.oidc, here);
      if (token) signIn(sessionFromToken(token, config.role_claim, config.hotels_claim));
    } catch (problem) {
      failure = problem;
    }
    if (here.searchParams.has("code") || here.searchParams.has("error")) {
      // The code is single-use, but it must not stay in the address bar or the history.
      window.history.replaceState(null, "", `${here.pathname}${here.hash || "#/calls"}`);
    }
  }
  render(<App config={config} failure={failure} />, document.getElementById("app")!);
}

void start();
