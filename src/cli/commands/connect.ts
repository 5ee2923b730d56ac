/**
 * `appstreamctl connect KIND/NAME [--validity D] [--user U] [--fleet F] [--application A] [-o json]`:
 * prints a streaming URL and when it expires. Which call makes the URL, and what its refusals mean, is
 * the kind's business (src/kinds/connect.ts); this command parses, checks locally (nothing is sent for
 * bad input) and prints.
 *
 * The URL lets whoever holds it stream: it goes to stdout only, never to stderr or a log line.
 */
import { connect } from "../../aws/client.js";
import { toAppError } from "../../aws/errors.js";
import { AppError } from "../../core/errors.js";
import { validitySeconds, type ConnectRequest, type ConnectTarget } from "../../kinds/connect.js";
import { CONNECT_TARGETS } from "../../kinds/index.js";
import { EXIT } from "../exit.js";
import type { Handler } from "../io.js";
import { requireFormat } from "../render/output.js";

export interface ConnectOptions {
  validity?: string;
  user?: string;
  fleet?: string;
  application?: string;
}

function usage(message: string): AppError {
  return new AppError("cli.usage", message, { source: "user" });
}

/** `Kind/NAME` → the kind's connect entry and the name; a usage error for anything else. */
function parseAddress(address: string): { kind: string; name: string; target: ConnectTarget } {
  const supported = Object.keys(CONNECT_TARGETS).map((k) => `${k}/NAME`).join(", ");
  const slash = address.indexOf("/");
  const kind = slash < 0 ? "" : address.slice(0, slash);
  const name = slash < 0 ? "" : address.slice(slash + 1);
  const target = Object.hasOwn(CONNECT_TARGETS, kind) ? CONNECT_TARGETS[kind] : undefined;
  if (!target || name === "") throw usage(`connect takes ${supported}; not ${JSON.stringify(address)}`);
  return { kind, name, target };
}

/** Everything checked before the first call: the address, the validity and which options the kind takes. */
export function connectRequest(address: string, opts: ConnectOptions): { kind: string; target: ConnectTarget; req: ConnectRequest } {
  const { kind, name, target } = parseAddress(address);
  if (target.user && opts.user === undefined) throw usage(`connect ${kind}/${name} needs --user: the user the link signs in`);
  if (!target.user && opts.user !== undefined) throw usage(`--user applies to ${kindsTaking("user")} only: ${kind} links sign in as the builder's administrator`);
  for (const o of ["fleet", "application"] as const) {
    if (opts[o] !== undefined && !target.options.includes(o)) throw usage(`--${o} applies to ${kindsTaking(o)} only`);
  }
  const req: ConnectRequest = { name, validity: validitySeconds(opts.validity, target) };
  if (opts.user !== undefined) req.user = opts.user;
  if (opts.fleet !== undefined) req.fleet = opts.fleet;
  if (opts.application !== undefined) req.application = opts.application;
  return { kind, target, req };
}

function kindsTaking(option: "user" | "fleet" | "application"): string {
  const takes = (t: ConnectTarget) => (option === "user" ? t.user : t.options.includes(option));
  return Object.entries(CONNECT_TARGETS).filter(([, t]) => takes(t)).map(([k]) => `${k}/NAME`).join(", ");
}

export const connectCommand: Handler<ConnectOptions> = async ({ io, globals }, opts, args) => {
  const format = requireFormat("connect", globals.output, ["text", "json"] as const);
  const address = args[0]!;
  const { target, req } = connectRequest(address, opts);
  const conn = await connect(io, { globals });
  try {
    let link;
    try {
      link = await target.request(conn.api, req, conn.region);
    } catch (err) {
      throw toAppError(err, { operation: `connect`, resource: address });
    }
    const expires = link.expires?.toISOString() ?? null;
    io.stdout.write(format === "json" ? `${JSON.stringify({ address, url: link.url, expires }, null, 2)}\n` : `${link.url}\nexpires ${expires ?? "(not reported by AppStream)"}\n`);
    return EXIT.ok;
  } finally {
    await conn.close();
  }
};
