import type { Fleet } from "@aws-sdk/client-appstream";
import { describe, expect, it } from "vitest";
import { fakeApi } from "../../src/aws/api.js";
import { AppError } from "../../src/core/errors.js";
import { createPollers } from "../../src/engine/pollers.js";
import { recordingReporter } from "../../src/engine/progress.js";
import { Backoff, DEFAULT_WAIT_TIMEOUTS, parseWaitTimeouts, waitFor } from "../../src/engine/waiter.js";
import { instantClock, invalid, notFound, run, step } from "./helpers.js";

const POLICY = { firstDelayMs: 0, baseDelayMs: 1000, maxDelayMs: 8000 };

describe("waitFor and backoff", () => {
  it("polls at once, then backs off exponentially with jitter up to the cap", async () => {
    const clock = instantClock();
    let n = 0;
    const value = await waitFor({ clock }, async () => (++n === 7 ? "ok" : undefined), { backoff: new Backoff(POLICY, () => 1), what: "x" });
    expect(value).toBe("ok");
    expect(clock.sleeps.length).toBe(7);
    expect(clock.sleeps[0]).toBe(0);
    const long = new Backoff(POLICY, () => 1);
    // Long into a wait, the exponential value and the cap decide.
    expect([0, 1, 2, 3, 4, 5].map(() => long.next(3_600_000))).toEqual([0, 1000, 2000, 4000, 8000, 8000]);
    const low = new Backoff(POLICY, () => 0);
    expect([low.next(3_600_000), low.next(3_600_000), low.next(3_600_000)]).toEqual([0, 500, 1000]);
  });

  it("never waits more than a sixteenth of the time waited so far (but at least the base delay)", () => {
    const b = new Backoff(POLICY, () => 1);
    expect([b.next(0), b.next(0), b.next(4_000), b.next(32_000), b.next(40_000), b.next(400_000)]).toEqual([0, 1000, 1000, 2000, 2500, 8000]);
  });

  it("ends with apply.timeout at the deadline", async () => {
    const err = await waitFor({ clock: instantClock() }, async () => undefined, { backoff: new Backoff(POLICY, () => 1), timeoutMs: 10_000, what: "fleet f to be RUNNING" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("apply.timeout");
    expect((err as AppError).message).toBe("timed out after 10.0s waiting for fleet f to be RUNNING");
  });

  it("parses --wait-timeout for every kind or per kind, and rejects bad specs", () => {
    expect(parseWaitTimeouts(undefined)).toEqual(DEFAULT_WAIT_TIMEOUTS);
    expect(parseWaitTimeouts("30m")).toEqual({ fleet: 1_800_000, "image-builder": 1_800_000, image: 1_800_000, user: 1_800_000, "fleet-association": 1_800_000, "app-block-builder": 1_800_000, "image-export": 1_800_000, "image-builder-software": 1_800_000 });
    expect(parseWaitTimeouts("fleet=90s,image=6h")).toEqual({ fleet: 90_000, "image-builder": 3_600_000, image: 21_600_000, user: 300_000, "fleet-association": 300_000, "app-block-builder": 3_600_000, "image-export": 21_600_000, "image-builder-software": 3_600_000 });
    expect(() => parseWaitTimeouts("stack=5m")).toThrow('unknown kind "stack"');
    expect(() => parseWaitTimeouts("soon")).toThrow("expected a duration");
  });
});

/** A fleet table the fake DescribeFleets serves; a Names entry that is missing fails the whole call. */
function fleetApi(states: Record<string, string[]>, extra: Partial<Record<string, Partial<Fleet>>> = {}) {
  const calls: (string[] | undefined)[] = [];
  const pos: Record<string, number> = {};
  const current = (name: string): Fleet | undefined => {
    const seq = states[name];
    if (!seq) return undefined;
    const i = Math.min(pos[name] ?? 0, seq.length - 1);
    const state = seq[i];
    return state === "GONE" ? undefined : ({ Name: name, State: state, ...extra[name] } as Fleet);
  };
  const api = fakeApi({
    DescribeFleets: (input) => {
      calls.push(input.Names);
      const names = input.Names ?? Object.keys(states);
      const out: Fleet[] = [];
      for (const n of names) {
        const f = current(n);
        if (f) out.push(f);
        else if (input.Names) throw notFound(`fleet ${n}`);
      }
      for (const n of names) pos[n] = (pos[n] ?? 0) + 1;
      return { Fleets: out };
    },
  });
  return { api, calls };
}

function pollers(api: ReturnType<typeof fakeApi>) {
  const report = recordingReporter();
  return { p: createPollers({ api, clock: instantClock(), random: () => 0.5, report, policy: POLICY }), report };
}

const req = (name: string, until: string, timeoutMs = 3_600_000) => ({ name, until, timeoutMs });

describe("shared pollers", () => {
  it("polls every waiting fleet with ONE DescribeFleets per tick", async () => {
    const { api, calls } = fleetApi({ a: ["STARTING", "RUNNING"], b: ["STARTING", "STARTING", "RUNNING"], c: ["STOPPING", "STOPPED"] });
    const { p, report } = pollers(api);
    await Promise.all([p.wait("fleet", req("a", "RUNNING")), p.wait("fleet", req("b", "RUNNING")), p.wait("fleet", req("c", "STOPPED"))]);
    const polls = report.events.filter((e) => e.type === "poll");
    expect(calls).toEqual([["a", "b", "c"], ["a", "b", "c"], ["b"]]);
    expect(polls.length).toBe(calls.length);
  });

  it("a GONE wait survives ResourceNotFound for the whole call by listing without names", async () => {
    const { api, calls } = fleetApi({ old: ["STOPPED", "GONE"], up: ["STARTING", "STARTING", "RUNNING"] });
    const { p } = pollers(api);
    await Promise.all([p.wait("fleet", req("old", "GONE")), p.wait("fleet", req("up", "RUNNING"))]);
    expect(calls).toEqual([["old", "up"], ["old", "up"], undefined, ["up"]]);
  });

  it("tolerates a state off the path (STOPPING while waiting for RUNNING) when the fleet comes back", async () => {
    const { api } = fleetApi({ f: ["STOPPING", "STOPPED", "STARTING", "STARTING", "RUNNING"] });
    const { p } = pollers(api);
    const seen: string[] = [];
    await expect(p.wait("fleet", { ...req("f", "RUNNING"), onState: (s: string) => seen.push(s) })).resolves.toBeUndefined();
    // Each new state on the way is reported once; reaching the target is the step's own "done".
    expect(seen).toEqual(["STOPPING", "STOPPED", "STARTING"]);
  });

  it("fails when the fleet stays on the other side of the path, or keeps reporting FleetErrors, with the service's codes", async () => {
    const { api } = fleetApi({ f: ["STOPPED"] });
    await expect(pollers(api).p.wait("fleet", req("f", "RUNNING"))).rejects.toThrow("fleet f is STOPPED while waiting for RUNNING");
    const errs = fleetApi({ g: ["STARTING"] }, { g: { FleetErrors: [{ ErrorCode: "SUBNET_HAS_INSUFFICIENT_IP_ADDRESSES", ErrorMessage: "subnet-0a has no free IPs" }] } });
    const { p, report } = pollers(errs.api);
    await expect(p.wait("fleet", req("g", "RUNNING"))).rejects.toThrow("fleet g reports errors: SUBNET_HAS_INSUFFICIENT_IP_ADDRESSES: subnet-0a has no free IPs");
    expect(report.events.filter((e) => e.type === "poll").length).toBe(3);
  });

  it("fails at once on a FAILED image with its StateChangeReason, and times out with the last state", async () => {
    const api = fakeApi({
      DescribeImages: () => ({ Images: [{ Name: "img", State: "FAILED", StateChangeReason: { Code: "IMAGE_IMPORT_FAILURE", Message: "AMI is not supported" } }] }),
      DescribeImageBuilders: () => ({ ImageBuilders: [{ Name: "b", State: "PENDING" }] }),
    });
    const { p } = pollers(api);
    await expect(p.wait("image", req("img", "AVAILABLE"))).rejects.toThrow("image img FAILED: IMAGE_IMPORT_FAILURE: AMI is not supported");
    const err = await p.wait("image-builder", req("b", "RUNNING", 60_000)).catch((e: unknown) => e);
    expect((err as AppError).code).toBe("apply.timeout");
    expect((err as AppError).message).toBe("timed out after 1m 0s waiting for image-builder b to be RUNNING (last seen PENDING)");
  });

  it("a wait step holds no parallelism slot: with --parallelism 1 a create runs while a fleet waits", async () => {
    let created = false;
    const api = fakeApi({
      DescribeFleets: () => ({ Fleets: [{ Name: "f", State: created ? "RUNNING" : "STARTING" } as Fleet] }),
      CreateStack: () => {
        created = true;
        return {};
      },
    });
    const { status } = await run(api, [step("Fleet/f", "running", "wait", { kind: "fleet", name: "f", until: "RUNNING" }), step("Stack/s", "create", "stack.create", { Name: "s" })], { parallelism: 1 });
    expect(status).toEqual({ "Fleet/f#running": "done", "Stack/s#create": "done" });
  });
});

describe("gathered waits (users: every read pages the whole pool)", () => {
  const userSteps = (name: string) => [
    step(`User/${name}`, "create", "user.create", { UserName: name, AuthenticationType: "USERPOOL" }),
    step(`User/${name}`, "listed", "wait", { kind: "user", name, until: "LISTED" }, [`User/${name}#create`]),
  ];

  it("users created in a row are looked for once, after the last create; a skipped wait does not hold them", async () => {
    const pool: string[] = [];
    const scans: string[][] = [];
    const api = fakeApi({
      // Each create answers a moment later, as the service does, so the poller ticks between them.
      CreateUser: async (input) => {
        await new Promise((r) => setImmediate(r));
        if (input.UserName === "c@example.com") throw invalid("no c");
        pool.push(input.UserName!);
        return {};
      },
      DescribeUsers: () => {
        scans.push([...pool]);
        return { Users: pool.map((UserName) => ({ UserName, AuthenticationType: "USERPOOL" as const })) };
      },
    });
    const names = ["a@example.com", "b@example.com", "c@example.com", "d@example.com"];
    const { status } = await run(api, names.flatMap(userSteps), { parallelism: 1 });
    expect(scans).toEqual([["a@example.com", "b@example.com", "d@example.com"]]);
    expect(status).toEqual({
      "User/a@example.com#create": "done", "User/a@example.com#listed": "done",
      "User/b@example.com#create": "done", "User/b@example.com#listed": "done",
      "User/c@example.com#create": "failed", "User/c@example.com#listed": "skipped",
      "User/d@example.com#create": "done", "User/d@example.com#listed": "done",
    });
  });

  it("reads anyway once a waiter has used half its timeout, so a wait that never joins cannot stall the others", async () => {
    const clock = instantClock();
    let scans = 0;
    const api = fakeApi({
      DescribeUsers: () => {
        scans++;
        return { Users: [{ UserName: "a@example.com", AuthenticationType: "USERPOOL" as const }] };
      },
    });
    const p = createPollers({ api, clock, random: () => 0.5, report: recordingReporter(), policy: POLICY, joining: () => true });
    await p.wait("user", req("a@example.com", "LISTED", 60_000));
    expect(scans).toBe(1);
    expect(clock.now()).toBeGreaterThanOrEqual(30_000);
  });
});
