export * from "./decider.js";
export * from "./errors.js";
export * from "./events.js";
export * from "./concurrency.js";
