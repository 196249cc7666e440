import { ValidationError, type FieldViolation } from "./errors.js";
import { isUuid, NOT_A_UUID } from "./ids.js";

/** Collects every field violation of an input, so a caller hears all of them at once (its functions may be taken apart). */
export interface Violations {
  /** Records `message` under `field` unless `ok`. */
  check: (ok: boolean, field: string, message: string) => void;
  /** Records a violation unconditionally. */
  add: (field: string, message: string) => void;
  /** The id in lower case; a violation is recorded when it is not a UUID (see parseId). */
  id: (value: string, field: string) => string;
  /** Throws a ValidationError with every violation recorded so far, in order; nothing when none. */
  throwIfAny: () => void;
}

export const createViolations = (): Violations => {
  const recorded: FieldViolation[] = [];
  const add = (field: string, message: string) => void recorded.push({ field, message });
  return {
    add,
    check: (ok, field, message) => {
      if (!ok) add(field, message);
    },
    id: (value, field) => {
      if (!isUuid(value)) add(field, NOT_A_UUID);
      return value.toLowerCase();
    },
    throwIfAny: () => {
      if (recorded.length > 0) throw new ValidationError([...recorded]);
    },
  };
};

/** Runs `rules` against a fresh collector and throws what they found; otherwise returns their result. */
export const collectViolations = <T>(rules: (violations: Violations) => T): T => {
  const violations = createViolations();
  const result = rules(violations);
  violations.throwIfAny();
  return result;
};
