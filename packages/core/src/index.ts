export * from "./decider.js";
export * from "./errors.js";
export * from "./events.js";
export * from "./concurrency.js";
export { assertNever } from "./assertNever.js";
export { hashString } from "./hash.js";
export { isUuid, parseId } from "./ids.js";
export { collectViolations, createViolations, type Violations } from "./violations.js";
