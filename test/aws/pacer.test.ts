/**
 * The pacer (src/aws/pacer.ts) on a fake clock: free until the first throttle, then spaced at a rate
 * learnt from the answers, lowered on later throttles at most once a window, raised slowly while used.
 * The end-to-end figures (calls and wall time of a plan against a rate-limited emulator) are the
 * benchmark's (docs/BENCHMARKS.md); the emulator test below checks, by its call log, that the client
 * connect builds is really paced.
 */
import { RequestLimitExceededException } from "@aws-sdk/client-appstream";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { connect } from "../../src/aws/client.js";
import { Pacer, PACER_DEFAULTS } from "../../src/aws/pacer.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";

function fakeClock() {
  const c = {
    t: 0,
    sleeps: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.sleeps.push(ms);
      c.t += ms;
    },
  };
  return c;
}

const OK = {};
// AppStream models no ThrottlingException; the SDK builds a generic service error with this name.
const THROTTLED = { errorType: "THROTTLING", error: Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }) };

/** Sends `n` calls one after another, each answered `latency` ms later with `outcome`. */
async function run(p: Pacer, c: ReturnType<typeof fakeClock>, n: number, outcome: object = OK, latency = 0): Promise<void> {
  for (let i = 0; i < n; i++) {
    await p.getSendToken();
    c.t += latency;
    p.updateClientSendingRate(outcome);
  }
}

