// Ids the scripts make up themselves (Idempotency-Keys, unique SKUs and emails).

const hex = (n) => n.toString(16).padStart(2, "0");

/** A random RFC 9562 version-4 UUID from Math.random, for k6 builds without crypto.randomUUID. */
const uuidFromMathRandom = () => {
  const bytes = Array.from({ length: 16 }, () => Math.floor(Math.random() * 256));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const h = bytes.map(hex).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/** A random version-4 UUID: crypto.randomUUID where the platform has it (k6 ≥ 0.48, Node). */
export const uuid = () => (typeof crypto !== "undefined" && crypto && typeof crypto.randomUUID === "function" ? crypto.randomUUID() : uuidFromMathRandom());

/** A short token unique to this run, so SKUs and emails of two runs never collide. */
export const runToken = () => `${Date.now().toString(36)}${uuid().slice(0, 6)}`;
