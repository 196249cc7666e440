import { eventStoreContract } from "./contract.js";
import { createMemoryEventStore } from "./memoryEventStore.js";

eventStoreContract("in memory", async (options) => createMemoryEventStore(options));
