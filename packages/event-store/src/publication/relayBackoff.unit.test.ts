import { describe, expect, it } from "vitest";
import { createRelayBackoff } from "./relayBackoff.js";

const idle = { leading: true, republished: 0, pending: 0 };
const follower = { leading: false, republished: 0, pending: 0 };

describe("createRelayBackoff", () => {
  it("doubles the wait while passes find nothing, up to the cap", () => {
    const backoff = createRelayBackoff({ intervalMs: 1_000, maxIntervalMs: 5_000 });
    expect(backoff.delayMs()).toBe(1_000);
    const delays = Array.from({ length: 5 }, () => {
      backoff.after(idle);
      return backoff.delayMs();
    });
    expect(delays).toEqual([2_000, 4_000, 5_000, 5_000, 5_000]);
  });

  it("goes back to the short interval once a pass finds a row, stale or still in flight", () => {
    const backoff = createRelayBackoff({ intervalMs: 200, maxIntervalMs: 500 });
    backoff.after(idle);
    backoff.after(idle);
    expect(backoff.delayMs()).toBe(500);
    backoff.after({ leading: true, republished: 0, pending: 1 });
    expect(backoff.delayMs()).toBe(200);
    backoff.after(idle);
    backoff.after({ leading: true, republished: 3, pending: 0 });
    expect(backoff.delayMs()).toBe(200);
  });

  it("backs off a relay that does not hold the lease too", () => {
    const backoff = createRelayBackoff({ intervalMs: 1_000, maxIntervalMs: 5_000 });
    backoff.after(follower);
    expect(backoff.delayMs()).toBe(2_000);
  });

  it("never waits less than the interval, whatever the cap", () => {
    const backoff = createRelayBackoff({ intervalMs: 1_000, maxIntervalMs: 100 });
    backoff.after(idle);
    expect(backoff.delayMs()).toBe(1_000);
  });
});
