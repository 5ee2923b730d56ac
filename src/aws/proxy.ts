/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY, as curl and the AWS CLI read them: an HTTP proxy reached with
 * `CONNECT host:port`, which then carries the TLS session (or the plain HTTP of a local endpoint)
 * end to end, so the proxy never sees the signed request or the credentials. Both kinds of target are
 * tunnelled, because a tunnel needs nothing from the proxy but CONNECT. Written on node:net/tls: the
 * SDK ships no proxy support and appstreamctl takes no dependency for it.
 */
import * as http from "node:http";
import * as net from "node:net";
import * as tls from "node:tls";
import { AppError } from "../core/errors.js";

type Env = Record<string, string | undefined>;

/** One proxy: where to connect, how to authenticate, and how messages name it (never with a password). */
export interface ProxyServer {
  host: string;
  port: number;
  /** `Proxy-Authorization` value when the URL carries user info. */
  authorization?: string;
  /** `http://host:port`, for messages. */
  display: string;
}

/** Which proxy a target goes through, or none. */
export interface ProxyRoute {
  proxyFor(host: string, port: number, tlsTarget: boolean): ProxyServer | undefined;
}

function first(env: Env, ...names: string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

/** Parses a proxy URL (`host:port` alone means http://); only http:// proxies are supported. */
export function parseProxy(name: string, value: string): ProxyServer {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new AppError("aws.config", `${name} is not a proxy URL (expected http://host:port)`, { source: "user" });
  }
  if (url.protocol !== "http:") {
    throw new AppError("aws.config", `${name} uses ${url.protocol}//; only http:// proxies are supported (the tunnel itself carries TLS)`, { source: "user" });
  }
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port ? Number(url.port) : 80;
  const server: ProxyServer = { host, port, display: `http://${url.host}` };
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    server.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
  }
  return server;
}

/**
 * Whether NO_PROXY excludes `host:port`: `*` excludes everything; each comma- or space-separated entry
 * is a host name matching itself and its subdomains (a leading `.` or `*.` is allowed), an IP address,
 * an IPv4 or IPv6 CIDR block, optionally with `:port`.
 */
export function bypassesProxy(noProxy: string, host: string, port: number): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
  for (const raw of noProxy.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === "*") return true;
    let entryPort: number | undefined;
    const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
    if (m) {
      entry = m[1]!;
      entryPort = Number(m[2]);
    }
    if (entryPort !== undefined && entryPort !== port) continue;
    entry = entry.replace(/^\[|\]$/g, "").replace(/^\*?\./, "");
    if (entry.includes("/")) {
      const [addr, bits] = entry.split("/");
      const family = net.isIP(addr ?? "");
      if (family && net.isIP(h) === family) {
        const list = new net.BlockList();
        list.addSubnet(addr!, Number(bits), family === 6 ? "ipv6" : "ipv4");
        if (list.check(h, family === 6 ? "ipv6" : "ipv4")) return true;
      }
      continue;
    }
    if (h === entry || (!net.isIP(h) && h.endsWith(`.${entry}`))) return true;
  }
  return false;
}

/** The proxy route of the environment (lower-case names first, as curl), or undefined when none is set. */
export function proxyRoute(env: Env): ProxyRoute | undefined {
  const httpsVar = first(env, "https_proxy", "HTTPS_PROXY");
  const httpVar = first(env, "http_proxy", "HTTP_PROXY");
  if (!httpsVar && !httpVar) return undefined;
  const httpsProxy = httpsVar ? parseProxy(httpsVar.name, httpsVar.value) : undefined;
  const httpProxy = httpVar ? parseProxy(httpVar.name, httpVar.value) : undefined;
  const noProxy = first(env, "no_proxy", "NO_PROXY")?.value ?? "";
  return {
    proxyFor(host, port, tlsTarget) {
      const proxy = tlsTarget ? httpsProxy : httpProxy;
      if (!proxy || bypassesProxy(noProxy, host, port)) return undefined;
      return proxy;
    },
  };
}

