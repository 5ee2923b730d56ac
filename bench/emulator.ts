/**
 * The benchmark's emulator: a separate `node bin/appstreamctl.js emulator` process (so its CPU is not the
 * measured client's), driven through the control API.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { CallRecord } from "../src/emulator/index.js";

/** The repository root, from `dist/bench/` or `bench/`. */
export const REPO = fileURLToPath(new URL(import.meta.url.includes("/dist/bench/") ? "../../" : "../", import.meta.url));
const BIN = `${REPO}bin/appstreamctl.js`;

/** A running emulator process. */
export interface BenchEmulator {
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the emulator with `args` after `emulator --port 0` and resolves once it printed its URL. */
export function spawnEmulator(args: string[]): Promise<BenchEmulator> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [BIN, "emulator", "--port", "0", ...args], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const exited = new Promise<void>((r) => proc.on("exit", () => r()));
    proc.stderr.on("data", (c: Buffer) => (err += c.toString()));
    proc.on("exit", (code) => reject(new Error(`emulator exited with ${String(code)}: ${err}`)));
    proc.stdout.on("data", function onData(c: Buffer) {
      out += c.toString();
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
      if (!m) return;
      proc.stdout.off("data", onData);
      proc.stdout.resume();
      resolve({ url: m[1]!, proc, stop: async () => { proc.kill("SIGTERM"); await exited; } });
    });
  });
}

async function control(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${url}/_emulator/${path}`, {
    method, headers: { "Content-Type": "application/json" }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const parsed = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`${method} /_emulator/${path}: ${res.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

/** Replaces the fault spec (faults.ts grammar; "" = none). */
export async function setFaults(url: string, spec: string): Promise<void> {
  await control(url, "POST", "faults", { spec });
}

/** Every call logged since the last clear. */
export async function callLog(url: string): Promise<CallRecord[]> {
  return ((await control(url, "GET", "calls")) as { calls: CallRecord[] }).calls;
}

/** Empties the call log, so the next measurement reads only its own calls. */
export async function clearCalls(url: string): Promise<void> {
  await control(url, "DELETE", "calls");
}

/** Calls per operation, counting every attempt (throttled ones too). */
export function byOperation(calls: readonly CallRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of calls) out[c.operation] = (out[c.operation] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
