/**
 * The emulator's whole state: per-region collections of plain JSON records, a clock, and persistence to a
 * state file. Everything an area file needs to keep lives here, so `GET /_emulator/state` and the state file
 * are one JSON document and a second process can pick up where the first stopped.
 *
 * Shape (persisted as is):
 * ```
 * { version: 1, clockOffsetMs, regions: { "us-east-1": { <collection>: { <key>: <record> } } } }
 * ```
 * A collection is a name → record map created on first use by {@link Store.table}; an area adds one simply
 * by choosing a name (list it in {@link COLLECTIONS} for the docs). Records are plain JSON: timestamps are
 * epoch milliseconds (converted to epoch seconds on the wire by `out.ts`), states are {@link Lifecycle}s
 * (computed against the clock by `transitions.ts`), and `visibleAt` (eventual consistency, `faults.ts`)
 * hides a record from Describe/List calls until that instant.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { effective, rest, type Lifecycle } from "./transitions.js";

/** The collections in use and who owns them. Keys are resource names unless noted. */
export const COLLECTIONS = {
  fleets: "fleets.ts — FleetRecord",
  stacks: "stacks.ts — StackRecord",
  stackFleets: "associations.ts — key = stack name, value {StackName, FleetName} (a stack holds one fleet)",
  tags: "tags.ts — key = resource ARN, value Record<TagKey, TagValue>",
  sessions: "sessions.ts — key = session id",
  usageReports: "usage-reports.ts — key = 'subscription' (account+region singleton)",
  images: "images.ts, image-create.ts (public ones seeded here) — ImageRecord",
  imagePermissions: "images.ts, image-permissions.ts",
  imageBuilders: "image-builders.ts",
  users: "users.ts",
  userStackAssociations: "users.ts, user-associations.ts — records carry StackName; DeleteStack removes them (STACK-10)",
  directoryConfigs: "directory-configs.ts",
  themes: "themes.ts — key = stack name (one theme per stack)",
  exportImageTasks: "export-tasks.ts — key = task id",
  softwareAssociations: "software.ts — key = image builder name, value {builderCreatedAt, software: name → association}",
  drainedInstances: "streaming.ts, sessions.ts — key = streaming instance id of a multi-session fleet being drained",
  applications: "applications.ts — ApplicationRecord (API members; the app-block area reads AppBlockArn)",
  applicationFleets: "application-fleets.ts — key = FLEET|APPLICATION_ARN; DeleteFleet refuses while any (APPFLEET-08)",
  entitlements: "entitlements.ts — key = STACK/NAME, with the entitled application identifiers; DeleteStack removes them (ENT-11)",
  appBlocks: "app-blocks.ts — AppBlockRecord",
  appBlockBuilders: "app-block-builders.ts — AppBlockBuilderRecord",
  appBlockBuilderAssociations: "app-blocks.ts, app-block-builder-associations.ts — key = builder name, value {AppBlockArn, AppBlockBuilderName}",
  scalableTargets: "scaling.ts — Application Auto Scaling; key = namespace|resource id|dimension, tags inside the record",
  scalingPolicies: "scaling.ts — key = target key|policy name",
  scheduledActions: "scaling-schedule.ts — key = target key|action name",
  scalingActivities: "scaling-common.ts — key = activity id",
  scheduleGroups: "scheduler.ts — EventBridge Scheduler groups (`default` added on first use), tags inside the record",
  schedules: "scheduler.ts, scheduler-fire.ts — key = 'GROUP/NAME'",
  schedulerClientTokens: "scheduler-idempotency.ts — key = 'Operation|ClientToken', the first answer of an idempotent request",
  schedulerInvocations: "scheduler-fire.ts — key = 'i' + zero-padded sequence, one per schedule invocation",
} as const;

/** A collection: key → record. */
export type Table<T> = Record<string, T>;

/**
 * A map keyed by names that come from requests. No prototype: a fleet called `constructor` or a tag key
 * `__proto__` is an ordinary key, not Object.prototype's member (every collection and per-record map the
 * emulator keys by user input is one of these).
 */
export function dict<T>(entries?: Iterable<readonly [string, T]>): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  if (entries) for (const [k, v] of entries) out[k] = v;
  return out;
}

