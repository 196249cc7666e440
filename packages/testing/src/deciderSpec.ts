import { fold, ValidationError, type Decider } from "@bazaar/core";
import { expect } from "vitest";

/**
 * Given events, when a command, then events (or an error): a decider test reads as the rule it
 * proves.
 */
export const deciderSpec = <Command, Event, State>(decider: Decider<Command, Event, State>) => ({
  given: (history: Event[]) => ({
    when: (command: Command) => {
      const run = () => decider.decide(command, fold(decider, history));
      return {
        then: (expected: Event[]) => expect(run()).toEqual(expected),
        thenThrows: (errorType: abstract new (...args: never[]) => Error, match?: Record<string, unknown>) => {
          let thrown: unknown;
          try {
            run();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(errorType);
          if (match) expect(thrown).toMatchObject(match);
        },
      };
    },
  }),
});

/** The events `decider` emits for `command` after the commands of `history`, each decided in turn: what a contract test encodes. */
export const emittedEvents = <Command, Event, State>(decider: Decider<Command, Event, State>, history: readonly Command[], command: Command): Event[] => {
  const events: Event[] = [];
  for (const earlier of history) events.push(...decider.decide(earlier, fold(decider, events)));
  return decider.decide(command, fold(decider, events));
};

/** The one event `decider` emits for `command` after `history` (a test fails on none or more). */
export const emittedEvent = <Command, Event, State>(decider: Decider<Command, Event, State>, history: readonly Command[], command: Command): Event => {
  const events = emittedEvents(decider, history, command);
  expect(events).toHaveLength(1);
  return events[0]!;
};

/** The fields a ValidationError thrown by `run` names, in order; none when `run` does not throw. Any other error is thrown on. */
export const refusedFields = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.violations.map((v) => v.field);
    throw error;
  }
  return [];
};
