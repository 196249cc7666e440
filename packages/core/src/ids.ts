import { ValidationError } from "./errors.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID, in either case. */
export const isUuid = (value: string): boolean => UUID.test(value);

/** The message every edge gives for an id that is not a UUID. */
export const NOT_A_UUID = "must be a UUID";

/**
 * An id as it is stored: a UUID in lower case, its one spelling, so streams, documents and claims
 * agree whatever case the caller sent. Throws a ValidationError naming `field` otherwise.
 */
export const parseId = (value: string, field: string): string => {
  if (!isUuid(value)) throw new ValidationError([{ field, message: NOT_A_UUID }]);
  return value.toLowerCase();
};
