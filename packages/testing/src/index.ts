export { deciderSpec } from "./deciderSpec.js";
export { freePort, runProcess, startProcess, type RunningProcess } from "./processes.js";
export { stack, uniqueName } from "./stack.js";
export { waitFor } from "./waitFor.js";
