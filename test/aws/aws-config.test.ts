/**
 * The AWS configuration users already have, end to end against the emulator through the real SDK:
 * `--profile` with the profile's endpoint_url and services section (and no mixing with AWS_PROFILE),
 * HTTP(S)_PROXY through a local CONNECT proxy that must see the traffic, NO_PROXY, AWS_CA_BUNDLE for a
 * self-signed TLS endpoint, and AWS_MAX_ATTEMPTS / AWS_RETRY_MODE counted in the emulator's call log.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { connect as netConnect, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { calls, control, startTestEmulator, type TestEmulator } from "../emulator/helpers.js";
import { cli, fakeAwsCredentials, PASSWORD } from "../e2e/helpers.js";
import { EXAMPLE } from "../reliability/helpers.js";
import { countsOf, spawnCli } from "./net-helpers.js";

let t: TestEmulator;
beforeAll(async () => {
  fakeAwsCredentials();
  t = await startTestEmulator();
});
afterAll(async () => t.close());

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): Promise<void> {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Forwards to the emulator and records the access key id each request was signed with. */
async function signedBy(): Promise<{ url: string; keys: string[]; server: Server }> {
  const keys: string[] = [];
  const emu = new URL(t.emu.url);
  const server = createServer((req, res) => {
    keys.push(/Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ""))?.[1] ?? "");
    const up = request({ host: emu.hostname, port: emu.port, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    req.pipe(up);
  });
  return { url: `http://${await listen(server)}`, keys, server };
}

