export { startCpuSampler, type CpuSample, type CpuSampler, type CpuTarget } from "./cpuSampler.js";
export { currentStorePid, DATA_STORES, ensureDataStores, parseStackStatus, pidFileOf, type DataStore } from "./dataStores.js";
export { deciderSpec, emittedEvent, emittedEvents, refusedFields } from "./deciderSpec.js";
export { dropNamespace } from "./namespaceCleanup.js";
export {
  CONTEXTS,
  dropPlatformNamespace,
  PlatformStartError,
  startPlatform,
  type ContextName,
  type Platform,
  type PlatformOptions,
  type ProcessEvent,
} from "./platform.js";
export { cpuTicksOf, parseProcStat, processTree, ProcStatParseError, readAllProcStats, readProcStat, type ProcStat } from "./procStat.js";
export { freePort, runProcess, startProcess, type RunningProcess } from "./processes.js";
export { repoRoot } from "./repoRoot.js";
export { CLUSTER_NODES, clusterStack, connectStoresNats, stack, stackNatsPassword, storesEnv, uniqueName, type Stores } from "./stack.js";
export { openTestStores, type KeyspaceSchema, type TestStores } from "./testStores.js";
export { waitFor } from "./waitFor.js";
