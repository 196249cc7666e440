import { AsyncLocalStorage } from "node:async_hooks";
import { TimeoutError } from "@bazaar/core";
import type { RequestHandler } from "express";

const deadlines = new AsyncLocalStorage<number>();

/**
 * One time budget per request: every downstream call of the request (and every retry) shares
 * it, and each gRPC deadline is what is left of it — so an outage answers 503/504 within the
 * budget instead of one timeout per call and per retry.
 */
export const requestBudget =
  (budgetMs: number): RequestHandler =>
  (_req, _res, next) =>
    deadlines.run(Date.now() + budgetMs, next);

/** What is left of the current request's budget, at most `capMs`; `capMs` outside a request. */
export const remainingBudgetMs = (capMs: number): number => {
  const deadline = deadlines.getStore();
  return deadline === undefined ? capMs : Math.min(capMs, deadline - Date.now());
};

/** Runs `work` outside any request's budget: what must finish whatever the caller's deadline (compensations). */
export const outsideRequestBudget = <T>(work: () => T): T => deadlines.exit(work);

/**
 * `work`'s result, or a TimeoutError (504) once the current request's budget is spent: the answer
 * goes out in time while `work` goes on (a saga finishing or compensating) — its own outcome is
 * found later (a retry with the same Idempotency-Key, `GET /v1/sagas/{id}`). `onLate` hears how
 * work that lost the race ended, so no rejection goes unhandled.
 */
export const withinRequestBudget = <T>(work: Promise<T>, what: string, onLate: (error: unknown) => void): Promise<T> => {
  const deadline = deadlines.getStore();
  if (deadline === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} did not end within the request budget; it goes on`)), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([work, late]).finally(() => {
    clearTimeout(timer);
    work.catch(onLate);
  });
};