describe("--profile honours the profile's endpoint_url and services section, and wins over AWS_PROFILE wholly", () => {
  let home: string;
  let recorder: Awaited<ReturnType<typeof signedBy>>;
  afterAll(async () => close(recorder.server));
  beforeAll(async () => {
    recorder = await signedBy();
    home = mkdtempSync(join(tmpdir(), "asctl-home-"));
    mkdirSync(join(home, ".aws"));
    writeFileSync(
      join(home, ".aws", "config"),
      [
        "[profile emu]",
        "region = us-east-1",
        `endpoint_url = ${recorder.url}`,
        "",
        "[profile svc]",
        "region = us-east-1",
        "services = local-emulator",
        "endpoint_url = http://127.0.0.1:9",
        "",
        "[services local-emulator]",
        "appstream =",
        `  endpoint_url = ${t.emu.url}`,
        "",
        "[profile dead]",
        "region = us-east-1",
        "endpoint_url = http://127.0.0.1:9",
        "",
      ].join("\n"),
    );
    const creds = (p: string) => `[${p}]\naws_access_key_id = AKID${p.toUpperCase()}\naws_secret_access_key = secret-${p}\n`;
    writeFileSync(join(home, ".aws", "credentials"), ["emu", "svc", "dead"].map(creds).join("\n"));
  });
  beforeEach(async () => {
    await control(t.emu.url, "DELETE", "calls");
  });

  const env = () => ({ HOME: home, APPSTREAM_AD_PASSWORD: PASSWORD, APPSTREAMCTL_REQUEST_TIMEOUT: "5" });

  it("AWS_PROFILE=dead --profile emu plans against emu's endpoint_url, signed with emu's credentials", async () => {
    const r = await spawnCli(["--profile", "emu", "-f", EXAMPLE, "plan"], { ...env(), AWS_PROFILE: "dead" });
    expect([r.killed, r.code], r.stderr).toEqual([false, 0]);
    expect(r.stdout).toContain("Plan:");
    expect(new Set(recorder.keys)).toEqual(new Set(["AKIDEMU"]));
    const log = await calls(t.emu.url);
    expect(countsOf(log.map((c) => c.operation)).DescribeFleets).toBe(1);
  });

  it("AWS_PROFILE=emu alone does the same", async () => {
    const before = recorder.keys.length;
    const r = await spawnCli(["-f", EXAMPLE, "plan"], { ...env(), AWS_PROFILE: "emu" });
    expect([r.killed, r.code], r.stderr).toEqual([false, 0]);
    expect(new Set(recorder.keys.slice(before))).toEqual(new Set(["AKIDEMU"]));
  });

  it("a services section's appstream endpoint_url comes before the profile's own", async () => {
    const r = await spawnCli(["--profile", "svc", "-f", EXAMPLE, "plan"], env());
    expect([r.killed, r.code], r.stderr).toEqual([false, 0]);
    expect((await calls(t.emu.url)).length).toBeGreaterThan(0);
  });

  it("AWS_PROFILE=emu --profile dead uses dead's endpoint, not emu's", async () => {
    const r = await spawnCli(["--profile", "dead", "-f", EXAMPLE, "plan"], { ...env(), AWS_PROFILE: "emu", AWS_MAX_ATTEMPTS: "1" });
    expect([r.killed, r.code]).toEqual([false, 1]);
    expect(r.stderr).toContain("ECONNREFUSED 127.0.0.1:9");
    expect(await calls(t.emu.url)).toEqual([]);
  });

  it("a profile naming a services section that does not exist is an aws.config error", async () => {
    writeFileSync(join(home, ".aws", "config"), "[profile broken]\nregion = us-east-1\nservices = nowhere\n", { flag: "a" });
    const r = await spawnCli(["--profile", "broken", "-f", EXAMPLE, "plan"], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error [aws.config] profile "broken" names services section "nowhere", which is not in');
  });
});

/** A CONNECT proxy that records each tunnel's target and Proxy-Authorization, or refuses with `refuse`. */
async function connectProxy(refuse?: number): Promise<{ url: string; tunnels: Array<{ target: string; auth?: string }>; server: Server }> {
  const tunnels: Array<{ target: string; auth?: string }> = [];
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on("connect", (req, client: Socket, head: Buffer) => {
    const auth = req.headers["proxy-authorization"];
    tunnels.push({ target: req.url ?? "", ...(auth ? { auth } : {}) });
    if (refuse) {
      client.end(`HTTP/1.1 ${refuse} Refused\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n`);
      return;
    }
    const [host, port] = (req.url ?? "").split(":");
    const upstream = netConnect(Number(port), host!, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  return { url: `http://${await listen(server)}`, tunnels, server };
}

describe("HTTP_PROXY / HTTPS_PROXY / NO_PROXY", () => {
  const emuHost = () => new URL(t.emu.url).host;

  it("tunnels every call through the proxy with CONNECT, with its credentials, and never prints them", async () => {
    const proxy = await connectProxy();
    try {
      const withUser = proxy.url.replace("http://", "http://svc-proxy:pr0xy%40pass@");
      const r = await cli(t.emu.url, ["-f", EXAMPLE, "plan"], { env: { HTTP_PROXY: withUser } });
      expect(r.code, r.stderr).toBe(0);
      expect(proxy.tunnels.length).toBeGreaterThan(0);
      expect(new Set(proxy.tunnels.map((x) => x.target))).toEqual(new Set([emuHost()]));
      expect(proxy.tunnels[0]!.auth).toBe(`Basic ${Buffer.from("svc-proxy:pr0xy@pass").toString("base64")}`);
      expect(r.stdout + r.stderr).not.toContain("pr0xy");
    } finally {
      await close(proxy.server);
    }
  });

  it("NO_PROXY excludes a host (and lower-case http_proxy is read too)", async () => {
    const proxy = await connectProxy();
    try {
      const r = await cli(t.emu.url, ["-f", EXAMPLE, "plan"], { env: { http_proxy: proxy.url, NO_PROXY: "example.com, 127.0.0.0/8" } });
      expect(r.code, r.stderr).toBe(0);
      expect(proxy.tunnels).toEqual([]);
    } finally {
      await close(proxy.server);
    }
  });

  it("a proxy that refuses the tunnel is a clear error naming the proxy and the status", async () => {
    const proxy = await connectProxy(407);
    try {
      const r = await cli(t.emu.url, ["-f", EXAMPLE, "plan"], { env: { HTTP_PROXY: proxy.url, AWS_MAX_ATTEMPTS: "1" } });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`ProxyError: proxy ${proxy.url}: refused CONNECT ${emuHost()}: HTTP 407`);
    } finally {
      await close(proxy.server);
    }
  });

  it("an https:// proxy URL is an aws.config error before anything is sent", async () => {
    const r = await cli(t.emu.url, ["-f", EXAMPLE, "plan"], { env: { HTTPS_PROXY: "https://proxy.example:3128" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error [aws.config] HTTPS_PROXY uses https://; only http:// proxies are supported");
  });
});

const hasOpenssl = (() => {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasOpenssl)("AWS_CA_BUNDLE: a self-signed TLS endpoint in front of the emulator", () => {
  let dir: string;
  let tls: Server;
  let tlsUrl: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "asctl-tls-"));
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
      "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
    ], { stdio: "ignore" });
    const emu = new URL(t.emu.url);
    tls = createTlsServer({ key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) }, (req, res) => {
      const up = request({ host: emu.hostname, port: emu.port, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      req.pipe(up);
    });
    tlsUrl = `https://${await listen(tls)}`;
  });
  afterAll(async () => close(tls));

  it("is trusted with AWS_CA_BUNDLE, and refused without it", async () => {
    const trusted = await cli(tlsUrl, ["-f", EXAMPLE, "plan"], { env: { AWS_CA_BUNDLE: join(dir, "cert.pem") } });
    expect(trusted.code, trusted.stderr).toBe(0);
    const untrusted = await cli(tlsUrl, ["-f", EXAMPLE, "plan"], { env: { AWS_MAX_ATTEMPTS: "1" } });
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toMatch(/self[- ]signed certificate/);
  });

  it("carries TLS through the CONNECT tunnel of HTTPS_PROXY", async () => {
    const proxy = await connectProxy();
    try {
      const r = await cli(tlsUrl, ["-f", EXAMPLE, "plan"], { env: { AWS_CA_BUNDLE: join(dir, "cert.pem"), HTTPS_PROXY: proxy.url } });
      expect(r.code, r.stderr).toBe(0);
      expect(new Set(proxy.tunnels.map((x) => x.target))).toEqual(new Set([new URL(tlsUrl).host]));
    } finally {
      await close(proxy.server);
    }
  });

  it("a bundle that cannot be read is an aws.config error", async () => {
    const r = await cli(tlsUrl, ["-f", EXAMPLE, "plan"], { env: { AWS_CA_BUNDLE: join(dir, "missing.pem") } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error [aws.config] AWS_CA_BUNDLE names ${join(dir, "missing.pem")}, which cannot be read (ENOENT)`);
  });
});

describe("AWS_MAX_ATTEMPTS and AWS_RETRY_MODE", () => {
  beforeEach(async () => {
    await control(t.emu.url, "DELETE", "calls");
  });
  afterAll(async () => {
    await control(t.emu.url, "POST", "faults", { spec: "" });
  });

  // 500 is retried by the SDK; throttle by the SDK and by appstreamctl; cme (ConcurrentModification) by appstreamctl only.
  it.each([
    ["500", "1", 1],
    ["500", "2", 2],
    ["throttle", "1", 1],
    ["cme", "1", 1],
    ["cme", "2", 2],
  ])("a call failing with %s and AWS_MAX_ATTEMPTS=%s is sent exactly %i time(s)", async (kind, attempts, sent) => {
    await control(t.emu.url, "POST", "faults", { spec: `DescribeFleets:${kind}=1` });
    const r = await cli(t.emu.url, ["-f", EXAMPLE, "plan"], { env: { AWS_MAX_ATTEMPTS: attempts, AWS_RETRY_MODE: "standard" } });
    await control(t.emu.url, "POST", "faults", { spec: "" });
    expect(r.code).toBe(1);
    expect(countsOf((await calls(t.emu.url)).map((c) => c.operation)).DescribeFleets).toBe(sent);
  });

  it.each([
    [{ AWS_MAX_ATTEMPTS: "0" }, 'AWS_MAX_ATTEMPTS must be a whole number ≥ 1, not "0"'],
    [{ AWS_RETRY_MODE: "fast" }, 'AWS_RETRY_MODE must be standard, adaptive or legacy, not "fast"'],
  ])("an invalid setting %j is an aws.config error", async (env, message) => {
    const r = await cli(t.emu.url, ["-f", EXAMPLE, "plan"], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error [aws.config] ${message}\n`);
    expect(await calls(t.emu.url)).toEqual([]);
  });
});
