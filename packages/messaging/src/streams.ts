import { nanos } from "@nats-io/transport-node";
import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager } from "@nats-io/jetstream";

export interface StreamSettings {
  name: string;
  subjects: readonly string[];
  /** How long JetStream remembers a Nats-Msg-Id to drop a republished duplicate. */
  duplicateWindowMs: number;
  /**
   * Copies of every message (JetStream `num_replicas`: 1 on one server, 3 in a 3-node cluster,
   * where a message is acknowledged once a majority stored it). Unset: a new stream gets 1 and
   * an existing one keeps what it has — so a process that only reads a stream (another context,
   * the CLI) never scales it down.
   */
  replicas?: number | undefined;
}

/** Creates the stream, or updates subjects, dedupe window (and replicas, when given) of an existing one. */
export const ensureStream = async (jsm: JetStreamManager, settings: StreamSettings): Promise<void> => {
  const config = {
    name: settings.name,
    subjects: [...settings.subjects],
    duplicate_window: nanos(settings.duplicateWindowMs),
    ...(settings.replicas === undefined ? {} : { num_replicas: settings.replicas }),
  };
  try {
    // update() merges into the stream's current config: what is not given stays.
    await jsm.streams.info(settings.name);
    await jsm.streams.update(settings.name, config);
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
    await jsm.streams.add(config);
  }
};

/** A stream's replicas, or undefined when it does not exist (yet). */
export const streamReplicas = async (jsm: JetStreamManager, name: string): Promise<number | undefined> => {
  try {
    return (await jsm.streams.info(name)).config.num_replicas;
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return undefined;
    throw error;
  }
};
