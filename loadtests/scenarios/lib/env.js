// Reading the run's knobs from __ENV (k6 `-e KEY=VALUE`, or the runner's --rate / --duration).
// Every script reads its defaults through these, so `RATE`, `DURATION` and friends mean the
// same thing everywhere.

/** A number from __ENV[name], or `fallback` when unset or empty; a malformed value throws. */
export const envNumber = (name, fallback) => {
  const raw = __ENV[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name}=${raw} is not a number`);
  return value;
};

/** A comma list of numbers from __ENV[name] (e.g. STEPS=10,20,40), or `fallback`. */
export const envNumbers = (name, fallback) => {
  const raw = __ENV[name];
  if (raw === undefined || raw === "") return fallback;
  const values = raw.split(",").map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((value) => !Number.isFinite(value) || value <= 0))
    throw new Error(`${name}=${raw} is not a comma list of positive numbers`);
  return values;
};

/** Seconds in a k6 duration ("500ms", "20s", "1m30s", "1h") or a bare number of seconds. */
export const parseSeconds = (text) => {
  const raw = String(text).trim();
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw);
  const units = { ms: 0.001, s: 1, m: 60, h: 3600 };
  let seconds = 0;
  let rest = raw;
  while (rest.length > 0) {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!match) throw new Error(`"${text}" is not a duration such as 20s, 1m30s or 500ms`);
    seconds += Number(match[1]) * units[match[2]];
    rest = rest.slice(match[0].length);
  }
  return seconds;
};

/** Seconds from a duration in __ENV[name], or `fallback` (seconds) when unset. */
export const envSeconds = (name, fallback) => {
  const raw = __ENV[name];
  return raw === undefined || raw === "" ? fallback : parseSeconds(raw);
};

/** A k6 duration string for a number of seconds (whole milliseconds). */
export const duration = (seconds) => `${Math.max(0, Math.round(seconds * 1000))}ms`;

/**
 * `rate` + `timeUnit` for an arrival-rate executor from iterations per second: k6 wants an
 * integer rate, so a fractional one (rename at 0.25/s) is expressed per minute.
 */
export const arrival = (perSecond) => {
  if (!(perSecond > 0)) throw new Error(`an arrival rate must be positive, got ${perSecond}`);
  if (Number.isInteger(perSecond)) return { rate: perSecond, timeUnit: "1s" };
  return { rate: Math.max(1, Math.round(perSecond * 60)), timeUnit: "1m" };
};

/**
 * The fault window the report injects (FAULT_AT / FAULT_FOR, seconds from the scenarios' start),
 * or null when the run has none. The scripts only tag by it; they never cause the fault.
 */
export const faultWindow = () => {
  const at = envSeconds("FAULT_AT", -1);
  const length = envSeconds("FAULT_FOR", -1);
  if (at < 0 && length < 0) return null;
  if (at < 0 || length <= 0) throw new Error("FAULT_AT and FAULT_FOR go together (seconds from the scenarios' start)");
  return { at, length, end: at + length };
};

/** before | during | after the fault window for a moment `elapsedS` seconds into the scenarios. */
export const phaseAt = (window, elapsedS) => {
  if (!window || elapsedS < window.at) return "before";
  return elapsedS < window.end ? "during" : "after";
};
