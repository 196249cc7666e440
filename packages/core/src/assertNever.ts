/**
 * The end of a switch over a union: the call compiles only when every variant is handled, so a
 * new command or event type is an error where it is not yet handled.
 */
export const assertNever = (value: never): never => {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
};
