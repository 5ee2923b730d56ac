/**
 * Test helpers: a fresh emulator per test file (or per test), an SDK client pointed at it, and the call log.
 * The client uses `maxAttempts: 1` so every injected fault and quota error reaches the test (reference §1.1).
 */
import { AppStreamClient, CreateFleetCommand, DescribeFleetsCommand, UpdateFleetCommand, type Fleet } from "@aws-sdk/client-appstream";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../src/emulator/index.js";
import type { CallRecord } from "../../src/emulator/control.js";

export interface TestEmulator {
  emu: RunningEmulator;
  client: AppStreamClient;
  /** A client for another region (state is per region). */
  clientFor(region: string): AppStreamClient;
  close(): Promise<void>;
}

/** Fake credentials: the emulator does not check signatures (reference §14.3). */
export const CREDENTIALS = { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" };

/** An SDK client against `url`. */
export function clientOf(url: string, region = "us-east-1"): AppStreamClient {
  return new AppStreamClient({ region, endpoint: url, credentials: CREDENTIALS, maxAttempts: 1 });
}

/** Starts an emulator with immediate transitions unless `opts` says otherwise. */
export async function startTestEmulator(opts: EmulatorOptions = {}): Promise<TestEmulator> {
  const emu = await startEmulator({ timeScale: 0, ...opts });
  const clients: AppStreamClient[] = [];
  const make = (region: string) => {
    const c = clientOf(emu.url, region);
    clients.push(c);
    return c;
  };
  const client = make("us-east-1");
  return {
    emu,
    client,
    clientFor: make,
    async close() {
      for (const c of clients) c.destroy();
      await emu.close();
      // PROTO-11: whatever a test asserted, no operation may have answered an error its model does not list.
      if (emu.calls.unmodeled.length > 0) throw new Error(emu.calls.unmodeled.join("\n"));
    },
  };
}

/** The emulator of a describe (see {@link useEmulator}). */
export interface EmulatorHandle {
  (): TestEmulator;
  /**
   * Replaces the running emulator by one started with `opts` (and `setUp`), closed like the first: for
   * the test that needs another configuration than its neighbours.
   */
  restart(opts?: EmulatorOptions): Promise<TestEmulator>;
}

/**
 * Registers a fresh emulator for the enclosing `describe` (or file): one per test (`each`, the default) or
 * one shared by its tests (`all`), closed after them. `setUp` runs after each start (seed resources).
 * Returns a getter, because the emulator exists only once the hooks have run.
 */
export function useEmulator(
  opts: EmulatorOptions = {},
  { scope = "each", setUp }: { scope?: "each" | "all"; setUp?: (t: TestEmulator) => Promise<void> } = {},
): EmulatorHandle {
  let t: TestEmulator | undefined;
  const start = async (options: EmulatorOptions): Promise<TestEmulator> => {
    const started = await startTestEmulator(options);
    t = started;
    await setUp?.(started);
    return started;
  };
  const stop = async () => {
    const running = t;
    t = undefined;
    await running?.close();
  };
  if (scope === "all") {
    beforeAll(async () => void (await start(opts)));
    afterAll(stop);
  } else {
    beforeEach(async () => void (await start(opts)));
    afterEach(stop);
  }
  const get = () => {
    if (!t) throw new Error("the emulator runs only inside the tests of the describe that registered it");
    return t;
  };
  return Object.assign(get, {
    async restart(other: EmulatorOptions = opts) {
      await stop();
      return start(other);
    },
  });
}

/** Reads the call log over the control API. */
export async function calls(url: string): Promise<CallRecord[]> {
  const res = await fetch(`${url}/_emulator/calls`);
  return ((await res.json()) as { calls: CallRecord[] }).calls;
}

/** Calls a control route and returns status and parsed body. */
export async function control(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/_emulator/${path}`, {
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** Runs `fn` and returns the error it throws (fails the test when it does not throw). */
export async function errorOf(fn: () => Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** A raw AWS JSON 1.1 request (for protocol tests the SDK cannot express). */
export async function rawCall(
  url: string,
  target: string | undefined,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(`${url}/`, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      ...(target ? { "X-Amz-Target": target } : {}),
      ...headers,
    },
    body,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** A valid single-session ON_DEMAND fleet request on a seeded public image. */
export function fleetInput(name: string, extra: Record<string, unknown> = {}) {
  return {
    Name: name,
    InstanceType: "stream.standard.medium",
    ImageName: "AppStream-WinServer2022-11-12-2025",
    ComputeCapacity: { DesiredInstances: 2 },
    ...extra,
  };
}

/** A valid ELASTIC fleet request. */
export function elasticInput(name: string, extra: Record<string, unknown> = {}) {
  return {
    Name: name,
    FleetType: "ELASTIC" as const,
    InstanceType: "stream.standard.small",
    Platform: "WINDOWS_SERVER_2019" as const,
    MaxConcurrentSessions: 5,
    VpcConfig: { SubnetIds: ["subnet-0a", "subnet-0b"], SecurityGroupIds: ["sg-01"] },
    ...extra,
  };
}

/** CreateFleet through the SDK; `input` is loosely typed so tests can send what the model allows. */
export async function createFleet(client: AppStreamClient, input: Record<string, unknown>): Promise<Fleet> {
  return (await client.send(new CreateFleetCommand(input as never))).Fleet!;
}

/** DescribeFleets of one name. */
export async function describeFleet(client: AppStreamClient, name: string): Promise<Fleet> {
  return (await client.send(new DescribeFleetsCommand({ Names: [name] }))).Fleets![0]!;
}

/** UpdateFleet through the SDK. */
export async function updateFleet(client: AppStreamClient, input: Record<string, unknown>): Promise<Fleet> {
  return (await client.send(new UpdateFleetCommand(input as never))).Fleet!;
}
