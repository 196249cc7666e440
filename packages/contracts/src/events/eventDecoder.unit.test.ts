import { ValidationError } from "@bazaar/core";
import { describe, expect, it } from "vitest";
import { eventDecoder } from "./eventDecoder.js";

type NoteEvent = { type: "notes.Written.v1"; data: { text: string } } | { type: "notes.Erased.v1"; data: Record<string, never> };

const notes = eventDecoder<NoteEvent>("a notes event", ["notes.Written.v1", "notes.Erased.v1"], (type, body): NoteEvent => {
  if (type === "notes.Erased.v1") return { type, data: {} };
  if (typeof (body as { text?: unknown }).text !== "string") throw new ValidationError([{ field: "text", message: "is required" }]);
  return { type, data: { text: (body as { text: string }).text } };
});

describe("a context's event decoder", () => {
  it("decodes the types it knows through its body decoder, and refuses its refusals", () => {
    expect(notes.decode({ type: "notes.Written.v1", data: { text: "hi" } })).toEqual({ type: "notes.Written.v1", data: { text: "hi" } });
    expect(notes.decodeKnown({ type: "notes.Erased.v1", data: {} })).toEqual({ type: "notes.Erased.v1", data: {} });
    expect(() => notes.decodeKnown({ type: "notes.Written.v1", data: {} })).toThrow(ValidationError);
    expect(notes.isType("notes.Written.v1")).toBe(true);
  });

  it("refuses a type it does not know, naming the type field; decodeKnown steps over it", () => {
    expect(() => notes.decode({ type: "notes.Painted.v1", data: {} })).toThrow(
      expect.objectContaining({ violations: [{ field: "type", message: "notes.Painted.v1 is not a notes event" }] }),
    );
    expect(notes.decodeKnown({ type: "notes.Painted.v1", data: {} })).toBeUndefined();
    expect(notes.isType("notes.Painted.v1")).toBe(false);
  });
});
