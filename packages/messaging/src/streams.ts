import { nanos } from "@nats-io/transport-node";
import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager } from "@nats-io/jetstream";

export interface StreamSettings {
  name: string;
  subjects: readonly string[];
  /** How long JetStream remembers a Nats-Msg-Id to drop a republished duplicate. */
  duplicateWindowMs: number;
}

/** Creates the stream, or updates subjects and dedupe window of an existing one. */
export const ensureStream = async (jsm: JetStreamManager, settings: StreamSettings): Promise<void> => {
  const config = {
    name: settings.name,
    subjects: [...settings.subjects],
    duplicate_window: nanos(settings.duplicateWindowMs),
  };
  try {
    await jsm.streams.info(settings.name);
    await jsm.streams.update(settings.name, config);
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
    await jsm.streams.add(config);
  }
};