/** `JSON.parse` reviver: every object of a loaded state file gets no prototype, as `dict` makes them. */
function withoutPrototypes(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return dict(Object.entries(value));
}

/** Every record may carry these. */
export interface BaseRecord {
  /** Epoch ms of creation (API `CreatedTime`). */
  createdAt: number;
  /** Epoch ms before which Describe/List calls do not see the record (eventual consistency fault). */
  visibleAt?: number;
}

/**
 * An image as stored by every area (seeded public images here; private ones by the images area).
 * `attrs` holds the API `Image` members except `State` and `CreatedTime`, which come from `lifecycle`
 * and `createdAt`.
 */
export interface ImageRecord extends BaseRecord {
  attrs: { Name: string; Arn: string; Visibility: "PUBLIC" | "PRIVATE" | "SHARED"; Platform?: string } & Record<string, unknown>;
  lifecycle: Lifecycle;
}

/** Count quotas of reference §16 (defaults there); over quota → LimitExceededException. */
export interface Quotas {
  fleets: number;
  stacks: number;
  imageBuilders: number;
  images: number;
  users: number;
  imageShareAccounts: number;
  concurrentImageCopies: number;
  concurrentImageUpdates: number;
  appBlockBuilders: number;
  /** Tags per resource after a merge (reference §10 [rec]). */
  tagsPerResource: number;
  /**
   * Streaming instances per instance type, shared by every STARTING/RUNNING fleet of that type (§16). The
   * real defaults vary by type and account; a type not listed here is unlimited.
   */
  instances: Record<string, number>;
}

export const DEFAULT_QUOTAS: Quotas = {
  fleets: 10,
  stacks: 10,
  imageBuilders: 10,
  images: 10,
  users: 50,
  imageShareAccounts: 100,
  concurrentImageCopies: 2,
  concurrentImageUpdates: 5,
  appBlockBuilders: 10,
  tagsPerResource: 50,
  instances: {},
};

/** Unscaled transition durations in ms ("a few seconds", multiplied by `timeScale`). */
export const DEFAULT_DURATIONS = {
  fleetStart: 5000,
  fleetStop: 3000,
  imageBuilderStart: 5000,
  imageBuilderStop: 3000,
  imageBuilderDelete: 2000,
  imageCreate: 5000,
  imageCopy: 5000,
  imageDelete: 2000,
  appBlockBuilderStart: 5000,
  appBlockBuilderStop: 3000,
  imageExport: 5000,
  softwareDeploy: 3000,
  scheduleGroupDelete: 2000,
} as const;
export type Durations = Record<keyof typeof DEFAULT_DURATIONS, number>;

/** Settings fixed at start-up (some changeable through the control API). */
export interface StoreConfig {
  account: string;
  timeScale: number;
  pageSize: number;
  quotas: Quotas;
  durations: Durations;
  /** HTTP status of ResourceNotFoundException: 404 as in the SDK schema, or 400 (reference §1, §20 q9). */
  notFoundStatus: 400 | 404;
  /** Where state is persisted after every mutating call and on close. */
  stateFile?: string;
}

interface StoreDoc {
  version: 1;
  clockOffsetMs: number;
  regions: Record<string, Record<string, Table<unknown>>>;
}

/**
 * A stored directory-config password hash (the format of older state files) is replaced on load by the
 * "was set" marker (DC-02), so the next save holds nothing derived from the secret.
 */
function dropPasswordHashes(doc: StoreDoc): void {
  for (const region of Object.values(doc.regions)) {
    for (const rec of Object.values(region.directoryConfigs ?? {})) {
      const creds = (rec as { ServiceAccountCredentials?: Record<string, unknown> } | undefined)?.ServiceAccountCredentials;
      if (creds && "AccountPasswordSha256" in creds) {
        delete creds.AccountPasswordSha256;
        creds.AccountPasswordMarker = "set:legacy";
      }
    }
  }
}

/** Maps an ARN resource type to the collection holding it (TagResource and friends, reference §10). */
export const ARN_COLLECTIONS: Record<string, string> = {
  fleet: "fleets",
  stack: "stacks",
  "image-builder": "imageBuilders",
  image: "images",
  application: "applications",
  "app-block": "appBlocks",
  "app-block-builder": "appBlockBuilders",
};

