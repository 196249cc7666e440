import { createViolations, isUuid } from "@bazaar/core";
import { MAX_QUANTITY, quantityProblem } from "./quantities.js";

export interface ReservationLine {
  productId: string;
  quantity: number;
}

export const MAX_LINES = 100;

/**
 * Checks an order's lines (every violation named by its field) and returns them canonical:
 * product ids lower-case, duplicates merged, sorted by product id — the order in which stock is
 * taken, so two orders never keep retrying against each other.
 */
export const normalizeLines = (lines: readonly ReservationLine[]): ReservationLine[] => {
  const violations = createViolations();
  violations.check(lines.length > 0, "lines", "must have at least one line");
  violations.check(lines.length <= MAX_LINES, "lines", `must have at most ${MAX_LINES} lines`);
  const merged = new Map<string, number>();
  lines.forEach((line, index) => {
    const idOk = isUuid(line.productId);
    violations.check(idOk, `lines[${index}].productId`, "must be a UUID");
    const problem = quantityProblem(line.quantity);
    if (problem) violations.add(`lines[${index}].quantity`, problem);
    if (idOk && !problem) {
      const productId = line.productId.toLowerCase();
      merged.set(productId, (merged.get(productId) ?? 0) + line.quantity);
    }
  });
  for (const [productId, quantity] of merged) {
    violations.check(quantity <= MAX_QUANTITY, "lines", `product ${productId}: total quantity must be at most ${MAX_QUANTITY}`);
  }
  violations.throwIfAny();
  return [...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([productId, quantity]) => ({ productId, quantity }));
};
