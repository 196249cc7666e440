import { useEffect, useState } from "preact/hooks";
import { fetchDevToken, fetchSessionOptions } from "../session.js";

/** Paste a bearer token; in development mode only, or take the gateway's development token. */
export const SignIn = ({ onSignIn }: { onSignIn: (token: string) => void }) => {
  const [token, setToken] = useState("");
  const [devToken, setDevToken] = useState(false);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    fetchSessionOptions().then(
      (options) => setDevToken(options.devToken),
      () => setDevToken(false),
    );
  }, []);
  const submit = (event: Event) => {
    event.preventDefault();
    if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token.trim())) {
      setError("A bearer token is a JWT: three base64url parts separated by dots.");
      return;
    }
    onSignIn(token.trim());
  };
  return (
    <section class="sign-in">
      <h1>Sign in</h1>
      <form onSubmit={submit}>
        <div class="field">
          <label for="token">Bearer token</label>
          <textarea
            id="token"
            rows={4}
            value={token}
            aria-invalid={error ? "true" : undefined}
            aria-describedby={error ? "token-error" : undefined}
            onInput={(event) => setToken(event.currentTarget.value)}
          />
          {error ? (
            <p class="field-error" id="token-error">
              {error}
            </p>
          ) : null}
        </div>
        <button type="submit">Sign in</button>
      </form>
      {devToken ? (
        <div class="dev-token">
          <p>Development mode: the gateway can sign a staff token for this tab.</p>
          <button type="button" onClick={() => fetchDevToken().then(onSignIn, (failure: unknown) => setError(String(failure)))}>
            Use the development token
          </button>
        </div>
      ) : null}
    </section>
  );
};
