export { deciderSpec } from "./deciderSpec.js";
export { freePort, startProcess, type RunningProcess } from "./processes.js";
export { stack, uniqueName } from "./stack.js";
export { waitFor } from "./waitFor.js";
