import { ValidationError, type FieldViolation } from "@bazaar/core";
import { MAX_QUANTITY, quantityProblem } from "./quantities.js";

export interface ReservationLine {
  productId: string;
  quantity: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_LINES = 100;

export const isUuid = (value: string): boolean => UUID.test(value);

/**
 * Checks an order's lines (every violation named by its field) and returns them canonical:
 * product ids lower-case, duplicates merged, sorted by product id — the order in which stock is
 * taken, so two orders never keep retrying against each other.
 */
export const normalizeLines = (lines: readonly ReservationLine[]): ReservationLine[] => {
  const violations: FieldViolation[] = [];
  if (lines.length === 0) violations.push({ field: "lines", message: "must have at least one line" });
  if (lines.length > MAX_LINES) violations.push({ field: "lines", message: `must have at most ${MAX_LINES} lines` });
  const merged = new Map<string, number>();
  lines.forEach((line, index) => {
    const idOk = isUuid(line.productId);
    if (!idOk) violations.push({ field: `lines[${index}].productId`, message: "must be a UUID" });
    const problem = quantityProblem(line.quantity);
    if (problem) violations.push({ field: `lines[${index}].quantity`, message: problem });
    if (idOk && !problem) {
      const productId = line.productId.toLowerCase();
      merged.set(productId, (merged.get(productId) ?? 0) + line.quantity);
    }
  });
  for (const [productId, quantity] of merged) {
    if (quantity > MAX_QUANTITY) violations.push({ field: "lines", message: `product ${productId}: total quantity must be at most ${MAX_QUANTITY}` });
  }
  if (violations.length > 0) throw new ValidationError(violations);
  return [...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([productId, quantity]) => ({ productId, quantity }));
};
