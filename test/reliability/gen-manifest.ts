/**
 * Seeded generator of valid manifests for the round-trip suite (roundtrip.test.ts); the field values are
 * in roundtrip-fields.ts, the edits in roundtrip-edits.ts. Values come from the kinds' schemas and the API's
 * rules: every field of every kind, with edge values (minimum, maximum, odd seconds, unicode at maximum
 * length, empty lists) and both user-setting forms. Cross-field rules are kept by one `repair` pass, so an
 * edit only has to change one thing.
 *
 * KNOWN_CLASSES names classes of values that once failed to converge; a class whose fix is pending is
 * switched off (`include: false`) until it lands. ROUNDTRIP_INCLUDE=name,name (or "all") turns classes on for
 * a run, ROUNDTRIP_EXCLUDE=name,name off (to tell whether a failure belongs to a class).
 */
import { prng } from "../../src/emulator/faults.js";
import {
  BUILDER_TYPES, DIRECTORY, ELASTIC_PLATFORMS, ELASTIC_TYPES, fill, FLEET, FLEET_TYPES, IMAGE_SOURCE, imageChoice, INSTANCE_TYPES, OWN_SELECTOR, imagePlatform, ownSelectorMatches, PUBLIC_IMAGES, vpc,
} from "./roundtrip-fields.js";

/** A class of values the suite can leave out while its fix is pending; `include: true` generates it. */
export interface KnownClass {
  include: boolean;
  why: string;
}

export const KNOWN_CLASSES = {
  idleRounding: {
    include: true,
    why: "idleDisconnectTimeoutInSeconds that is not a multiple of 60 (stored as sent, a warning at validate)",
  },
  userSettingsForms: {
    include: true,
    why: "userSettings object form without maximumLength ({permission: X}), compared in canonical form with the shorthand",
  },
  directoryCredentials: {
    include: true,
    why: "adding serviceAccountCredentials to a directory config created without them (write-only, compared by accountName)",
  },
  agentLatest: {
    include: true,
    why: "appstreamAgentVersion [LATEST] on an image builder, as the API spells it",
  },
  removalDefaults: {
    include: true,
    why: "removing a field that has a service default (disableIMDSV1, userSettings, certificate auth, ...) restores the default",
  },
  imageTexts: {
    include: true,
    why: "edits of image description/displayName/source (compared, the source by its remembered digest), which replace the image",
  },
  softwares: {
    include: true,
    why: "image builder softwaresToInstall/Uninstall (never echoed: compared by their remembered digest)",
  },
  selectorRegex: {
    include: true,
    why: "an imageSelector nameRegex with an escape (Unicode mode, as plan compiles it)",
  },
  selectorOwnImages: {
    include: true,
    why: "a fleet's imageSelector over the manifest's own images, which the same plan imports, renames or deletes",
  },
  selectorNewestProduced: {
    include: true,
    why: "a newest-first selector over several images the same plan produces: the plan picks the one it creates last (after the others it matches), so it is the newest once they all exist",
  },
  joinedStackMove: {
    include: true,
    why: "a stack moved off a domain-joined fleet that gains user-pool members in the same apply: user associations are created after the stack's fleet associations (and its fleet's domain join) change",
  },
  imageReplaceInUse: {
    include: false,
    why: "an edit that replaces an image (source, description, displayName) a fleet streams from: the plan refuses it (plan.image-in-use, regression imageReplaceInUse), so a round of it cannot converge by design",
  },
  exportFidelity: {
    include: true,
    why: "strings holding a literal ${ (written $${), which export must write back escaped",
  },
} satisfies Record<string, KnownClass>;

export type ClassName = keyof typeof KNOWN_CLASSES;

