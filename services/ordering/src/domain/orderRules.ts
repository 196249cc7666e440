import { createViolations, RuleViolationError } from "@bazaar/core";
import type { OrderLine } from "./orderEvents.js";

export const MAX_LINES = 100;
export const MAX_QUANTITY = 10_000;

/** What an order's lines must be: at least one, positive quantities, one line per product, one currency. */
export const validateLines = (lines: readonly OrderLine[]): void => {
  const violations = createViolations();
  violations.check(lines.length > 0, "lines", "must have at least one line");
  violations.check(lines.length <= MAX_LINES, "lines", `must have at most ${MAX_LINES} lines`);
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    violations.check(
      Number.isSafeInteger(line.quantity) && line.quantity >= 1 && line.quantity <= MAX_QUANTITY,
      `lines[${i}].quantity`,
      `must be an integer from 1 to ${MAX_QUANTITY}`,
    );
    violations.check(!seen.has(line.productId), `lines[${i}].productId`, "appears in more than one line");
    seen.add(line.productId);
  });
  violations.throwIfAny();
  const currencies = new Set(lines.map((line) => line.unitPrice.currency));
  if (currencies.size > 1) throw new RuleViolationError(`an order is priced in one currency; these lines use ${[...currencies].join(", ")}`);
};

export const sameLines = (a: readonly OrderLine[], b: readonly OrderLine[]): boolean => {
  const key = (lines: readonly OrderLine[]) => JSON.stringify([...lines].map((l) => [l.productId, l.quantity]).sort());
  return key(a) === key(b);
};
