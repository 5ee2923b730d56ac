/**
 * The emulator's answers carry its own clock in the HTTP Date header (PROTO-13): clients that decide by
 * the service's time — run-state schedules — see the clock a test moved, not the host's.
 */
import { ListSchedulesCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import { describe, expect, test } from "vitest";
import { resetServerClock, serverNow } from "../../src/aws/server-clock.js";
import { DeadlineHandler } from "../../src/aws/transport.js";
import { control, CREDENTIALS, rawCall, useEmulator } from "./helpers.js";

describe("the Date header", () => {
  const emu = useEmulator();

  test("PROTO-13 API, Scheduler and control answers are dated by the emulator clock, which POST /_emulator/clock moves", async () => {
    const url = emu().emu.url;
    const before = await fetch(`${url}/_emulator/state`);
    const dated = Date.parse(before.headers.get("date") ?? "");
    expect(Math.abs(dated - Date.now())).toBeLessThan(5_000);

    const moved = await control(url, "POST", "clock", { advanceSeconds: 3 * 24 * 3600 });
    const now = typeof moved.body.now === "number" ? moved.body.now : Date.parse(moved.body.now);
    const api = await rawCall(url, "PhotonAdminProxyService.DescribeFleets", "{}");
    expect(api.status).toBe(200);
    const apiDate = Date.parse(api.headers.get("date") ?? "");
    // Second resolution: the header drops the milliseconds.
    expect(apiDate).toBeGreaterThanOrEqual(Math.floor(now / 1000) * 1000);
    expect(apiDate - now).toBeLessThan(5_000);
    expect(apiDate - dated).toBeGreaterThanOrEqual(3 * 24 * 3600 * 1000 - 1000);

    const sched = await fetch(`${url}/schedules?ScheduleGroup=default`, { headers: { Authorization: "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/scheduler/aws4_request" } });
    expect(Date.parse(sched.headers.get("date") ?? "") - now).toBeLessThan(5_000);
    expect(Date.parse(sched.headers.get("date") ?? "")).toBeGreaterThanOrEqual(Math.floor(now / 1000) * 1000);
  });

  test("PROTO-13 appstreamctl's transport reads it: its server clock follows the emulator's, whatever the host clock says", async () => {
    const url = emu().emu.url;
    await control(url, "POST", "clock", { advanceSeconds: 10 * 3600 });
    resetServerClock();
    expect(Math.abs(serverNow() - Date.now())).toBeLessThan(1_000);
    const client = new SchedulerClient({
      region: "us-east-1", endpoint: url, credentials: CREDENTIALS, maxAttempts: 1, requestHandler: new DeadlineHandler({ timeoutMs: 10_000 }) as never,
    });
    const out = await client.send(new ListSchedulesCommand({}));
    expect(out.Schedules).toEqual([]);
    const ahead = serverNow() - Date.now();
    expect(ahead).toBeGreaterThan(10 * 3600 * 1000 - 5_000);
    expect(ahead).toBeLessThan(10 * 3600 * 1000 + 5_000);
    resetServerClock();
  });
});