function proxyError(proxy: ProxyServer, message: string): Error {
  return Object.assign(new Error(`proxy ${proxy.display}: ${message}`), { name: "ProxyError" });
}

/** Opens a `CONNECT host:port` tunnel through `proxy`; resolves with the socket once the proxy said 200. */
export function openTunnel(proxy: ProxyServer, host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const target = net.isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
    const socket = net.connect({ host: proxy.host, port: proxy.port });
    let buffered = Buffer.alloc(0);
    const fail = (err: Error): void => {
      socket.destroy();
      reject(err);
    };
    socket.setTimeout(timeoutMs, () => fail(Object.assign(proxyError(proxy, `no answer to CONNECT ${target} within ${timeoutMs} ms`), { name: "TimeoutError" })));
    socket.once("error", (err) => fail(proxyError(proxy, `${(err as NodeJS.ErrnoException).code ?? err.name}: ${err.message}`)));
    socket.once("connect", () => {
      const auth = proxy.authorization ? `Proxy-Authorization: ${proxy.authorization}\r\n` : "";
      socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth}\r\n`);
    });
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf("\r\n\r\n");
      if (end < 0) {
        if (buffered.length > 16 * 1024) fail(proxyError(proxy, "answered CONNECT with an oversized header"));
        return;
      }
      socket.off("data", onData);
      const statusLine = buffered.subarray(0, buffered.indexOf("\r\n")).toString("latin1");
      const status = Number(/^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(statusLine)?.[1] ?? NaN);
      if (status !== 200) {
        fail(proxyError(proxy, `refused CONNECT ${target}: ${Number.isNaN(status) ? "not an HTTP answer" : `HTTP ${status}`}`));
        return;
      }
      const rest = buffered.subarray(end + 4);
      if (rest.length) socket.unshift(rest);
      socket.setTimeout(0);
      socket.removeAllListeners("error");
      resolve(socket);
    };
    socket.on("data", onData);
  });
}

/** Agent options plus the deadline of the tunnel and, for TLS targets, the trusted CAs. */
export type ProxyAgentOptions = http.AgentOptions & Pick<tls.ConnectionOptions, "ca"> & { timeoutMs: number };

type CreateCallback = (err: Error | null, stream: import("node:stream").Duplex) => void;

/**
 * An agent that tunnels through the proxy of its route (or connects directly when NO_PROXY excludes
 * the target), then starts TLS over the tunnel for https targets. Keep-alive pools the tunnels.
 */
export class ProxyAgent extends http.Agent {
  constructor(
    private readonly tlsTarget: boolean,
    private readonly route: ProxyRoute,
    private readonly agentOptions: ProxyAgentOptions,
  ) {
    super(agentOptions);
    // https.request refuses an agent whose protocol is not https:.
    (this as unknown as { protocol: string }).protocol = tlsTarget ? "https:" : "http:";
  }

  // Node calls createConnection(options, callback) and waits for the callback when nothing is returned.
  override createConnection(options: http.ClientRequestArgs, callback?: CreateCallback): net.Socket | undefined {
    const host = String(options.host ?? options.hostname ?? "localhost");
    const port = Number(options.port) || (this.tlsTarget ? 443 : 80);
    const named = (options as tls.ConnectionOptions).servername;
    const servername = named ?? (net.isIP(host) ? undefined : host);
    const overTls = (socket?: net.Socket): net.Socket =>
      tls.connect({
        host, port,
        ...(socket ? { socket } : {}),
        ...(servername ? { servername } : {}),
        ...(this.agentOptions.ca ? { ca: this.agentOptions.ca } : {}),
      });
    const proxy = this.route.proxyFor(host, port, this.tlsTarget);
    if (!proxy) return this.tlsTarget ? overTls() : net.connect({ host, port });
    openTunnel(proxy, host, port, this.agentOptions.timeoutMs).then(
      (socket) => callback?.(null, this.tlsTarget ? overTls(socket) : socket),
      (err: Error) => callback?.(err, undefined as unknown as net.Socket),
    );
    return undefined;
  }
}
