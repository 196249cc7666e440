/** One call a scripted client received: `client.method` and its first argument (the request). */
export interface RecordedCall {
  call: string;
  request: unknown;
}

type Method = (request: never, ...rest: never[]) => Promise<unknown>;
/** The names of `T`'s async methods (what a test can script). */
export type ScriptableMethod<T> = { [K in keyof T]: T[K] extends Method ? K : never }[keyof T] & string;
type RequestOf<T, K extends keyof T> = T[K] extends (request: infer Q, ...rest: never[]) => Promise<unknown> ? Q : never;
type ResponseOf<T, K extends keyof T> = T[K] extends (...args: never[]) => Promise<infer R> ? R : never;

/** What a scripted method does on each later call: answer this, answer what the test computes, or fail. */
type Script = { answer: (request: unknown) => unknown } | { error: Error };

export interface ScriptedClient<T> {
  /** The stand-in, typed as the real client. Unscripted methods fail, naming the call. */
  readonly client: T;
  /** Every later call of `method` answers `response`, or what `response(request)` returns. */
  answer<K extends ScriptableMethod<T>>(method: K, response: ResponseOf<T, K> | ((request: RequestOf<T, K>) => ResponseOf<T, K>)): void;
  /** Every later call of `method` fails with `error`. */
  fail(method: ScriptableMethod<T>, error: Error): void;
  /** Forgets every script. */
  reset(): void;
}

/** The error an unscripted call fails with: a test that forgot a script fails saying which. */
export class UnscriptedCallError extends Error {
  constructor(call: string) {
    super(`no answer scripted for ${call}`);
    this.name = "UnscriptedCallError";
  }
}

/**
 * A client that knows nothing: each method answers what the test scripted for it and records the
 * call in `calls` (shared, so a test sees the order across clients). It holds no state and no
 * rule of the service it stands for, so a test through it tests its caller only. `close` is a no-op.
 */
export const createScriptedClient = <T extends object>(name: string, calls: RecordedCall[]): ScriptedClient<T> => {
  const scripts = new Map<string, Script>();
  const methods = new Map<string, (request: unknown) => Promise<unknown>>();
  const method = (key: string) => {
    const existing = methods.get(key);
    if (existing) return existing;
    const call = `${name}.${key}`;
    const created = async (request: unknown) => {
      calls.push({ call, request });
      const script = scripts.get(key);
      if (!script) throw new UnscriptedCallError(call);
      if ("error" in script) throw script.error;
      return script.answer(request);
    };
    methods.set(key, created);
    return created;
  };
  // A Proxy, so the fake follows the client interfaces without repeating their method lists.
  const client = new Proxy({} as T, {
    get: (_target, key) => {
      if (key === "close") return () => {};
      // Not a thenable: `await client` must not call a method.
      if (typeof key !== "string" || key === "then") return undefined;
      return method(key);
    },
  });
  return {
    client,
    answer(key, response) {
      scripts.set(key, { answer: typeof response === "function" ? (response as (request: unknown) => unknown) : () => response });
    },
    fail(key, error) {
      scripts.set(key, { error });
    },
    reset() {
      scripts.clear();
    },
  };
};
