import { Metadata } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";

/** Everything one logger wrote, line by line. */
const capture = () => {
  const lines: string[] = [];
  const logger = createLogger("redaction-test", {}, { write: (line: string) => void lines.push(line) });
  return { logger, text: () => lines.join("") };
};

describe("log redaction", () => {
  it("never writes an authorization header, a token or a body", () => {
    const { logger, text } = capture();
    logger.info(
      {
        req: {
          method: "POST",
          url: "/v1/customers",
          headers: { authorization: "Bearer eyJhbGciOi.secret.sig", "x-correlation-id": "c-1" },
          body: { email: "ada@example.com" },
        },
      },
      "request",
    );
    logger.info({ token: "eyJhbGciOi.secret.sig" }, "a token");
    logger.warn({ body: { name: "Ada Lovelace" } }, "a body");
    expect(text()).not.toMatch(/eyJhbGciOi|ada@example\.com|Ada Lovelace/);
    expect(text()).toContain("c-1");
    expect(text()).toContain("[redacted]");
  });

  it("never writes the metadata of a client error", () => {
    const { logger, text } = capture();
    const metadata = new Metadata();
    metadata.set("authorization", "Bearer service-secret-token");
    const error = Object.assign(new Error("14 UNAVAILABLE: connect ECONNREFUSED"), { code: 14, metadata });
    logger.warn({ err: error, path: "/v1/products" }, "dependency failed");
    logger.warn({ err: Object.assign(new Error("wrapped"), { cause: error }) }, "wrapped failure");
    expect(text()).not.toContain("service-secret-token");
    expect(text()).toContain("ECONNREFUSED");
  });
});
