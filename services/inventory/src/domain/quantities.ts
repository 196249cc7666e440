import { ValidationError } from "@bazaar/core";

/** The largest quantity one command may move: keeps sums far from unsafe integers. */
export const MAX_QUANTITY = 1_000_000_000;

/** Why a quantity is unacceptable, or undefined when it is a positive integer within bounds. */
export const quantityProblem = (quantity: number): string | undefined => {
  if (!Number.isSafeInteger(quantity) || quantity <= 0) return "must be a positive integer";
  if (quantity > MAX_QUANTITY) return `must be at most ${MAX_QUANTITY}`;
  return undefined;
};

export const requireQuantity = (quantity: number, field = "quantity"): void => {
  const problem = quantityProblem(quantity);
  if (problem) throw new ValidationError([{ field, message: problem }]);
};
