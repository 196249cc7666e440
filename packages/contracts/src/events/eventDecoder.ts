import { ValidationError, type EventEnvelope } from "@bazaar/core";

type Stored = Pick<EventEnvelope, "type" | "data">;

/**
 * A context's one typed decode of its own events, stored or published: its command handlers'
 * folds, its projector and its history all read events through it, so nothing inside the
 * context casts event data.
 */
export interface EventDecoder<Event extends { type: string }> {
  isType: (type: string) => type is Event["type"];
  /** The event; a ValidationError naming the field when the type is not one of these or the body does not decode. */
  decode: (stored: Stored) => Event;
  /** As `decode`, but undefined for a type this version does not know (a newer writer's): a read model steps over it. */
  decodeKnown: (stored: Stored) => Event | undefined;
}

/**
 * The decoder of a context's events of `types`: `fromBody` reads one known type's body (through
 * the generated contract for a public event); `what` names the events in a refusal ("a catalog event").
 */
export const eventDecoder = <Event extends { type: string }>(
  what: string,
  types: readonly Event["type"][],
  fromBody: (type: Event["type"], body: unknown) => Event,
): EventDecoder<Event> => {
  const known: ReadonlySet<string> = new Set(types);
  const isType = (type: string): type is Event["type"] => known.has(type);
  return {
    isType,
    decode: (stored) => {
      if (!isType(stored.type)) throw new ValidationError([{ field: "type", message: `${stored.type} is not ${what}` }]);
      return fromBody(stored.type, stored.data);
    },
    decodeKnown: (stored) => (isType(stored.type) ? fromBody(stored.type, stored.data) : undefined),
  };
};
