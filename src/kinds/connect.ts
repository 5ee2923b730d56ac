/**
 * What `connect ADDRESS` needs to know about each kind it can connect to: the streaming-URL operation,
 * its parameters, the state the resource must be in, and what the service's refusals mean for the
 * operator. Each is a kind's `connect` fact; the command stays generic: it parses the address and the
 * validity, looks the kind up in the registry and prints what {@link ConnectTarget.request} returns.
 *
 * The URL is a bearer link: whoever holds it can stream as the builder's administrator or as the user.
 * Nothing here logs it; the command prints it on stdout only.
 */
import { collect } from "../aws/paginate.js";
import type { AppStreamApi } from "../aws/api.js";
import { classify, errorMessage } from "../aws/errors.js";
import { AppError, type Code } from "../core/errors.js";
import { PROSE_LIMITS } from "./api-limits.js";

/** What the operator passed beside the address. */
export interface ConnectRequest {
  name: string;
  /** Seconds, already checked against {@link ConnectTarget.validityLimit}. */
  validity: number;
  user?: string;
  fleet?: string;
  application?: string;
}

/** The link and when it stops working (undefined only if the service did not say). */
export interface StreamingLink {
  url: string;
  expires: Date | undefined;
}

export interface ConnectTarget {
  /** What the resource is called in messages, e.g. "image builder". */
  noun: string;
  /** The PROSE_LIMITS key of the operation's Validity: the range the service accepts. */
  validityLimit: string;
  /** Whether `--user` is required (true) or refused (false). */
  user: boolean;
  /** Options other than `--validity` (and `--user`) this kind accepts. */
  options: readonly ("fleet" | "application")[];
  /** Makes the calls and returns the link; failures are AppErrors with `connect.*` codes where the cause is known. */
  request(api: AppStreamApi, req: ConnectRequest, region: string): Promise<StreamingLink>;
}

/**
 * Seconds the link stays valid unless `--validity` says otherwise. Always sent, so the expiry does not
 * depend on which operation's own default applies (CreateStreamingURL's is only 60 s).
 */
export const DEFAULT_VALIDITY_SECONDS = 3600;

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `3600`, `90s`, `30m`, `2h`, `7d` → seconds; undefined when malformed. */
export function parseValidity(text: string): number | undefined {
  const m = /^(\d+)(s|m|h|d)?$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * (UNIT_SECONDS[m[2] ?? "s"] ?? 1);
}

/** The validity in seconds for `target`, or an AppError `connect.validity` naming the accepted range. */
export function validitySeconds(text: string | undefined, target: ConnectTarget): number {
  if (text === undefined) return DEFAULT_VALIDITY_SECONDS;
  const limit = PROSE_LIMITS[target.validityLimit];
  const min = limit?.min ?? 1;
  const max = limit?.max ?? Number.MAX_SAFE_INTEGER;
  const seconds = parseValidity(text);
  const range = `${min}–${max} seconds (${max % 86400 === 0 ? `${max / 86400}d` : `${max}s`})`;
  if (seconds === undefined) {
    throw new AppError("connect.validity", `--validity ${JSON.stringify(text)} is not a duration: use seconds (3600) or 90s, 30m, 2h, 7d; ${target.noun} links last ${range}`);
  }
  if (seconds < min || seconds > max) {
    throw new AppError("connect.validity", `--validity ${text} is ${seconds} seconds; ${target.noun} links last ${range}`);
  }
  return seconds;
}

/** The pattern and length of CreateStreamingURL's UserId (model shape StreamingUrlUserId). */
const USER_ID = /^[\w+=,.@-]{2,32}$/;

function failure(code: Code, message: string, err: unknown): AppError {
  const said = errorMessage(err);
  return new AppError(code, said ? `${message} (AppStream: ${said})` : message, { source: "aws", cause: err });
}

/** Maps a refusal of a builder's streaming-URL call; anything else passes through for the generic mapping. */
function builderFailure(err: unknown, noun: string, name: string, region: string, start: string): unknown {
  switch (classify(err)) {
    case "not-found":
      return failure("connect.not-found", `there is no ${noun} named ${name} in ${region}`, err);
    case "not-permitted":
    case "not-available":
      return failure("connect.not-ready", `the ${noun} ${name} is not RUNNING; start it first (${start}) and wait until it is RUNNING`, err);
    default:
      return err;
  }
}

