import fc from "fast-check";

/**
 * fast-check arbitraries for the requests an OpenAPI 3.1 document describes: valid ones drawn
 * from its JSON Schemas, and mutations of them. What the fuzzer knows of the API is what
 * `/openapi.json` says, nothing else, so an operation added to the gateway is fuzzed too.
 */

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
};

export interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: "get" | "post";
  path: string;
  operationId: string;
  parameters: Parameter[];
  body?: JsonSchema;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { operationId: string; parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
  components: { schemas: Record<string, JsonSchema> };
}

/** Every operation of the document. */
export const operationsOf = (document: OpenApiDocument): Operation[] =>
  Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method as "get" | "post",
      path,
      operationId: operation.operationId,
      parameters: operation.parameters ?? [],
      ...(operation.requestBody ? { body: operation.requestBody.content["application/json"]?.schema } : {}),
    })),
  );

/** Values that are well-known troublemakers for parsers, decoders and stores. */
export const nastyStrings = [
  "",
  " ",
  "null",
  "-1",
  "0",
  "1e309",
  "NaN",
  "%",
  "%ZZ",
  "%00",
  "..",
  "../../etc/passwd",
  "\u0000",
  "é",
  "ÿÿÿÿ",
  "a".repeat(3000),
  "[]",
  "{}",
  '{"$gt":""}',
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "${jndi:ldap://x}",
  "2026-02-30T25:61:61Z",
];

/** Strings a fetch header can carry: Latin-1 without control characters (no CR, LF, NUL). */
export const headerString = fc.oneof(
  fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((c) => c !== 0x7f)
      .map((c) => String.fromCharCode(c)),
    maxLength: 300,
  }),
  fc.constantFrom(...nastyStrings.filter((s) => !/[\u0000-\u001f]/.test(s))),
);

/** Any JSON-ish text as a client could send it, including unicode of every plane. */
export const anyString = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: "binary", maxLength: 60 }), fc.constantFrom(...nastyStrings));

const boundedLength = (schema: JsonSchema) => ({
  minLength: schema.minLength ?? 0,
  maxLength: Math.min(schema.maxLength ?? 40, Math.max(schema.minLength ?? 0, 40)),
});

/** Builds arbitraries for schemas of one document; `pools` give realistic values by format (e.g. existing ids for "uuid"). */
export const schemaArbitraries = (components: Record<string, JsonSchema>, pools: { uuid?: () => string[] } = {}) => {
  const resolve = (schema: JsonSchema): JsonSchema => (schema.$ref ? resolve(components[schema.$ref.replace("#/components/schemas/", "")] ?? {}) : schema);

  const stringOf = (schema: JsonSchema): fc.Arbitrary<string> => {
    if (schema.format === "uuid") {
      const known = pools.uuid?.() ?? [];
      const fresh = fc.uuid();
      return known.length > 0
        ? fc.oneof(
            fc.constantFrom(...known),
            fc.constantFrom(...known).map((id) => id.toUpperCase()),
            fresh,
          )
        : fresh;
    }
    if (schema.format === "email") {
      // fc.emailAddress() covers all of RFC 5322; the API accepts the common subset (as most do).
      const word = fc.stringMatching(/^[a-z0-9]{1,12}$/);
      return fc.tuple(word, word, fc.constantFrom("com", "de", "example")).map(([local, domain, tld]) => `${local}@${domain}.${tld}`);
    }
    if (schema.format === "date-time")
      return fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString());
    if (schema.pattern)
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 2000) && s.length >= (schema.minLength ?? 0));
    const { minLength, maxLength } = boundedLength(schema);
    // Trimmed strings that must stay non-empty: start with a letter.
    return minLength > 0
      ? fc.tuple(fc.constantFrom("a", "Z", "m"), fc.string({ maxLength: Math.max(0, maxLength - 1) })).map(([a, b]) => a + b)
      : fc.string({ minLength, maxLength });
  };

  const numberOf = (schema: JsonSchema, integer: boolean): fc.Arbitrary<number> => {
    const min = schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (integer ? 1 : Number.EPSILON) : (schema.minimum ?? -1_000_000);
    const max = schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - (integer ? 1 : Number.EPSILON) : (schema.maximum ?? 1_000_000);
    // Near the bounds most of the time: that is where validation goes wrong.
    const small = integer
      ? fc.integer({ min: Math.max(min, -1_000_000_000), max: Math.min(max, Math.max(min, 0) + 100) })
      : fc.double({ min, max, noNaN: true });
    return fc.oneof(small, fc.constantFrom(min, max).filter(Number.isFinite));
  };

  /** A value the schema accepts. */
  const valid = (given: JsonSchema, depth = 0): fc.Arbitrary<unknown> => {
    const schema = resolve(given);
    if (schema.const !== undefined) return fc.constant(schema.const);
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const alternatives = schema.anyOf ?? schema.oneOf;
    if (alternatives) return fc.oneof(...alternatives.map((s) => valid(s, depth + 1)));
    if (schema.allOf) return valid(Object.assign({}, ...schema.allOf.map(resolve)) as JsonSchema, depth + 1);
    const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
    switch (type) {
      case "string":
        return stringOf(schema);
      case "integer":
        return numberOf(schema, true);
      case "number":
        return numberOf(schema, false);
      case "boolean":
        return fc.boolean();
      case "array":
        return fc.array(valid(schema.items ?? {}, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
      case "object": {
        if (schema.properties) {
          const required = new Set(schema.required ?? []);
          const entries = Object.entries(schema.properties).map(
            ([name, property]) => [name, required.has(name) ? valid(property, depth + 1) : fc.option(valid(property, depth + 1), { nil: undefined })] as const,
          );
          return fc.record(Object.fromEntries(entries)).map((record) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)));
        }
        if (typeof schema.additionalProperties === "object") {
          const keys = schema.propertyNames ? stringOf(resolve(schema.propertyNames)) : fc.string({ minLength: 1, maxLength: 10 });
          return fc.dictionary(keys, valid(schema.additionalProperties, depth + 1), { maxKeys: 3 });
        }
        return fc.constant({});
      }
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  };

  return { valid, resolve };
};

