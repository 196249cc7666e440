import { AsyncLocalStorage } from "node:async_hooks";
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
