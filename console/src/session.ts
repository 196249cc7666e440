/**
 * The bearer token the console calls with, kept for this browser tab only (sessionStorage):
 * closing the tab signs out.
 */
const KEY = "bazaar.console.token";

export const session = {
  token: (): string | undefined => sessionStorage.getItem(KEY) ?? undefined,
  signIn: (token: string) => sessionStorage.setItem(KEY, token.trim()),
  signOut: () => sessionStorage.removeItem(KEY),
};

/** What the gateway lets this page offer: the development token only in development mode. */
export const fetchSessionOptions = async (): Promise<{ devToken: boolean }> => {
  const response = await fetch("/console/session.json");
  return response.ok ? ((await response.json()) as { devToken: boolean }) : { devToken: false };
};

export const fetchDevToken = async (): Promise<string> => {
  const response = await fetch("/console/dev-token", { method: "POST" });
  if (!response.ok) throw new Error(`no development token (${response.status})`);
  return ((await response.json()) as { token: string }).token;
};
