import { isBazaarError, TimeoutError } from "@bazaar/core";
import CircuitBreaker from "opossum";
import type { Registry } from "prom-client";
import { retry } from "../retry.js";
import { createBulkhead, type Bulkhead } from "./bulkhead.js";
import { createResilienceMetrics } from "./resilienceMetrics.js";
import { BudgetSpentError, BulkheadFullError, CircuitOpenError, isClientError, isTransient, wasNotAttempted } from "./resilienceErrors.js";

/** How every downstream call is guarded; one set for all (service, method) pairs. */
export interface ResilienceSettings {
  /** A call slower than this fails (TimeoutError) and counts against the breaker. Keep it ≥ the gRPC deadline. */
  timeoutMs: number;
  /** The breaker opens when more than this % of the calls in the rolling window failed… */
  errorThresholdPercentage: number;
  /** …and the window holds at least this many calls. */
  volumeThreshold: number;
  /** Length of the rolling window the error rate is measured over. */
  rollingWindowMs: number;
  /** How long an open breaker refuses calls before letting one probe through (half-open). */
  resetTimeoutMs: number;
  /** Retries after the first attempt, for idempotent calls failing with unavailable/timeout only. */
  maxRetries: number;
  /** Backoff before retry n is uniform in [0, min(backoffMaxMs, backoffBaseMs · 2ⁿ)). */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Calls in flight per service; the excess is refused at once (BulkheadFullError → 503). */
  bulkheadLimit: number;
}

export const DEFAULT_RESILIENCE_SETTINGS: ResilienceSettings = {
  timeoutMs: 6000,
  errorThresholdPercentage: 50,
  volumeThreshold: 10,
  rollingWindowMs: 10_000,
  resetTimeoutMs: 5000,
  maxRetries: 2,
  backoffBaseMs: 50,
  backoffMaxMs: 1000,
  bulkheadLimit: 64,
};

export type BreakerState = "closed" | "half-open" | "open";

/** What `/readyz` can show: every breaker and bulkhead the gateway has used so far. */
export interface ResilienceSummary {
  breakers: { service: string; method: string; state: BreakerState; fires: number; failures: number; rejects: number; timeouts: number }[];
  bulkheads: { service: string; inFlight: number; limit: number }[];
}

export interface Resilience {
  /**
   * Runs `call` behind the (service, method) breaker and the bulkhead of the service's `lane`
   * (one per service without); retries only when `idempotent` and only on unavailable/timeout,
   * and never after `signal` aborts. Client errors pass through untouched.
   */
  guard<T>(
    service: string,
    method: string,
    options: { idempotent: boolean; lane?: string; signal?: AbortSignal | undefined },
    call: () => Promise<T>,
  ): Promise<T>;
  states(): ResilienceSummary;
  /** The state of the (service, method) breaker: closed until its first call. */
  breakerState(service: string, method: string): BreakerState;
  /** Stops the breakers' timers (shutdown, tests). */
  close(): void;
}

type Outcome = "success" | "client_error" | "failure" | "timeout" | "short_circuited" | "bulkhead_full";

const STATE_VALUE: Record<BreakerState, number> = { closed: 0, "half-open": 1, open: 2 };

type Action = (call: () => Promise<unknown>) => Promise<unknown>;

const stateOf = (breaker: Pick<CircuitBreaker, "opened" | "halfOpen">): BreakerState => (breaker.opened ? "open" : breaker.halfOpen ? "half-open" : "closed");

const errorCode = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/**
 * Circuit breakers (opossum) per (service, method), a bulkhead per service, retries with full
 * jitter for idempotent calls, and their metrics in `registry`.
 */
