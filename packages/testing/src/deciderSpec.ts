import { fold, type Decider } from "@bazaar/core";
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
