/**
 * A pass-through HTTP proxy in front of the emulator that lets a test act "out of band" at an exact
 * point of a run: before the first request of a given operation is forwarded, the hook runs (e.g. a
 * person creates the same fleet at the console), then the request goes on unchanged. Every request and
 * answer is forwarded byte for byte, so the CLI still talks to the real emulator through the real SDK.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface RacingProxy {
  url: string;
  /** Runs `hook` once, before the first `operation` request (X-Amz-Target suffix) is forwarded. */
  beforeFirst(operation: string, hook: () => Promise<void>): void;
  close(): Promise<void>;
}

function bodyOf(req: IncomingMessage): Promise<Buffer> {
  return new Promise((res, rej) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => res(Buffer.concat(chunks)));
    req.on("error", rej);
  });
}

export async function racingProxy(target: string): Promise<RacingProxy> {
  const hooks = new Map<string, () => Promise<void>>();
  const server = createServer((req, res) => {
    void (async () => {
      const body = await bodyOf(req);
      const op = String(req.headers["x-amz-target"] ?? "").split(".").pop() ?? "";
      const hook = hooks.get(op);
      if (hook) {
        hooks.delete(op);
        await hook();
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === "string" && !["host", "content-length", "connection"].includes(k)) headers[k] = v;
      }
      const answer = await fetch(`${target}${req.url ?? "/"}`, { method: req.method ?? "POST", headers, ...(body.length ? { body } : {}) });
      const out = Buffer.from(await answer.arrayBuffer());
      const back: Record<string, string> = {};
      answer.headers.forEach((v, k) => {
        if (!["content-length", "connection", "transfer-encoding", "keep-alive"].includes(k)) back[k] = v;
      });
      res.writeHead(answer.status, { ...back, "content-length": String(out.length) });
      res.end(out);
    })().catch((err: unknown) => {
      res.writeHead(599);
      res.end(String(err));
    });
  });
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    beforeFirst: (operation, hook) => void hooks.set(operation, hook),
    close: () => new Promise((res) => {
      server.closeAllConnections();
      server.close(() => res());
    }),
  };
}