/** `connect ImageBuilder/NAME`: the image builder kind's `connect` fact. */
export const imageBuilderConnect: ConnectTarget = {
  noun: "image builder",
  validityLimit: "CreateImageBuilderStreamingURLRequest.Validity",
  user: false,
  options: [],
  async request(api, req, region) {
    try {
      const out = await api.call("CreateImageBuilderStreamingURL", { Name: req.name, Validity: req.validity });
      return link(out, req);
    } catch (err) {
      throw builderFailure(err, "image builder", req.name, region, `state: running in the manifest and apply, or aws appstream start-image-builder --name ${req.name}`);
    }
  },
};

/** `connect AppBlockBuilder/NAME`. */
export const appBlockBuilderConnect: ConnectTarget = {
  noun: "app block builder",
  validityLimit: "CreateAppBlockBuilderStreamingURLRequest.Validity",
  user: false,
  options: [],
  async request(api, req, region) {
    try {
      const out = await api.call("CreateAppBlockBuilderStreamingURL", { AppBlockBuilderName: req.name, Validity: req.validity });
      return link(out, req);
    } catch (err) {
      throw builderFailure(err, "app block builder", req.name, region, `aws appstream start-app-block-builder --name ${req.name}`);
    }
  },
};

/** The fleet to stream from: `--fleet`, else the one fleet associated with the stack. */
async function fleetOf(api: AppStreamApi, req: ConnectRequest, region: string): Promise<string> {
  if (req.fleet !== undefined) return req.fleet;
  let names: string[];
  try {
    names = await collect(async (token) => {
      const out = await api.call("ListAssociatedFleets", { StackName: req.name, ...(token ? { NextToken: token } : {}) });
      return { items: out.Names ?? [], next: out.NextToken };
    }, { label: "ListAssociatedFleets" });
  } catch (err) {
    if (classify(err) === "not-found") throw failure("connect.not-found", `there is no stack named ${req.name} in ${region}`, err);
    throw err;
  }
  if (names.length === 1) return names[0]!;
  if (names.length === 0) {
    throw new AppError("connect.no-fleet", `the stack ${req.name} has no associated fleet to stream from; associate one (stacks[].fleet in the manifest) and start it`, { source: "user" });
  }
  throw new AppError("connect.no-fleet", `the stack ${req.name} is associated with ${names.length} fleets (${names.join(", ")}); choose one with --fleet`, { source: "user" });
}

/** `connect Stack/NAME --user U`. */
export const stackConnect: ConnectTarget = {
  noun: "stack",
  validityLimit: "CreateStreamingURLRequest.Validity",
  user: true,
  options: ["fleet", "application"],
  async request(api, req, region) {
    const user = req.user ?? "";
    if (!USER_ID.test(user)) {
      throw new AppError("cli.usage", `--user ${JSON.stringify(user)} is not a streaming user id: 2–32 characters of letters, digits and _+=,.@-`, { source: "user" });
    }
    const fleet = await fleetOf(api, req, region);
    try {
      const out = await api.call("CreateStreamingURL", {
        StackName: req.name, FleetName: fleet, UserId: user, Validity: req.validity,
        ...(req.application !== undefined ? { ApplicationId: req.application } : {}),
      });
      return link(out, req);
    } catch (err) {
      switch (classify(err)) {
        case "not-found":
          throw failure("connect.not-found", `the stack ${req.name} or the fleet ${fleet} does not exist in ${region}`, err);
        case "not-available":
          throw failure("connect.not-ready", `the fleet ${fleet} is not RUNNING; start it first (state: running in the manifest and apply, or aws appstream start-fleet --name ${fleet})`, err);
        case "not-permitted":
          throw failure("connect.not-ready", `the fleet ${fleet} cannot stream the stack ${req.name}: it must be associated with the stack and RUNNING`, err);
        case "invalid-parameters":
          throw failure("connect.invalid", `the stack ${req.name} cannot open ${req.application === undefined ? "this session" : `the application ${req.application}`} on the fleet ${fleet}`, err);
        default:
          throw err;
      }
    }
  },
};

function link(out: { StreamingURL?: string; Expires?: Date }, req: ConnectRequest): StreamingLink {
  if (!out.StreamingURL) throw new AppError("aws.error", `AppStream answered without a streaming URL for ${req.name}`, { source: "aws" });
  return { url: out.StreamingURL, expires: out.Expires };
}
