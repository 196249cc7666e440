/**
 * An aggregate as three pure functions: no clock, no ids, no I/O.
 * Time and ids arrive inside the command.
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** Folds a history into the state it leads to. */
export const fold = <Command, Event, State>(decider: Decider<Command, Event, State>, events: Iterable<Event>): State => {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
};
