import { NotFoundError } from "@bazaar/core";
import type { Response } from "express";
import { principalOf, type Principal } from "./auth.js";

/**
 * Object-level authorization: whose customer data a principal may touch. Scopes say what kind
 * of operation a token may run; this says on which customer. An end user's token names the
 * customer it acts for (`customer_id`); a `staff` token acts for every customer.
 *
 * Refusals: where the request itself names the customer (a path's customer id, an order's
 * `customerId`), 403 — the answer does not depend on whether that customer exists, so it tells
 * nothing. Where ownership is only learned by reading the resource (an order or a saga by its
 * id), 404, exactly as if it did not exist: another customer's order ids are not confirmed.
 */

/** 403: the token does not act for the customer the request names. */
export class ForbiddenError extends Error {
  override name = "ForbiddenError";
}

export const STAFF_SCOPE = "staff";

const isStaff = (principal: Principal | undefined) => principal?.scopes.includes(STAFF_SCOPE) ?? false;

/** Whether the request's principal may read and change `customerId`'s data. */
export const actsFor = (res: Response, customerId: string): boolean => {
  const principal = principalOf(res);
  return isStaff(principal) || (principal?.customerId !== undefined && principal.customerId === customerId);
};

/** Throws ForbiddenError (403) unless the principal acts for the customer the request names. */
export const requireActsFor = (res: Response, customerId: string): void => {
  if (!actsFor(res, customerId)) throw new ForbiddenError(`this token does not act for customer ${customerId}`);
};

/** True for staff: they need no lookup of a resource's owner. */
export const actsForEveryone = (res: Response): boolean => isStaff(principalOf(res));

/** Throws NotFoundError (404, as if absent) unless the principal acts for the owner found. */
export const requireOwnerFound = (res: Response, owner: string | undefined, what: string): void => {
  if (owner === undefined || !actsFor(res, owner)) throw new NotFoundError(`${what} not found`);
};