export const createResilience = (options: {
  registry: Registry;
  /** Names the metrics after the calling process: `bazaar_gateway` → `bazaar_gateway_breaker_state`, … */
  metricsPrefix: string;
  settings?: Partial<ResilienceSettings>;
  random?: () => number;
  /** What is left of the caller's time budget: no attempt starts, and no retry waits, past it. */
  remainingMs?: () => number;
}): Resilience => {
  const settings: ResilienceSettings = { ...DEFAULT_RESILIENCE_SETTINGS, ...options.settings };
  const random = options.random ?? Math.random;
  const remainingMs = options.remainingMs ?? (() => Number.POSITIVE_INFINITY);
  const metrics = createResilienceMetrics(options.registry, options.metricsPrefix);
  const breakers = new Map<string, { service: string; method: string; breaker: CircuitBreaker<[() => Promise<unknown>], unknown> }>();
  const bulkheads = new Map<string, Bulkhead>();

  const breakerFor = (service: string, method: string) => {
    const key = `${service}/${method}`;
    let entry = breakers.get(key);
    if (!entry) {
      const action: Action = (call) => call();
      const breaker = new CircuitBreaker(action, {
        name: key,
        timeout: settings.timeoutMs,
        errorThresholdPercentage: settings.errorThresholdPercentage,
        volumeThreshold: settings.volumeThreshold,
        rollingCountTimeout: settings.rollingWindowMs,
        resetTimeout: settings.resetTimeoutMs,
        // A filtered error is counted as a success by opossum (the service answered) and is still rejected to the caller.
        errorFilter: (error: unknown) => isClientError(error),
        // Nothing reads latency percentiles or snapshots (states() reads counts; latency is the
        // histogram's): kept, they cost every call a pushed latency and the process a sort of
        // the window's latencies every second per breaker (bench grpc-client, docs/benchmarks.md).
        rollingPercentilesEnabled: false,
        enableSnapshots: false,
      });
      const labels = { service, method };
      metrics.state.set(labels, STATE_VALUE.closed);
      breaker.on("open", () => metrics.state.set(labels, STATE_VALUE.open));
      breaker.on("halfOpen", () => metrics.state.set(labels, STATE_VALUE["half-open"]));
      breaker.on("close", () => metrics.state.set(labels, STATE_VALUE.closed));
      entry = { service, method, breaker };
      breakers.set(key, entry);
    }
    return entry.breaker;
  };

  const bulkheadFor = (service: string) => {
    let bulkhead = bulkheads.get(service);
    if (!bulkhead) {
      bulkhead = createBulkhead(settings.bulkheadLimit);
      bulkheads.set(service, bulkhead);
    }
    return bulkhead;
  };

  /** One attempt through the breaker; opossum's own errors become typed ones. */
  const attempt = async <T>(service: string, method: string, call: () => Promise<T>): Promise<T> => {
    const breaker = breakerFor(service, method);
    const started = performance.now();
    const observe = (outcome: Outcome) => {
      metrics.calls.inc({ service, method, outcome });
      metrics.latency.observe({ service, method, outcome }, (performance.now() - started) / 1000);
    };
    try {
      const result = (await breaker.fire(call)) as T;
      observe("success");
      return result;
    } catch (error) {
      if (errorCode(error) === "EOPENBREAKER") {
        metrics.calls.inc({ service, method, outcome: "short_circuited" });
        throw new CircuitOpenError(`${service} is unavailable: its circuit for ${method} is open`, { cause: error });
      }
      if (!isBazaarError(error) && errorCode(error) === "ETIMEDOUT") {
        observe("timeout");
        throw new TimeoutError(`${service}.${method} did not answer within ${settings.timeoutMs} ms`, { cause: error });
      }
      observe(isClientError(error) ? "client_error" : isBazaarError(error) && error.kind === "timeout" ? "timeout" : "failure");
      throw error;
    }
  };

  return {
    async guard(service, method, { idempotent, lane, signal }, call) {
      const bulkhead = bulkheadFor(lane === undefined ? service : `${service}/${lane}`);
      if (!bulkhead.tryAcquire()) {
        metrics.calls.inc({ service, method, outcome: "bulkhead_full" });
        throw new BulkheadFullError(`${service} is unavailable: bulkhead full (${bulkhead.limit} calls in flight)`);
      }
      // An earlier attempt's failure outranks a later "not attempted": the call may have acted.
      let attempted: unknown;
      const failure = (error: unknown) => (attempted !== undefined && wasNotAttempted(error) ? attempted : error);
      try {
        return await retry(
          async () => {
            if (remainingMs() <= 0) throw new BudgetSpentError(`${service}.${method}: the request's time budget is spent`);
            try {
              return await attempt(service, method, call);
            } catch (error) {
              if (!wasNotAttempted(error)) attempted = error;
              throw error;
            }
          },
          {
            attempts: idempotent ? settings.maxRetries + 1 : 1,
            baseDelayMs: settings.backoffBaseMs,
            maxDelayMs: settings.backoffMaxMs,
            random,
            signal,
            // A retry that could not finish within the budget only delays the answer.
            retryable: (error, next) => isTransient(error) && !(error instanceof BudgetSpentError) && remainingMs() >= next.delayMs + settings.backoffBaseMs,
            onRetry: () => metrics.retries.inc({ service, method }),
          },
        );
      } catch (error) {
        throw failure(error);
      } finally {
        bulkhead.release();
      }
    },

    states() {
      return {
        breakers: [...breakers.values()].map(({ service, method, breaker }) => {
          const stats = breaker.stats;
          return {
            service,
            method,
            state: stateOf(breaker),
            fires: stats.fires,
            failures: stats.failures,
            rejects: stats.rejects,
            timeouts: stats.timeouts,
          };
        }),
        bulkheads: [...bulkheads].map(([service, bulkhead]) => ({ service, inFlight: bulkhead.inFlight, limit: bulkhead.limit })),
      };
    },

    breakerState(service, method) {
      const entry = breakers.get(`${service}/${method}`);
      return entry ? stateOf(entry.breaker) : "closed";
    },
    close() {
      for (const { breaker } of breakers.values()) breaker.shutdown();
    },
  };
};
