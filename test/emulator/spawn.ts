/**
 * Spawns `node bin/appstreamctl.js emulator ...` (the built CLI: run `npm run build` first) and reads the
 * port from its first stdout line.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = fileURLToPath(new URL("../../bin/appstreamctl.js", import.meta.url));

export interface SpawnedEmulator {
  proc: ChildProcess;
  firstLine: string;
  url: string;
  port: number;
  stderr(): string;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Result of a CLI run that exits by itself. */
export function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [BIN, ...args], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    proc.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    proc.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    proc.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts the emulator CLI (`globalArgs` go before the command) and waits for its first stdout line. */
export function spawnEmulator(args: string[], globalArgs: string[] = []): Promise<SpawnedEmulator> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [BIN, ...globalArgs, "emulator", "--port", "0", ...args], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const exited = new Promise<number | null>((r) => proc.on("exit", (code) => r(code)));
    proc.stderr.on("data", (c: Buffer) => (err += c.toString()));
    proc.on("exit", (code) => reject(new Error(`emulator exited with ${String(code)} before listening: ${err}`)));
    proc.stdout.on("data", function onData(c: Buffer) {
      out += c.toString();
      const nl = out.indexOf("\n");
      if (nl < 0) return;
      proc.stdout.off("data", onData);
      proc.stdout.resume();
      const firstLine = out.slice(0, nl);
      const m = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(firstLine);
      if (!m) return reject(new Error(`unexpected first line: ${firstLine}`));
      resolve({
        proc,
        firstLine,
        url: m[1]!,
        port: Number(m[2]),
        stderr: () => err,
        stop: async (signal = "SIGTERM") => {
          proc.kill(signal);
          return exited;
        },
      });
    });
  });
}
