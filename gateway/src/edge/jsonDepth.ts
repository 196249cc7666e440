/** Deeper JSON than any route's schema accepts (the deepest, a product, is 3 levels). */
export const MAX_JSON_DEPTH = 16;

/**
 * How deeply `value` nests, counted without recursion and stopping past `limit`: a body of
 * 30 000 nested arrays fits in 64 kb, and every recursive walk over it (the Idempotency-Key
 * fingerprint's canonical JSON, a logger's serializer) would overflow the stack — a 500.
 */
export const exceedsDepth = (value: unknown, limit = MAX_JSON_DEPTH): boolean => {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth] = next;
    if (node === null || typeof node !== "object") continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(node as Record<string, unknown>)) pending.push([child, depth + 1]);
  }
  return false;
};