/** `arn:aws:appstream:{region}:{account}:{type}/{name}` (reference §2). */
export function arnOf(region: string, account: string, type: string, name: string): string {
  return `arn:aws:appstream:${region}:${account}:${type}/${name}`;
}

/** Splits an AppStream ARN; undefined when it is not one. */
export function parseArn(arn: string): { region: string; account: string; type: string; name: string } | undefined {
  const m = /^arn:aws[a-z-]*:appstream:([^:]*):([^:]*):([a-z-]+)\/(.+)$/.exec(arn);
  if (!m) return undefined;
  return { region: m[1]!, account: m[2]!, type: m[3]!, name: m[4]! };
}

/**
 * The terminal pseudo-state of a deleted image or image builder (images.ts, image-builders.ts): DELETING →
 * GONE. A record whose lifecycle reached it is absent for every lookup until its area purges it.
 */
export const GONE = "GONE";

function isGone(rec: { lifecycle?: Lifecycle }, now: number): boolean {
  return rec.lifecycle !== undefined && effective(rec.lifecycle, now).state === GONE;
}

/** True when a record is visible to Describe/List calls at `now` (eventual consistency). */
export function isVisible(rec: BaseRecord, now: number): boolean {
  return rec.visibleAt === undefined || rec.visibleAt <= now;
}

/** The state file exists but cannot be read or is not an emulator state document (PERSIST-03). */
export class StateFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = "StateFileError";
  }
}

/** The per-region, persisted state of one emulator. */
export class Store {
  private doc: StoreDoc = { version: 1, clockOffsetMs: 0, regions: dict() };

  constructor(readonly config: StoreConfig) {}

  /** The emulator clock in epoch ms: real time plus whatever `POST /_emulator/clock` added. */
  now(): number {
    return Date.now() + this.doc.clockOffsetMs;
  }

  /** Moves the clock forward (never back), e.g. to complete transitions without waiting. */
  advance(ms: number): void {
    this.doc.clockOffsetMs += Math.max(0, ms);
  }

  /** The regions that have state. */
  regions(): string[] {
    return Object.keys(this.doc.regions);
  }

  /** The collection `name` of `region`, created (and the region seeded) on first use. */
  table<T>(region: string, name: string): Table<T> {
    let state = this.doc.regions[region];
    if (!state) {
      state = dict();
      this.doc.regions[region] = state;
      seedRegion(state, region);
    }
    let t = state[name];
    if (!t) {
      t = dict();
      state[name] = t;
    }
    return t as Table<T>;
  }

  /** The collection `name` of `region` if it exists, without creating it (or seeding the region). */
  existing<T>(region: string, name: string): Table<T> | undefined {
    return this.doc.regions[region]?.[name] as Table<T> | undefined;
  }

  /**
   * Finds an image by name or ARN for fleets and image builders, in the ARN's region when an ARN is given.
   * Returns the record with its effective state, or undefined. Callers decide what "not found" and
   * "not AVAILABLE" mean for them (reference §7.2). Records hidden by the eventual-consistency fault are
   * found: only Describe/List calls are blind to them (FAULT-08).
   */
  findImage(region: string, nameOrArn: string): { record: ImageRecord; state: string } | undefined {
    const parsed = parseArn(nameOrArn);
    const now = this.now();
    let record: ImageRecord | undefined;
    if (parsed) {
      if (parsed.type !== "image") return undefined;
      const candidate = this.table<ImageRecord>(parsed.region || region, "images")[parsed.name];
      record = candidate && candidate.attrs.Arn === nameOrArn ? candidate : undefined;
    } else {
      record = this.table<ImageRecord>(region, "images")[nameOrArn];
    }
    if (!record || isGone(record, now)) return undefined;
    return { record, state: effective(record.lifecycle, now).state };
  }

  /**
   * The record an ARN names (fleet, stack, image builder, image) in this account, if it exists. Records hidden
   * by the eventual-consistency fault count only when `includeHidden` (mutating calls, FAULT-08).
   */
  findByArn(region: string, arn: string, includeHidden = false): BaseRecord | undefined {
    const p = parseArn(arn);
    if (!p || p.region !== region || p.account !== this.config.account) return undefined;
    const collection = Object.hasOwn(ARN_COLLECTIONS, p.type) ? ARN_COLLECTIONS[p.type] : undefined;
    if (!collection) return undefined;
    const rec = this.table<BaseRecord & { attrs?: { Arn?: string }; lifecycle?: Lifecycle }>(region, collection)[p.name];
    return rec && (includeHidden || isVisible(rec, this.now())) && !isGone(rec, this.now()) ? rec : undefined;
  }

