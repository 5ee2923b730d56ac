/**
 * Misbehaving endpoints on 127.0.0.1 for the transport tests, and a spawned CLI run with its own
 * environment (the built bin/appstreamctl.js: run `npm run build` first).
 */
import { spawn } from "node:child_process";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from "node:net";
import { BIN, REPO } from "../emulator/spawn.js";

export interface Endpoint {
  url: string;
  /** Connections accepted so far. */
  connections(): number;
  /** Requests seen so far: the request line, or the AWS operation when the request names one. */
  requests(): string[];
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

/** A TCP server that accepts every connection, reads what is sent, and never answers. */
export async function silentServer(): Promise<Endpoint> {
  const sockets = new Set<Socket>();
  const seen: string[] = [];
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("data", (chunk: Buffer) => {
      const text = chunk.toString("latin1");
      const line = text.split("\r\n")[0] ?? "";
      if (!/^[A-Z]+ \S+ HTTP\/1\.1$/.test(line)) return;
      const target = /\r\nx-amz-target: *[\w.]*?\.(\w+)\r\n/i.exec(text)?.[1];
      seen.push(target ?? line);
    });
    socket.on("error", () => undefined);
  });
  let accepted = 0;
  server.on("connection", () => accepted++);
  const url = await listen(server);
  return { url, connections: () => accepted, requests: () => [...seen], close: closer(server, sockets) };
}

/** An HTTP server answering every request with `answer` (after reading the body). */
export async function answeringServer(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<Endpoint> {
  const sockets = new Set<Socket>();
  const seen: string[] = [];
  const server = createHttpServer((req, res) => {
    const target = String(req.headers["x-amz-target"] ?? "").split(".").pop();
    seen.push(target || `${req.method ?? ""} ${req.url ?? ""}`);
    req.resume();
    req.on("end", () => answer(req, res));
  });
  let accepted = 0;
  server.on("connection", (s: Socket) => {
    accepted++;
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const url = await listen(server);
  return { url, connections: () => accepted, requests: () => [...seen], close: closer(server, sockets) };
}

export interface SpawnResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** True when the watchdog had to kill the CLI: it did not end by itself. */
  killed: boolean;
}

/**
 * Runs the built CLI with exactly `env` (plus PATH), killing it if it is still running after
 * `watchdogMs`: a hang shows as `killed`, never as a stuck test.
 */
export function spawnCli(args: string[], env: Record<string, string>, opts: { cwd?: string; watchdogMs?: number } = {}): Promise<SpawnResult> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [BIN, "--color", "never", ...args], {
      cwd: opts.cwd ?? REPO,
      env: { PATH: process.env.PATH ?? "", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let killed = false;
    const watchdog = setTimeout(() => {
      killed = true;
      proc.kill("SIGKILL");
    }, opts.watchdogMs ?? 60_000);
    proc.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    proc.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    proc.on("exit", (code) => {
      clearTimeout(watchdog);
      resolve({ code, stdout, stderr, killed });
    });
  });
}

/** How many times each request was seen. */
export function countsOf(requests: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of requests) out[r] = (out[r] ?? 0) + 1;
  return out;
}