/** The classes generated in this run: those marked include, plus ROUNDTRIP_INCLUDE (comma-separated, or "all"), less ROUNDTRIP_EXCLUDE. */
export function includedClasses(
  env: string | undefined = process.env.ROUNDTRIP_INCLUDE, exclude: string | undefined = process.env.ROUNDTRIP_EXCLUDE,
): ReadonlySet<ClassName> {
  const names = Object.keys(KNOWN_CLASSES) as ClassName[];
  const extra = (env ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const off = (exclude ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return new Set(names.filter((n) => (KNOWN_CLASSES[n].include || extra.includes(n) || extra.includes("all")) && !off.includes(n)));
}

export type Entry = Record<string, any>;
export interface Manifest {
  apiVersion: "appstreamctl/v1";
  metadata: { name: string; region: string; userPool: "exclusive" | "shared" };
  defaults?: { tags: Record<string, string> };
  directoryConfigs: Entry[];
  images: Entry[];
  imageBuilders: Entry[];
  fleets: Entry[];
  stacks: Entry[];
  users: Entry[];
  userGroups: Entry[];
}
export type ListKey = "directoryConfigs" | "images" | "imageBuilders" | "fleets" | "stacks" | "users" | "userGroups";
export const LIST_KEYS: readonly ListKey[] = ["directoryConfigs", "images", "imageBuilders", "fleets", "stacks", "users", "userGroups"];
export const IDENTITY: Record<ListKey, string> = {
  directoryConfigs: "directoryName", images: "name", imageBuilders: "name", fleets: "name", stacks: "name", users: "userName", userGroups: "name",
};

/** Unicode text of exactly `n` code points (mixes 1- and 2-unit characters, so length checks meet both). */
const UNICODE = ["é", "日", "ß", "😀", "Ω", "ü", "中", "🚀", "a", "Z", "-", " "];

export class Gen {
  readonly r: () => number;
  readonly classes: ReadonlySet<ClassName>;
  /** How often each kind.field (and kind.field.sub) was generated, for the coverage check. */
  readonly coverage = new Map<string, number>();
  private counter = 0;

  constructor(seed: number, classes: ReadonlySet<ClassName>) {
    this.r = prng(seed * 104729 + 17);
    this.classes = classes;
  }

  has(c: ClassName): boolean {
    return this.classes.has(c);
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.r() * (max - min + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)]!;
  }
  some<T>(xs: readonly T[], min = 0, max = xs.length): T[] {
    const n = this.int(min, Math.min(max, xs.length));
    const pool = [...xs];
    const out: T[] = [];
    while (out.length < n) out.push(pool.splice(Math.floor(this.r() * pool.length), 1)[0]!);
    return out;
  }
  /** A fresh suffix, unique within the generator. */
  next(): number {
    return ++this.counter;
  }
  count(path: string): void {
    this.coverage.set(path, (this.coverage.get(path) ?? 0) + 1);
  }
  /** Edge-biased integer in [min, max]: the bounds, just inside them, or anything between. */
  edgeInt(min: number, max: number): number {
    const x = this.r();
    if (x < 0.2) return min;
    if (x < 0.4) return max;
    if (x < 0.5) return Math.min(max, min + 1);
    if (x < 0.6) return Math.max(min, max - 1);
    return this.int(min, max);
  }
  /** Free text up to `max` code points: empty-ish, ASCII, or unicode at exactly the maximum length. */
  text(max: number, ascii = false): string {
    const x = this.r();
    // `$${` is the manifest's escape for a literal `${`: export must write it back escaped.
    if (this.has("exportFidelity") && x < 0.1) return "cost $${center} ü";
    if (x < 0.25 && !ascii) return Array.from({ length: max }, () => this.pick(UNICODE.filter((c) => c !== " "))).join("");
    if (x < 0.4) return "x".repeat(max);
    if (x < 0.5) return "A";
    return `${this.pick(["Engineering", "Contractors", "Training", "Lab"])} ${this.int(1, 999)}${ascii ? "" : this.pick(["", " — ü", " 日本"])}`;
  }
  tagValue(): string {
    const x = this.r();
    if (x < 0.15) return "";
    if (x < 0.3) return "ü".repeat(256);
    return this.pick(["euc", "ops", "dev", "4711", "a b", "x=y", "team/sub", "user@example.com"]);
  }
  tags(): Record<string, string> {
    const out: Record<string, string> = {};
    for (let i = this.int(0, 3); i > 0; i--) {
      const key = this.chance(0.2) ? `k${"ä".repeat(126)}${i}` : this.pick(["team", "cost center", "env", "owner:email", "Ünïcode", "a/b=c+d"]);
      out[key] = this.tagValue();
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------
// Entries

function newDirectory(g: Gen, m: Manifest): Entry {
  const e: Entry = { directoryName: `corp${g.next()}.example.com`, organizationalUnitDistinguishedNames: DIRECTORY.organizationalUnitDistinguishedNames!(g, m, {}) };
  return fill(g, "directoryConfigs", m, e, 0.6);
}

function newImage(g: Gen, m: Manifest): Entry {
  return fill(g, "images", m, { name: `img-${g.next()}`, source: IMAGE_SOURCE(g, m, {}) }, 0.6);
}

function newBuilder(g: Gen, m: Manifest): Entry {
  const e: Entry = { name: `builder-${g.next()}`, instanceType: g.pick(BUILDER_TYPES) };
  imageChoice(g, m, e, true);
  return fill(g, "imageBuilders", m, e, 0.6);
}

function newFleet(g: Gen, m: Manifest): Entry {
  const e: Entry = { name: `fleet-${g.next()}` };
  if (g.chance(0.7)) e.fleetType = g.pick(FLEET_TYPES);
  if (e.fleetType !== "ELASTIC") {
    imageChoice(g, m, e, false);
    if (g.chance(0.35)) e.maxSessionsPerInstance = FLEET.maxSessionsPerInstance!(g, m, e);
    e.computeCapacity = FLEET.computeCapacity!(g, m, e);
  }
  e.instanceType = FLEET.instanceType!(g, m, e);
  // Only ELASTIC fleets take a session script: offered more often there so that it is covered.
  if (e.fleetType === "ELASTIC" && g.chance(0.5)) e.sessionScriptS3Location = FLEET.sessionScriptS3Location!(g, m, e);
  return fill(g, "fleets", m, e, 0.45);
}

function newStack(g: Gen, m: Manifest): Entry {
  return fill(g, "stacks", m, { name: `stack-${g.next()}` }, 0.45);
}

function newUser(g: Gen, m: Manifest): Entry {
  const n = g.next();
  const userName = g.pick([`user${n}@example.com`, `ü${n}@exämple.com`, `${"u".repeat(110)}${n}@example.com`, `Mixed.Case${n}@Example.com`]);
  return fill(g, "users", m, { userName }, 0.5);
}

function newGroup(g: Gen, m: Manifest): Entry {
  const n = g.next();
  return fill(g, "userGroups", m, { name: `group-${n}`, userNames: Array.from({ length: g.int(1, 3) }, (_, i) => `g${n}-${i}@example.com`) }, 0.75);
}

export const NEW: Record<ListKey, (g: Gen, m: Manifest) => Entry> = {
  directoryConfigs: newDirectory, images: newImage, imageBuilders: newBuilder, fleets: newFleet, stacks: newStack, users: newUser, userGroups: newGroup,
};
/** Emulator quotas are 10 per kind (50 users); the generator stays well below. */
export const MAX: Record<ListKey, number> = { directoryConfigs: 2, images: 3, imageBuilders: 3, fleets: 5, stacks: 5, users: 6, userGroups: 2 };

export function generateManifest(g: Gen, seed: number): Manifest {
  const m: Manifest = {
    apiVersion: "appstreamctl/v1",
    metadata: { name: `roundtrip-${seed}`, region: "us-east-1", userPool: g.chance(0.7) ? "exclusive" : "shared" },
    directoryConfigs: [], images: [], imageBuilders: [], fleets: [], stacks: [], users: [], userGroups: [],
  };
  if (g.chance(0.4)) m.defaults = { tags: g.tags() };
  const counts: Record<ListKey, number> = {
    directoryConfigs: g.int(0, 2), images: g.int(0, 2), imageBuilders: g.int(1, 2), fleets: g.int(1, 4), stacks: g.int(1, 4), users: g.int(0, 4), userGroups: g.int(0, 2),
  };
  for (const key of LIST_KEYS) for (let i = 0; i < counts[key]; i++) m[key].push(NEW[key](g, m));
  repair(g, m);
  return m;
}

// ---------------------------------------------------------------------------------------------------
// Rules: one pass that makes any manifest the generator or an edit produced valid again.

export function repair(g: Gen, m: Manifest): void {
  const dirs = new Set(m.directoryConfigs.map((d) => d.directoryName));
  const images = new Set(m.images.map((i) => i.name));
  for (const d of m.directoryConfigs) {
    const cba = d.certificateBasedAuthProperties;
    if (cba?.status && cba.status !== "DISABLED" && !cba.certificateAuthorityArn) cba.certificateAuthorityArn = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/0a1b";
  }
  for (const i of m.images) {
    for (const s of i.sharedWith ?? []) if (s.allowFleet === false && s.allowImageBuilder !== true) s.allowImageBuilder = true;
  }
  for (const e of [...m.fleets, ...m.imageBuilders]) {
    const join = e.domainJoinInfo;
    if (join) {
      if (!dirs.has(join.directoryName)) delete e.domainJoinInfo;
      else {
        const ous = m.directoryConfigs.find((d) => d.directoryName === join.directoryName)!.organizationalUnitDistinguishedNames as string[];
        // A builder's join is replace-only and an OU outside the directory's list only warns: fleets only.
        if (m.fleets.includes(e) && join.organizationalUnitDistinguishedName !== undefined && !ous.includes(join.organizationalUnitDistinguishedName)) {
          join.organizationalUnitDistinguishedName = ous[0];
        }
      }
    }
    if (e.imageName && !(e.imageName in PUBLIC_IMAGES) && !images.has(e.imageName)) e.imageName = "AppStream-WinServer2022-11-12-2025";
  }
  for (const b of m.imageBuilders) {
    if (b.imageName && !(b.imageName in PUBLIC_IMAGES)) b.imageName = "AppStream-WinServer2019-11-12-2025";
    if ([b.imageName, b.imageArn, b.imageSelector].filter((x) => x !== undefined).length !== 1) imageChoice(g, m, b, true);
    if (b.vpcConfig) b.vpcConfig.subnetIds = (b.vpcConfig.subnetIds as string[]).slice(0, 1);
    // License-included applications (Office, Visio, Project) install on Windows images only (SOFT-02).
    if (!/^WINDOWS/.test(imagePlatform(b, m) ?? "")) {
      delete b.softwaresToInstall;
      delete b.softwaresToUninstall;
    }
  }
  for (const f of m.fleets) repairFleet(g, m, f);
  const fleets = new Set(m.fleets.map((f) => f.name));
  for (const s of m.stacks) {
    if (s.fleet !== undefined && !fleets.has(s.fleet)) delete s.fleet;
    if (s.applicationSettings && !s.applicationSettings.enabled) delete s.applicationSettings.settingsGroup;
    // The model says, in prose, that screenshot uploads need the bucket.
    if (s.agentAccessConfig) repairAgentAccess(s.agentAccessConfig);
    const types = new Set<string>();
    s.storageConnectors = s.storageConnectors?.filter((c: Entry) => !types.has(c.connectorType) && types.add(c.connectorType));
    if (s.storageConnectors === undefined) delete s.storageConnectors;
  }
  // User-pool users cannot join a stack whose fleet is domain-joined.
  const joined = new Set(m.stacks.filter((s) => m.fleets.find((f) => f.name === s.fleet)?.domainJoinInfo).map((s) => s.name));
  const stacks = new Set(m.stacks.map((s) => s.name));
  for (const u of [...m.users, ...m.userGroups]) {
    if (u.stacks) u.stacks = (u.stacks as string[]).filter((s) => stacks.has(s) && !joined.has(s));
  }
}

/** rule.agent-access: uploads need the bucket, and COMPUTER_INPUT needs COMPUTER_VISION enabled. */
function repairAgentAccess(a: Entry): void {
  if (a.screenshotsUploadEnabled && !a.s3BucketArn) a.s3BucketArn = "arn:aws:s3:::agent-screens";
  const settings = a.settings as Entry[];
  if (!settings.some((x) => x.agentAction === "COMPUTER_INPUT" && x.permission === "ENABLED")) return;
  const vision = settings.find((x) => x.agentAction === "COMPUTER_VISION");
  if (vision) vision.permission = "ENABLED";
  else settings.unshift({ agentAction: "COMPUTER_VISION", permission: "ENABLED" });
}

function repairFleet(g: Gen, m: Manifest, f: Entry): void {
  if (f.fleetType === "ELASTIC") {
    for (const k of ["imageName", "imageArn", "imageSelector", "computeCapacity", "domainJoinInfo", "maxSessionsPerInstance"]) delete f[k];
    if (f.maxConcurrentSessions === undefined) f.maxConcurrentSessions = FLEET.maxConcurrentSessions!(g, m, f);
    if (!ELASTIC_PLATFORMS.includes(f.platform)) f.platform = g.pick(ELASTIC_PLATFORMS);
    if ((f.vpcConfig?.subnetIds?.length ?? 0) < 2) f.vpcConfig = vpc(g, 2, 4);
    if (!ELASTIC_TYPES.includes(f.instanceType)) f.instanceType = g.pick(ELASTIC_TYPES);
    return;
  }
  delete f.maxConcurrentSessions;
  delete f.sessionScriptS3Location;
  delete f.platform;
  if (!INSTANCE_TYPES.includes(f.instanceType) && !ELASTIC_TYPES.includes(f.instanceType)) f.instanceType = g.pick(INSTANCE_TYPES);
  if (f.imageSelector?.type === OWN_SELECTOR.type && !ownSelectorMatches(f.imageSelector, m.images.map((i) => i.name))) delete f.imageSelector;
  if ([f.imageName, f.imageArn, f.imageSelector].filter((x) => x !== undefined).length !== 1) imageChoice(g, m, f, false);
  const multi = f.maxSessionsPerInstance !== undefined;
  const cap = f.computeCapacity ?? {};
  if (multi ? cap.desiredSessions === undefined || cap.desiredInstances !== undefined : cap.desiredInstances === undefined || cap.desiredSessions !== undefined) {
    f.computeCapacity = FLEET.computeCapacity!(g, m, f);
  }
  const idle = f.idleDisconnectTimeoutInSeconds;
  if (idle !== undefined && idle > 0 && idle < 60) f.idleDisconnectTimeoutInSeconds = 60;
}