  /** The whole state as JSON (also what `GET /_emulator/state` returns). */
  snapshot(): StoreDoc {
    return structuredClone(this.doc);
  }

  /** Drops every region and the clock offset (`POST /_emulator/reset`). */
  reset(): void {
    this.doc = { version: 1, clockOffsetMs: 0, regions: dict() };
  }

  /** Loads the state file if it exists; a missing file means a fresh store. */
  load(): void {
    const file = this.config.stateFile;
    if (!file) return;
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
      throw new StateFileError(file, (err as Error).message);
    }
    let doc: Partial<StoreDoc> | undefined;
    try {
      doc = JSON.parse(text, withoutPrototypes) as Partial<StoreDoc>;
    } catch (err) {
      throw new StateFileError(file, `not JSON (${(err as Error).message})`);
    }
    if (!doc || doc.version !== 1 || typeof doc.regions !== "object" || doc.regions === null || typeof doc.clockOffsetMs !== "number") {
      throw new StateFileError(file, "not an appstreamctl emulator state file (expected version 1)");
    }
    this.doc = doc as StoreDoc;
    dropPasswordHashes(this.doc);
  }

  /** Writes the state file atomically (temp file + rename) so a reader never sees half a document. */
  save(): void {
    const file = this.config.stateFile;
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.doc, null, 1));
    renameSync(tmp, file);
  }
}

/** Release date of the seeded public base images (their names carry it, as AWS's do). */
const SEED_RELEASE = Date.UTC(2025, 10, 12) ;
const SEED_OLDER = Date.UTC(2025, 5, 17);

/** Public base images every region starts with (reference §19 "Images"); account field of the ARN is empty. */
export const SEEDED_IMAGES: ReadonlyArray<{ name: string; platform: string; released: number }> = [
  { name: "AppStream-WinServer2019-11-12-2025", platform: "WINDOWS_SERVER_2019", released: SEED_RELEASE },
  { name: "AppStream-WinServer2022-06-17-2025", platform: "WINDOWS_SERVER_2022", released: SEED_OLDER },
  { name: "AppStream-WinServer2022-11-12-2025", platform: "WINDOWS_SERVER_2022", released: SEED_RELEASE },
  { name: "AppStream-WinServer2025-11-12-2025", platform: "WINDOWS_SERVER_2025", released: SEED_RELEASE },
  { name: "AppStream-AmazonLinux2-11-12-2025", platform: "AMAZON_LINUX2", released: SEED_RELEASE },
  { name: "AppStream-Graphics-G4dn-WinServer2022-11-12-2025", platform: "WINDOWS_SERVER_2022", released: SEED_RELEASE },
];

function seedRegion(state: Record<string, Table<unknown>>, region: string): void {
  const images: Table<ImageRecord> = {};
  for (const s of SEEDED_IMAGES) {
    images[s.name] = {
      createdAt: s.released,
      lifecycle: rest(s.released, "AVAILABLE"),
      attrs: {
        Name: s.name,
        Arn: `arn:aws:appstream:${region}::image/${s.name}`,
        DisplayName: s.name.replace(/-/g, " "),
        Description: `Amazon AppStream 2.0 base image (${s.platform})`,
        Visibility: "PUBLIC",
        ImageBuilderSupported: true,
        Platform: s.platform,
        PublicBaseImageReleasedDate: s.released,
        AppstreamAgentVersion: "1.1.1370",
        ImageType: "NATIVE",
        SupportedInstanceFamilies: s.name.includes("Graphics") ? ["GRAPHICS_G4DN"] : ["GENERAL_PURPOSE", "COMPUTE_OPTIMIZED", "MEMORY_OPTIMIZED"],
        LatestAppstreamAgentVersion: "TRUE",
        DynamicAppProvidersEnabled: "DISABLED",
        ImageSharedWithOthers: "FALSE",
      },
    };
  }
  state.images = images as Table<unknown>;
}