/** One place in a JSON value, by the keys leading to it. */
type Path = (string | number)[];

const pathsOf = (value: unknown, at: Path = []): Path[] => {
  if (value === null || typeof value !== "object") return [at];
  const children = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value as Record<string, unknown>);
  return [at, ...children.flatMap(([key, child]) => pathsOf(child, [...at, key]))];
};

const clone = <T>(value: T): T => structuredClone(value);

const setAt = (
  root: unknown,
  path: Path,
  replace: (current: unknown, parent: Record<string | number, unknown> | undefined, key: string | number | undefined) => unknown,
): unknown => {
  if (path.length === 0) return replace(root, undefined, undefined);
  const copy = clone(root) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const key = path.at(-1)!;
  const next = replace(parent[key], parent, key);
  if (next === DELETE) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else parent[key] = next;
  return copy;
};

const DELETE = Symbol("delete");

/** The kinds of damage `mutated` does to a valid value. */
export type Mutation = "replace" | "delete" | "unknown-key" | "wrong-type" | "huge" | "deep";

/**
 * A valid value damaged in one place: replaced by any JSON, removed, given an unknown key,
 * given a value of another type, blown up, or nested deeply. "unknown-key" and "wrong-type"
 * on an object always make a value every schema of this API refuses (all bodies are strict).
 */
export const mutated = (validValue: fc.Arbitrary<unknown>, kinds: readonly Mutation[] = ["replace", "delete", "unknown-key", "wrong-type", "huge", "deep"]) =>
  fc.tuple(validValue, fc.constantFrom(...kinds), fc.nat(), fc.jsonValue({ maxDepth: 3 }), anyString).map(([value, kind, pick, json, text]) => {
    const paths = pathsOf(value);
    const objectPaths = paths.filter((p) => {
      let node: unknown = value;
      for (const key of p) node = (node as Record<string | number, unknown>)[key];
      return node !== null && typeof node === "object" && !Array.isArray(node);
    });
    switch (kind) {
      case "replace":
        return { kind, value: setAt(value, paths[pick % paths.length]!, () => json) };
      case "delete":
        return { kind, value: paths.length > 1 ? setAt(value, paths[1 + (pick % (paths.length - 1))]!, () => DELETE) : value };
      case "unknown-key":
        return {
          kind,
          value:
            objectPaths.length > 0
              ? setAt(value, objectPaths[pick % objectPaths.length]!, (node) => ({ ...(node as object), [`fuzz_${text.slice(0, 8)}_x`]: json }))
              : { fuzz_x: json },
        };
      case "wrong-type":
        return {
          kind,
          value: setAt(value, paths[pick % paths.length]!, (node) =>
            typeof node === "string" ? pick : typeof node === "number" ? [text] : typeof node === "object" && node !== null ? String(text) : { v: text },
          ),
        };
      case "huge":
        return { kind, value: setAt(value, paths[pick % paths.length]!, () => "x".repeat(10_000 + (pick % 100_000))) };
      case "deep": {
        // Deeper still comes as raw text (deepJsonText): a value this deep is all a stringifier's stack takes.
        const depth = 10 + (pick % 300);
        return { kind, value: setAt(value, paths[pick % paths.length]!, () => JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`) as unknown) };
      }
    }
  });

/** JSON text nested far beyond any schema (and beyond a recursive walker's stack), with a valid body inside or not. */
export const deepJsonText = fc
  .tuple(fc.integer({ min: 17, max: 30_000 }), fc.constantFrom("[", '{"a":'), fc.jsonValue({ maxDepth: 1 }))
  .map(([depth, open, inner]) => {
    const close = open === "[" ? "]" : "}";
    return `${open.repeat(depth)}${JSON.stringify(inner) ?? "null"}${close.repeat(depth)}`;
  });