describe("Pacer", () => {
  it("does not slow anything down before the service throttles", async () => {
    const c = fakeClock();
    const p = new Pacer(c);
    await run(p, c, 50, OK, 10);
    expect(c.sleeps).toEqual([]);
    expect(p.currentRate).toBeUndefined();
  });

  it("after the first throttle sends at a share of what was answered in the last second, evenly spaced", async () => {
    const c = fakeClock();
    const p = new Pacer(c);
    await run(p, c, 10, OK, 10); // 10 answers within 100 ms: the service's burst
    p.updateClientSendingRate(THROTTLED);
    expect(p.currentRate).toBeCloseTo(10 * PACER_DEFAULTS.firstBackoff);
    const before = c.t;
    await run(p, c, 5);
    // One interval for the service's bucket to refill, then one per call.
    const interval = 1000 / (10 * PACER_DEFAULTS.firstBackoff);
    expect(c.t - before).toBeCloseTo(5 * interval);
    expect(c.sleeps.every((ms) => ms > 0)).toBe(true);
  });

  it("counts a burst of throttles from calls already in flight once", async () => {
    const c = fakeClock();
    const p = new Pacer(c);
    await run(p, c, 10, OK, 10);
    for (let i = 0; i < 4; i++) p.updateClientSendingRate(THROTTLED);
    expect(p.currentRate).toBeCloseTo(8);
  });

  it("lowers the rate to what the service answers when a later throttle comes a window after the last change", async () => {
    const c = fakeClock();
    const p = new Pacer(c, { ...PACER_DEFAULTS, raiseAfterMs: 60_000 });
    await run(p, c, 20, OK, 10);
    p.updateClientSendingRate(THROTTLED); // 20 answered in the last second → 16/s
    expect(p.currentRate).toBeCloseTo(16);
    // Paced at 16/s from t = 200: calls at 262.5 … 1200 ms, every fourth throttled. Those inside the
    // window after the change are not acted on; the last one, at 1200, is: 12 of 16 answered → 10.8/s.
    for (let i = 1; i <= 16; i++) {
      await p.getSendToken();
      p.updateClientSendingRate(i % 4 === 0 ? THROTTLED : OK);
      if (i < 16) expect(p.currentRate).toBeCloseTo(16);
    }
    expect(p.currentRate).toBeCloseTo(12 * PACER_DEFAULTS.backoff);
  });

  it("steps down from the pace, not to the answers, when the calls came slower than the pace", async () => {
    const c = fakeClock();
    const p = new Pacer(c, { ...PACER_DEFAULTS, raiseAfterMs: 60_000 });
    await run(p, c, 30, OK, 10); // 30 answered in 300 ms
    p.updateClientSendingRate(THROTTLED);
    expect(p.currentRate).toBeCloseTo(24);
    await run(p, c, 8, OK, 120); // 8 calls in the next second: slower than the 24/s pace allows
    c.t += 100;
    p.updateClientSendingRate(THROTTLED);
    expect(p.currentRate).toBeCloseTo(24 * PACER_DEFAULTS.backoff);
  });

  it("raises the rate in small steps after a quiet spell, but only while the calls use it", async () => {
    const c = fakeClock();
    const p = new Pacer(c);
    await run(p, c, 10, OK, 10);
    p.updateClientSendingRate(THROTTLED);
    const start = p.currentRate!;
    // Busy for 3.5 s at the paced rate: one step up.
    while (c.t < 3600) await run(p, c, 1);
    expect(p.currentRate).toBeCloseTo(start * (1 + PACER_DEFAULTS.step));
    // Idle, with an occasional call: no evidence a higher rate is needed.
    const busy = p.currentRate!;
    for (let i = 0; i < 5; i++) {
      c.t += 4000;
      await run(p, c, 1);
    }
    expect(p.currentRate).toBeCloseTo(busy);
  });

  it("treats RequestLimitExceeded (not retried by the SDK) as a throttle, and other errors as nothing", async () => {
    const c = fakeClock();
    const p = new Pacer(c);
    await run(p, c, 10, OK, 10);
    p.updateClientSendingRate({ errorType: "SERVER_ERROR", error: new Error("boom") });
    expect(p.currentRate).toBeUndefined();
    p.updateClientSendingRate({ errorType: "CLIENT_ERROR", error: new RequestLimitExceededException({ message: "slow down", $metadata: {} }) });
    expect(p.currentRate).toBeCloseTo(8);
  });

  it("does not starve the calls when throttles come at random, whatever the rate (chaos faults)", async () => {
    const c = fakeClock();
    const p = new Pacer(c);
    const rates: number[] = [];
    // Every fifth call throttled, for a minute of calls 50 ms apart when unpaced.
    for (let i = 0; c.t < 60_000; i++) {
      await p.getSendToken();
      c.t += 50;
      p.updateClientSendingRate(i % 5 === 4 ? THROTTLED : OK);
      rates.push(p.currentRate ?? 20);
    }
    // Lowering the rate only makes the service answer less: lowerings are undone, not repeated.
    const firstRate = rates.find((r) => r !== 20)!;
    expect(Math.min(...rates)).toBeGreaterThanOrEqual(firstRate * PACER_DEFAULTS.backoff * (1 - 0.2) * 0.9);
  });

  it("keeps a lowering that made the throttles stop, and lowers again when they come back later", async () => {
    const c = fakeClock();
    const p = new Pacer(c, { ...PACER_DEFAULTS, raiseAfterMs: 60_000 });
    await run(p, c, 10, OK, 10);
    p.updateClientSendingRate(THROTTLED);
    const first = p.currentRate!;
    await run(p, c, 40); // five seconds of answers at the paced rate
    p.updateClientSendingRate(THROTTLED);
    expect(p.currentRate).toBeCloseTo(first * PACER_DEFAULTS.backoff);
  });

  it("leaves throttles of a few calls a second to the retries", async () => {
    const c = fakeClock();
    const p = new Pacer(c);
    await run(p, c, 3, OK, 200);
    p.updateClientSendingRate(THROTTLED);
    expect(p.currentRate).toBeUndefined();
  });

  it("never goes below the minimum rate", async () => {
    const c = fakeClock();
    const p = new Pacer(c, { ...PACER_DEFAULTS, minCalls: 1 });
    await run(p, c, 1);
    c.t += 900;
    p.updateClientSendingRate(THROTTLED); // 1 answered → 0.8/s
    for (let i = 0; i < 10; i++) {
      c.t += 1000;
      await run(p, c, 1);
      p.updateClientSendingRate(THROTTLED);
    }
    expect(p.currentRate).toBe(PACER_DEFAULTS.minRate);
  });
});

describe("clients built by connect", () => {
  let emu: RunningEmulator;
  beforeEach(async () => {
    emu = await startEmulator({ port: 0, faults: "rate=5" });
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDTEST");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test");
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await emu.close();
  });

  it("are paced once the service throttles: a 5 req/s limit costs few throttled calls", async () => {
    const conn = await connect({ env: {}, cwd: process.cwd() }, { globals: { endpointUrl: emu.url, region: "us-east-1", local: false } });
    try {
      // 3 in flight, like a plan's reads, 30 calls in all.
      await Promise.all([0, 1, 2].map(async () => {
        for (let i = 0; i < 10; i++) await conn.api.call("DescribeStacks", {});
      }));
      const calls = emu.calls.all();
      const throttled = calls.filter((x) => x.outcome !== "ok").length;
      expect(calls.length - throttled).toBe(30);
      // Unpaced, three callers at local latency would be throttled on most attempts.
      expect(throttled).toBeLessThanOrEqual(6);
    } finally {
      await conn.close();
    }
  }, 30_000);
});
