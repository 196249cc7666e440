import { ValidationError } from "@bazaar/core";
import { fromJson, type DescMessage } from "@bufbuild/protobuf";
import { contractRegistry } from "../descriptors.js";
import {
  integrationEventMessages,
  protoNameOf,
  type IntegrationEvent,
  type IntegrationEventMessage,
  type IntegrationEventType,
} from "./integrationEventMessages.js";

const descriptorOf = (type: IntegrationEventType): DescMessage => {
  const desc = contractRegistry().getMessage(protoNameOf(type));
  if (!desc) throw new Error(`no message ${protoNameOf(type)} in the contracts' descriptors`);
  return desc;
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

const parses = (desc: DescMessage, json: unknown): boolean => {
  try {
    fromJson(desc, json as never);
    return true;
  } catch {
    return false;
  }
};

/**
 * The path of the first value in `json` that does not parse as `desc` (`lines[1].quantity`), so
 * a refusal names the field; the message's own path when the value is not an object at all.
 */
const offendingField = (desc: DescMessage, json: unknown, path: string): { field: string; value: unknown } => {
  if (!isObject(json)) return { field: path, value: json };
  for (const [key, value] of Object.entries(json)) {
    const field = desc.fields.find((f) => f.jsonName === key || f.name === key);
    const here = path ? `${path}.${key}` : key;
    if (!field) return { field: here, value: "(not a field of the contract)" };
    if (parses(desc, { [key]: value })) continue;
    if (field.fieldKind === "message" && field.message && isObject(value)) return offendingField(field.message, value, here);
    if (field.fieldKind === "list" && field.listKind === "message" && Array.isArray(value)) {
      const index = value.findIndex((item) => !parses(field.message, item));
      if (index >= 0) return offendingField(field.message, value[index], `${here}[${index}]`);
    }
    return { field: here, value };
  }
  return { field: path, value: json };
};

/**
 * Decodes an integration event's body with its generated contract, strictly: a key the message
 * does not declare, a value of the wrong type or an enum name it does not know is refused with a
 * ValidationError naming the field (consumers dead-letter it), never defaulted. proto3 has no
 * required fields: what a consumer needs beyond the message's shape it checks itself.
 */
export const decodeIntegrationEvent = <T extends IntegrationEventType>(type: T, body: unknown): IntegrationEventMessage<T> => {
  const desc = descriptorOf(type);
  try {
    fromJson(desc, body as never);
  } catch (error) {
    const { field, value } = offendingField(desc, body, "");
    throw new ValidationError([
      { field: field || "data", message: `${type}: ${JSON.stringify(value) ?? String(value)} does not decode (${(error as Error).message})` },
    ]);
  }
  return integrationEventMessages[type].fromJSON(body);
};

/** Each type of T with the data its message decodes to: one member per type, so a union of types stays correlated. */
export type DecodedEvent<T extends IntegrationEventType> = T extends IntegrationEventType ? { type: T; data: IntegrationEventMessage<T> } : never;

/**
 * The event whose data is its message as decoded from `body` (see decodeIntegrationEvent): one
 * case arm serves every type a context keeps in its message's shape.
 */
export const decodedEvent = <T extends IntegrationEventType>(type: T, body: unknown): DecodedEvent<T> =>
  // The compiler does not follow one generic T through a conditional type; per member it is the pair above.
  ({ type, data: decodeIntegrationEvent(type, body) }) as DecodedEvent<T>;

/** The body an integration event is published with: its message in proto3 JSON (the generated `toJSON`). */
export const encodeIntegrationEvent = <T extends IntegrationEventType>(type: T, message: IntegrationEventMessage<T>): Record<string, unknown> => {
  const body = integrationEventMessages[type].toJSON(message);
  if (!isObject(body)) throw new Error(`${type} did not encode to a JSON object`);
  return body;
};

/**
 * The published body of an event whose data has its message's shape: a context's domain event
 * union passes as a whole, and the compiler checks each of its members against its own message.
 */
export const encodeEvent = (event: IntegrationEvent): Record<string, unknown> => encodeIntegrationEvent(event.type, event.data);

/**
 * A message field a consumer needs: proto3 cannot mark it required, so a body without it
 * decodes with the field absent, and the consumer refuses it here, naming the field.
 */
export const requiredField = <Value>(value: Value | undefined, field: string): Value => {
  if (value === undefined) throw new ValidationError([{ field, message: "is required" }]);
  return value;
};
