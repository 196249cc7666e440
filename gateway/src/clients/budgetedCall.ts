import { callUnary, type UnaryMethod } from "@bazaar/runtime";
import type { Metadata } from "@grpc/grpc-js";
import { remainingBudgetMs } from "../http/requestBudget.js";

/**
 * Turns a generated unary method into a client call whose gRPC deadline is what is left of the
 * request's time budget, at most `timeoutMs`: the one way every gateway client calls downstream.
 */
export const budgetedCall =
  (timeoutMs: number) =>
  <Req, Res>(method: UnaryMethod<Req, Res>) =>
  (request: Req, metadata: Metadata): Promise<Res> =>
    callUnary(method, request, { timeoutMs: remainingBudgetMs(timeoutMs), metadata });
