/**
 * Seeded generator of valid manifests and of edits to them, for the round-trip suite (roundtrip.test.ts).
 * Values come from the kinds' schemas and the API's rules: every field of every kind, with edge values
 * (minimum, maximum, odd seconds, unicode at maximum length, empty lists) and both user-setting forms.
 * Cross-field rules are kept by one `repair` pass, so an edit only has to change one thing.
 *
 * Classes of values that other work is settling are switched off in KNOWN_CLASSES until that work lands;
 * ROUNDTRIP_INCLUDE=name,name turns them back on for a run.
 */
import { prng } from "../../src/emulator/faults.js";

/** A class of values the suite leaves out while its fix is pending; `include: true` generates it again. */
export interface KnownClass {
  include: boolean;
  why: string;
}

export const KNOWN_CLASSES = {
  idleRounding: {
    include: false,
    why: "idleDisconnectTimeoutInSeconds that is not a multiple of 60: the emulator stores it rounded (FLEET-26), plan wants it back forever",
  },
  userSettingsForms: {
    include: false,
    why: "userSettings object form without maximumLength ({permission: X}) reads back as the shorthand and plans X → {permission: X} forever",
  },
  directoryCredentials: {
    include: false,
    why: "adding serviceAccountCredentials to a directory config created without them plans nothing (write-only skipped when live lacks it)",
  },
  agentLatest: {
    include: false,
    why: "appstreamAgentVersion [LATEST] on an image builder is not compared as the API spells it",
  },
  removalDefaults: {
    include: false,
    why: "removing a field that has a service default (disableIMDSV1, platform, a userSettings action, ...) plans nothing and live keeps the old value",
  },
  imageTexts: {
    include: false,
    why: "image description/displayName/source are declared replace but never compared: edits plan nothing",
  },
  softwares: {
    include: false,
    why: "image builder softwaresToInstall/Uninstall are not echoed and their changes are silently ignored",
  },
  selectorRegex: {
    include: false,
    why: "an imageSelector nameRegex with an escape that is legal only outside Unicode mode (\\-) crashes plan",
  },
  exportFidelity: {
    include: false,
    why: "export of strings holding ${, of tags and of image builders does not plan to no-op",
  },
  modelConstraints: {
    include: false,
    why: "values validate accepts but the API rejects (appCatalogConfig details, capacity/range edges in prose)",
  },
} satisfies Record<string, KnownClass>;

export type ClassName = keyof typeof KNOWN_CLASSES;

/** The classes generated in this run: those marked include, plus ROUNDTRIP_INCLUDE (comma-separated, or "all"). */
export function includedClasses(env: string | undefined = process.env.ROUNDTRIP_INCLUDE): ReadonlySet<ClassName> {
  const names = Object.keys(KNOWN_CLASSES) as ClassName[];
  const extra = (env ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return new Set(names.filter((n) => KNOWN_CLASSES[n].include || extra.includes(n) || extra.includes("all")));
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

/** The seeded public images of the emulator (store.ts) and their platforms. */
export const PUBLIC_IMAGES: Record<string, string> = {
  "AppStream-WinServer2019-11-12-2025": "WINDOWS_SERVER_2019",
  "AppStream-WinServer2022-11-12-2025": "WINDOWS_SERVER_2022",
  "AppStream-WinServer2022-06-17-2025": "WINDOWS_SERVER_2022",
  "AppStream-WinServer2025-11-12-2025": "WINDOWS_SERVER_2025",
  "AppStream-AmazonLinux2-11-12-2025": "AMAZON_LINUX2",
};
/** Imported images come up as Windows Server 2022 (emulator IMG-17). */
const IMPORTED_PLATFORM = "WINDOWS_SERVER_2022";
/**
 * `unique`: the regex matches one seeded image, so `newest: false` (which insists on one match) is valid;
 * `image`: the image it resolves to.
 */
const SELECTORS: { nameRegex: string; platform: string; unique: boolean; image: string }[] = [
  { nameRegex: "^AppStream-WinServer2022-", platform: "WINDOWS_SERVER_2022", unique: false, image: "AppStream-WinServer2022-11-12-2025" },
  { nameRegex: "^AppStream-WinServer2019", platform: "WINDOWS_SERVER_2019", unique: true, image: "AppStream-WinServer2019-11-12-2025" },
  { nameRegex: "AmazonLinux2", platform: "AMAZON_LINUX2", unique: true, image: "AppStream-AmazonLinux2-11-12-2025" },
];
/** A selector that is legal only outside Unicode mode (the `\-` of the API's own Java-style patterns). */
const ESCAPED_SELECTOR = { nameRegex: "^AppStream\\-WinServer2025", platform: "WINDOWS_SERVER_2025", unique: true, image: "AppStream-WinServer2025-11-12-2025" };

const FLEET_TYPES = ["ON_DEMAND", "ALWAYS_ON", "ELASTIC"];
const INSTANCE_TYPES = ["stream.standard.small", "stream.standard.medium", "stream.standard.large", "stream.compute.large", "stream.memory.large"];
const ELASTIC_TYPES = ["stream.standard.small", "stream.standard.medium", "stream.standard.large", "stream.standard.xlarge", "stream.standard.2xlarge"];
const BUILDER_TYPES = ["stream.standard.small", "stream.standard.medium", "stream.standard.large", "stream.compute.large"];
const ELASTIC_PLATFORMS = ["WINDOWS_SERVER_2019", "AMAZON_LINUX2", "UBUNTU_PRO_2404"];
const PLATFORMS = ["WINDOWS", "WINDOWS_SERVER_2016", "WINDOWS_SERVER_2019", "WINDOWS_SERVER_2022", "WINDOWS_SERVER_2025", "AMAZON_LINUX2", "RHEL8", "ROCKY_LINUX8", "UBUNTU_PRO_2404"];
const ACTIONS = [
  "CLIPBOARD_COPY_FROM_LOCAL_DEVICE", "CLIPBOARD_COPY_TO_LOCAL_DEVICE", "FILE_UPLOAD", "FILE_DOWNLOAD",
  "PRINTING_TO_LOCAL_DEVICE", "DOMAIN_PASSWORD_SIGNIN", "DOMAIN_SMART_CARD_SIGNIN", "AUTO_TIME_ZONE_REDIRECTION",
];
const CLIPBOARD = ACTIONS.slice(0, 2);
export const PASSWORD_REF = "${env:APPSTREAM_AD_PASSWORD}";
const ACCOUNTS = ["210987654321", "111122223333", "444455556666", "777788889999"];

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
// Field generators: one per kind and field, each returning a valid value (cross-field rules come after).

type FieldGen = (g: Gen, m: Manifest, e: Entry) => unknown;

const subnets = (g: Gen, min: number, max: number) => g.some(["subnet-0a", "subnet-0b", "subnet-0c", "subnet-0d", "subnet-0e"], min, max);
const sgs = (g: Gen) => g.some(["sg-01", "sg-02", "sg-03", "sg-04", "sg-05", "sg-06"], 0, 5);
const vpc = (g: Gen, min: number, max: number) => {
  const s = sgs(g);
  return { subnetIds: subnets(g, min, max), ...(s.length || g.chance(0.2) ? { securityGroupIds: s } : {}) };
};
const roleArn = (g: Gen) => g.pick(["arn:aws:iam::123456789012:role/appstream", "arn:aws:iam::123456789012:role/path/to/Role_1+=,.@-"]);
const domainJoin = (g: Gen, m: Manifest) => {
  const dc = m.directoryConfigs.length ? g.pick(m.directoryConfigs) : undefined;
  if (!dc) return undefined;
  return { directoryName: dc.directoryName, ...(g.chance(0.6) ? { organizationalUnitDistinguishedName: g.pick(dc.organizationalUnitDistinguishedNames as string[]) } : {}) };
};
const rootVolume = (g: Gen) => ({ volumeSizeInGb: g.edgeInt(200, 500) });
const accessEndpoints = (g: Gen) =>
  Array.from({ length: g.int(1, 4) }, (_, i) => ({ endpointType: "STREAMING", ...(g.chance(0.7) ? { vpceId: `vpce-0${i}abc` } : {}) }));

function idleTimeout(g: Gen): number {
  const x = g.r();
  if (x < 0.2) return 0;
  if (g.has("idleRounding") && x < 0.5) return g.pick([61, 70, 90, 3599, 11789, 35999]);
  return g.pick([60, 120, 600, 3600, 36000]);
}

function imageChoice(g: Gen, m: Manifest, e: Entry, builder: boolean): void {
  delete e.imageName;
  delete e.imageArn;
  delete e.imageSelector;
  const own = m.images.map((i) => i.name as string);
  const x = g.r();
  if (x < 0.45 || (!builder && own.length && x < 0.6)) {
    e.imageName = !builder && own.length && g.chance(0.4) ? g.pick(own) : g.pick(Object.keys(PUBLIC_IMAGES));
  } else if (x < 0.75) {
    e.imageArn = `arn:aws:appstream:us-east-1::image/${g.pick(Object.keys(PUBLIC_IMAGES))}`;
  } else {
    const sel = g.has("selectorRegex") && g.chance(0.3) ? ESCAPED_SELECTOR : g.pick(SELECTORS);
    e.imageSelector = { nameRegex: sel.nameRegex, ...(g.chance(0.5) ? { newest: !sel.unique || g.chance(0.7) } : {}), ...(g.chance(0.5) ? { type: "PUBLIC" } : {}) };
  }
}

/** The platform the fleet's image gives it (what a non-ELASTIC fleet reports), if the generator knows it. */
export function imagePlatform(e: Entry, m: Manifest): string | undefined {
  if (e.imageName) return PUBLIC_IMAGES[e.imageName] ?? (m.images.some((i) => i.name === e.imageName) ? IMPORTED_PLATFORM : undefined);
  if (e.imageArn) return PUBLIC_IMAGES[(e.imageArn as string).split("/").pop()!];
  if (e.imageSelector) return [...SELECTORS, ESCAPED_SELECTOR].find((s) => s.nameRegex === e.imageSelector.nameRegex)?.platform;
  return undefined;
}

const USB = ["Sig Pad,0b97,*,*,*,*,0,1", "Wacom,056a,*,*,*,*,1,1", " 0 , 0 , 0 , 0 , 0 , 0 , 0 , 0 "];

const FLEET: Record<string, FieldGen> = {
  fleetType: (g) => g.pick(FLEET_TYPES),
  instanceType: (g, _m, e) => g.pick(e.fleetType === "ELASTIC" ? ELASTIC_TYPES : INSTANCE_TYPES),
  computeCapacity: (g, _m, e) => (e.maxSessionsPerInstance !== undefined ? { desiredSessions: g.edgeInt(0, 20) } : { desiredInstances: g.edgeInt(0, 6) }),
  vpcConfig: (g, _m, e) => vpc(g, e.fleetType === "ELASTIC" ? 2 : 1, 4),
  maxUserDurationInSeconds: (g) => g.edgeInt(600, 432000),
  disconnectTimeoutInSeconds: (g) => (g.chance(0.7) ? g.edgeInt(60, 36000) : g.pick([61, 899, 35999])),
  idleDisconnectTimeoutInSeconds: (g) => idleTimeout(g),
  description: (g) => g.text(256),
  displayName: (g) => g.text(100),
  enableDefaultInternetAccess: (g) => g.chance(0.5),
  domainJoinInfo: (g, m) => domainJoin(g, m),
  iamRoleArn: (g) => roleArn(g),
  streamView: (g) => g.pick(["APP", "DESKTOP"]),
  // On other fleets the platform is the image's; a different one declared must not plan forever.
  platform: (g, m, e) => (e.fleetType === "ELASTIC" ? g.pick(ELASTIC_PLATFORMS) : g.chance(0.5) ? imagePlatform(e, m) : g.pick(PLATFORMS)),
  maxConcurrentSessions: (g) => g.edgeInt(1, 50),
  usbDeviceFilterStrings: (g) => g.some(USB, 0, 3),
  sessionScriptS3Location: (g) => ({ s3Bucket: g.pick(["abc", "my-bucket.scripts", "a".repeat(63)]), ...(g.chance(0.6) ? { s3Key: g.pick(["s.json", "k".repeat(1024)]) } : {}) }),
  maxSessionsPerInstance: (g) => g.edgeInt(1, 10),
  rootVolumeConfig: (g) => rootVolume(g),
  disableIMDSV1: (g) => g.chance(0.5),
  state: (g) => g.pick(["running", "stopped"]),
  tags: (g) => g.tags(),
};

const CONNECTORS = ["HOMEFOLDERS", "GOOGLE_DRIVE", "ONE_DRIVE"];
const domains = (g: Gen) => g.some(["example.com", "corp.example.com", "d".repeat(64), "b.example.org"], 0, 3);
function userSettings(g: Gen): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const action of g.some(ACTIONS, 1, ACTIONS.length)) {
    const permission = g.pick(["ENABLED", "DISABLED"]);
    const x = g.r();
    if (CLIPBOARD.includes(action) && permission === "ENABLED" && x < 0.4) {
      out[action] = { permission, maximumLength: g.edgeInt(1, 20_971_520) };
    } else if (g.has("userSettingsForms") && x < 0.7) {
      out[action] = { permission };
    } else {
      out[action] = permission;
    }
  }
  return out;
}
const urls = (g: Gen) => g.some(["*", "https://example.com/", "http://intra.corp/path?q=1", `https://e.com/${"p".repeat(2029)}`], 0, 3);

const STACK: Record<string, FieldGen> = {
  displayName: (g) => g.text(100),
  description: (g) => g.text(256),
  fleet: (g, m) => (m.fleets.length ? g.pick(m.fleets).name : undefined),
  storageConnectors: (g) =>
    g.some(CONNECTORS, 0, 3).map((t) => ({
      connectorType: t,
      ...(t !== "HOMEFOLDERS" && g.chance(0.6) ? { domains: domains(g) } : {}),
      ...(t === "ONE_DRIVE" && g.chance(0.5) ? { domainsRequireAdminConsent: domains(g) } : {}),
      ...(g.chance(0.3) ? { resourceIdentifier: g.pick(["arn:aws:s3:::bucket", "r".repeat(2048)]) } : {}),
    })),
  redirectURL: (g) => g.pick(["https://intranet.example.com/", "", `https://x.example.com/${"u".repeat(976)}`]),
  feedbackURL: (g) => g.pick(["https://feedback.example.com/form", `https://f.example.com/${"ü".repeat(976)}`]),
  userSettings: (g) => userSettings(g),
  applicationSettings: (g) => (g.chance(0.7) ? { enabled: true, ...(g.chance(0.6) ? { settingsGroup: g.pick(["grp", "s".repeat(100)]) } : {}) } : { enabled: false }),
  accessEndpoints: (g) => accessEndpoints(g),
  embedHostDomains: (g) => g.some(["example.com", "a.example.com", "portal.corp.example", `${"x".repeat(61)}.example.com`], 1, 4),
  streamingExperienceSettings: (g) => (g.chance(0.8) ? { preferredProtocol: g.pick(["TCP", "UDP"]) } : {}),
  contentRedirection: (g) => ({ hostToClient: { enabled: g.chance(0.7), ...(g.chance(0.6) ? { allowedUrls: urls(g) } : {}), ...(g.chance(0.4) ? { deniedUrls: urls(g) } : {}) } }),
  agentAccessConfig: (g) => ({
    settings: g.some(["COMPUTER_VISION", "COMPUTER_INPUT"], 1, 2).map((a) => ({ agentAction: a, permission: g.pick(["ENABLED", "DISABLED"]) })),
    ...(g.chance(0.5) ? { s3BucketArn: "arn:aws:s3:::agent-screens" } : {}),
    ...(g.chance(0.6) ? { screenshotsUploadEnabled: g.chance(0.5) } : {}),
    screenResolution: "W_1280xH_720",
    screenImageFormat: g.pick(["PNG", "JPEG"]),
  }),
  tags: (g) => g.tags(),
};

const personName = (g: Gen) => g.pick(["Ada", "Grace Hopper", "x_y-z 9", "N".repeat(2048), "a\tb"]);
const USER: Record<string, FieldGen> = {
  authenticationType: () => "USERPOOL",
  firstName: (g) => personName(g),
  lastName: (g) => personName(g),
  enabled: (g) => g.chance(0.5),
  messageAction: () => "SUPPRESS",
  stacks: (g, m) => g.some(m.stacks.map((s) => s.name as string), 0, 3),
};

const GROUP: Record<string, FieldGen> = {
  stacks: (g, m) => g.some(m.stacks.map((s) => s.name as string), 0, 3),
  enabled: (g) => g.chance(0.5),
  messageAction: () => "SUPPRESS",
};

const BUILDER: Record<string, FieldGen> = {
  instanceType: (g) => g.pick(BUILDER_TYPES),
  description: (g) => g.text(256),
  displayName: (g) => g.text(100),
  vpcConfig: (g) => vpc(g, 1, 1),
  iamRoleArn: (g) => roleArn(g),
  enableDefaultInternetAccess: (g) => g.chance(0.5),
  domainJoinInfo: (g, m) => domainJoin(g, m),
  appstreamAgentVersion: (g) => (g.has("agentLatest") && g.chance(0.5) ? g.pick(["[LATEST]", "LATEST"]) : g.pick(["1.1.1099", "10-22-2025"])),
  accessEndpoints: (g) => accessEndpoints(g),
  rootVolumeConfig: (g) => rootVolume(g),
  softwaresToInstall: (g) => g.some(["Microsoft_Office_2021_LTSC_Standard_x64", "Microsoft_Visio_2021_LTSC_Professional_x64"], 1, 2),
  softwaresToUninstall: (g) => g.some(["Microsoft_Project_2021_Professional_x64"], 1, 1),
  disableIMDSV1: (g) => g.chance(0.5),
  state: (g) => g.pick(["running", "stopped"]),
  tags: (g) => g.tags(),
};

/** Text allowed by CreateImportedImage for description and display name. */
const importText = (g: Gen, max: number) => g.pick(["Golden image", "v1.2 (prod)", "a_b-c.d", "I".repeat(max)]);
const IMAGE: Record<string, FieldGen> = {
  description: (g) => importText(g, 256),
  displayName: (g) => importText(g, 100),
  sharedWith: (g) =>
    g.some(ACCOUNTS, 0, 3).map((a) => ({
      accountId: a,
      ...(g.chance(0.5) ? { allowFleet: g.chance(0.8) } : {}),
      ...(g.chance(0.5) ? { allowImageBuilder: g.chance(0.5) } : {}),
    })),
  tags: (g) => g.tags(),
};

const DIRECTORY: Record<string, FieldGen> = {
  organizationalUnitDistinguishedNames: (g) => g.some(["OU=AppStream,DC=corp,DC=example,DC=com", "OU=B,DC=corp", `OU=${"o".repeat(1997)}`, "OU=Ü,DC=corp"], 1, 3),
  serviceAccountCredentials: (g) => ({ accountName: g.pick(["CORP\\svc-appstream", "svc@corp.example.com"]), accountPassword: PASSWORD_REF }),
  certificateBasedAuthProperties: (g) => {
    const status = g.pick(["DISABLED", "ENABLED", "ENABLED_NO_DIRECTORY_LOGIN_FALLBACK"]);
    return {
      ...(g.chance(0.8) ? { status } : {}),
      ...(status !== "DISABLED" || g.chance(0.4) ? { certificateAuthorityArn: "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/0a1b" } : {}),
    };
  },
};

/** Meta fields of the listed kinds: protection (a tag on live) and an ignored path the suite can check. */
const META: Record<string, FieldGen> = {
  protect: (g) => g.chance(0.7),
  ignoreChanges: () => ["description"],
};
Object.assign(FLEET, META);
Object.assign(STACK, META);
Object.assign(BUILDER, { protect: META.protect });
Object.assign(IMAGE, { protect: META.protect });

export const FIELD_GENS: Record<ListKey, Record<string, FieldGen>> = {
  directoryConfigs: DIRECTORY, images: IMAGE, imageBuilders: BUILDER, fleets: FLEET, stacks: STACK, users: USER, userGroups: GROUP,
};

/** Fields an entry must keep (identity, required, or the one choice of image). */
const REQUIRED: Record<ListKey, string[]> = {
  directoryConfigs: ["directoryName", "organizationalUnitDistinguishedNames"],
  images: ["name", "source"],
  imageBuilders: ["name", "instanceType"],
  fleets: ["name", "instanceType"],
  stacks: ["name"],
  users: ["userName"],
  userGroups: ["name", "userNames"],
};

/** Fields whose removal must restore a service default, not only stop managing the value. */
const DEFAULTED: Record<ListKey, string[]> = {
  directoryConfigs: ["certificateBasedAuthProperties", "serviceAccountCredentials"],
  images: [],
  // Every builder field is replace-only, and a removed one is not compared, so the builder is kept.
  imageBuilders: ["description", "displayName", "vpcConfig", "iamRoleArn", "domainJoinInfo", "appstreamAgentVersion", "accessEndpoints", "rootVolumeConfig", "disableIMDSV1"],
  fleets: ["disableIMDSV1", "platform", "maxUserDurationInSeconds", "disconnectTimeoutInSeconds", "maxConcurrentSessions"],
  stacks: [],
  users: ["firstName", "lastName"],
  userGroups: [],
};

function fill(g: Gen, key: ListKey, m: Manifest, e: Entry, p: number): Entry {
  for (const [field, gen] of Object.entries(FIELD_GENS[key])) {
    if (e[field] !== undefined || !g.chance(p)) continue;
    if (!allowed(g, key, field)) continue;
    const v = gen(g, m, e);
    if (v !== undefined) e[field] = v;
  }
  return e;
}

/** Fields a known class keeps out of the manifests. */
function allowed(g: Gen, key: ListKey, field: string): boolean {
  if (key === "imageBuilders" && field.startsWith("softwaresTo")) return g.has("softwares");
  return true;
}

// ---------------------------------------------------------------------------------------------------
// Entries

function newDirectory(g: Gen, m: Manifest): Entry {
  const e: Entry = { directoryName: `corp${g.next()}.example.com`, organizationalUnitDistinguishedNames: DIRECTORY.organizationalUnitDistinguishedNames!(g, m, {}) };
  return fill(g, "directoryConfigs", m, e, 0.6);
}

function newImage(g: Gen, m: Manifest): Entry {
  const imp: Entry = { sourceAmiId: g.pick(["ami-0123456789abcdef0", "ami-01234567"]), iamRoleArn: "arn:aws:iam::123456789012:role/import" };
  if (g.chance(0.4)) imp.runtimeValidationConfig = { intendedInstanceType: "stream.standard.medium" };
  if (g.chance(0.4)) imp.agentSoftwareVersion = g.pick(["CURRENT_LATEST", "ALWAYS_LATEST"]);
  if (g.chance(0.4)) {
    imp.appCatalogConfig = g.some(["notepad", "calc", "Paint.v2"], 1, 3).map((n) => ({
      name: n, absoluteAppPath: `C:\\Windows\\${n}.exe`,
      ...(g.chance(0.5) ? { displayName: `${n} app` } : {}),
      ...(g.chance(0.3) ? { workingDirectory: "C:\\Users" } : {}),
      ...(g.chance(0.3) ? { launchParameters: g.has("modelConstraints") && g.chance(0.5) ? "" : "--safe" } : {}),
    }));
  }
  return fill(g, "images", m, { name: `img-${g.next()}`, source: { importFromAmi: imp } }, 0.6);
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

const NEW: Record<ListKey, (g: Gen, m: Manifest) => Entry> = {
  directoryConfigs: newDirectory, images: newImage, imageBuilders: newBuilder, fleets: newFleet, stacks: newStack, users: newUser, userGroups: newGroup,
};
/** Emulator quotas are 10 per kind (50 users); the generator stays well below. */
const MAX: Record<ListKey, number> = { directoryConfigs: 2, images: 3, imageBuilders: 3, fleets: 5, stacks: 5, users: 6, userGroups: 2 };

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
        if (join.organizationalUnitDistinguishedName !== undefined && !ous.includes(join.organizationalUnitDistinguishedName)) join.organizationalUnitDistinguishedName = ous[0];
      }
    }
    if (e.imageName && !(e.imageName in PUBLIC_IMAGES) && !images.has(e.imageName)) e.imageName = "AppStream-WinServer2022-11-12-2025";
  }
  for (const b of m.imageBuilders) {
    if (b.imageName && !(b.imageName in PUBLIC_IMAGES)) b.imageName = "AppStream-WinServer2019-11-12-2025";
    if ([b.imageName, b.imageArn, b.imageSelector].filter((x) => x !== undefined).length !== 1) imageChoice(g, m, b, true);
    if (b.vpcConfig) b.vpcConfig.subnetIds = (b.vpcConfig.subnetIds as string[]).slice(0, 1);
  }
  for (const f of m.fleets) repairFleet(g, m, f);
  const fleets = new Set(m.fleets.map((f) => f.name));
  for (const s of m.stacks) {
    if (s.fleet !== undefined && !fleets.has(s.fleet)) delete s.fleet;
    if (s.applicationSettings && !s.applicationSettings.enabled) delete s.applicationSettings.settingsGroup;
    // The model says, in prose, that screenshot uploads need the bucket.
    if (s.agentAccessConfig?.screenshotsUploadEnabled && !s.agentAccessConfig.s3BucketArn && !g.has("modelConstraints")) s.agentAccessConfig.s3BucketArn = "arn:aws:s3:::agent-screens";
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
  if (!INSTANCE_TYPES.includes(f.instanceType) && !ELASTIC_TYPES.includes(f.instanceType)) f.instanceType = g.pick(INSTANCE_TYPES);
  if ([f.imageName, f.imageArn, f.imageSelector].filter((x) => x !== undefined).length !== 1) imageChoice(g, m, f, false);
  const multi = f.maxSessionsPerInstance !== undefined;
  const cap = f.computeCapacity ?? {};
  if (multi ? cap.desiredSessions === undefined || cap.desiredInstances !== undefined : cap.desiredInstances === undefined || cap.desiredSessions !== undefined) {
    f.computeCapacity = FLEET.computeCapacity!(g, m, f);
  }
  const idle = f.idleDisconnectTimeoutInSeconds;
  if (idle !== undefined && idle > 0 && idle < 60) f.idleDisconnectTimeoutInSeconds = 60;
}

// ---------------------------------------------------------------------------------------------------
// Edits

export interface Edit {
  /** What was done, for the failure message: "change fleets[fleet-3].displayName". */
  what: string;
  /** Whether the apply needs --prune (something was deleted or renamed). */
  prune: boolean;
}

const EDITS = ["change", "change", "remove", "add-field", "state", "move-stack", "membership", "tags", "delete", "rename", "add-entry"] as const;

/** Applies 1–3 random edits to `m` (in place) and returns what they were. */
export function editManifest(g: Gen, m: Manifest): Edit[] {
  const out: Edit[] = [];
  // Live protection holds until an apply removes it, so nothing protected at the start of a round may be
  // deleted or replaced in it (the plan refuses that, by design).
  const locked = new Set(LIST_KEYS.flatMap((k) => m[k].filter((e) => e.protect)));
  for (let i = g.int(1, 3); i > 0; i--) {
    const e = oneEdit(g, m, g.pick(EDITS), locked);
    if (e) out.push(e);
  }
  repair(g, m);
  return out;
}

const nonEmpty = (m: Manifest): ListKey[] => LIST_KEYS.filter((k) => m[k].length > 0);
const label = (key: ListKey, e: Entry): string => `${key}[${e[IDENTITY[key]]}]`;

/** Edits that would only exercise a known class are skipped while that class is off. */
function editAllowed(g: Gen, key: ListKey, field: string, kind: "change" | "remove" | "add"): boolean {
  if (!allowed(g, key, field)) return false;
  if (key === "images" && ["description", "displayName", "source"].includes(field) && !g.has("imageTexts")) return false;
  if (kind === "add" && key === "directoryConfigs" && field === "serviceAccountCredentials" && !g.has("directoryCredentials")) return false;
  if (kind === "remove" && DEFAULTED[key].includes(field) && !g.has("removalDefaults")) return false;
  return true;
}

/** Fields whose change replaces the resource (delete and create). */
const REPLACES: Record<ListKey, (field: string) => boolean> = {
  directoryConfigs: () => false,
  images: (f) => ["source", "description", "displayName"].includes(f),
  imageBuilders: (f) => !["state", "tags", "protect", "ignoreChanges", "appstreamAgentVersion"].includes(f),
  fleets: (f) => f === "fleetType",
  stacks: () => false,
  users: (f) => f === "firstName" || f === "lastName",
  userGroups: () => false,
};

function unprotect(key: ListKey, e: Entry): Edit {
  delete e.protect;
  return { what: `unprotect ${label(key, e)}`, prune: false };
}

function oneEdit(g: Gen, m: Manifest, kind: (typeof EDITS)[number], locked: ReadonlySet<Entry>): Edit | undefined {
  const keys = nonEmpty(m);
  if (!keys.length) return undefined;
  switch (kind) {
    case "change":
    case "add-field":
    case "remove": {
      const key = g.pick(keys);
      const e = g.pick(m[key]);
      const fields = Object.keys(FIELD_GENS[key]).filter((f) =>
        kind === "remove" ? e[f] !== undefined && !REQUIRED[key].includes(f) : kind === "add-field" ? e[f] === undefined : true);
      const field = fields.length ? g.pick(fields) : undefined;
      if (!field || !editAllowed(g, key, field, kind === "remove" ? "remove" : e[field] === undefined ? "add" : "change")) return undefined;
      if (locked.has(e) && REPLACES[key](field)) return e.protect ? unprotect(key, e) : undefined;
      if (kind === "remove") {
        delete e[field];
      } else {
        const v = FIELD_GENS[key][field]!(g, m, e);
        if (v === undefined) return undefined;
        // An action dropped from userSettings keeps its live value today (a removal): keep declaring it.
        if (field === "userSettings" && e.userSettings && !g.has("removalDefaults")) {
          for (const [action, old] of Object.entries(e.userSettings)) (v as Record<string, unknown>)[action] ??= old;
        }
        e[field] = v;
        g.count(`${key}.${field}`);
      }
      return { what: `${kind} ${label(key, e)}.${field}`, prune: false };
    }
    case "state": {
      const pool = [...m.fleets.map((e) => ["fleets", e] as const), ...m.imageBuilders.map((e) => ["imageBuilders", e] as const), ...m.users.map((e) => ["users", e] as const)];
      if (!pool.length) return undefined;
      const [key, e] = g.pick(pool);
      if (key === "users") e.enabled = e.enabled === false;
      else e.state = (e.state ?? "running") === "running" ? "stopped" : "running";
      return { what: `flip ${label(key, e)} ${key === "users" ? `enabled=${e.enabled}` : `state=${e.state}`}`, prune: false };
    }
    case "move-stack": {
      if (!m.stacks.length) return undefined;
      const s = g.pick(m.stacks);
      const others = m.fleets.filter((f) => f.name !== s.fleet);
      if (others.length && g.chance(0.8)) s.fleet = g.pick(others).name;
      else delete s.fleet;
      return { what: `move ${label("stacks", s)} to fleet ${s.fleet ?? "(none)"}`, prune: false };
    }
    case "membership": {
      const pool = [...m.users, ...m.userGroups];
      if (!pool.length || !m.stacks.length) return undefined;
      const u = g.pick(pool);
      u.stacks = g.some(m.stacks.map((s) => s.name as string), 0, 3);
      if (u.userNames && g.chance(0.5)) u.userNames = [...u.userNames, `g${g.next()}-x@example.com`];
      return { what: `memberships of ${u.userName ?? u.name} → [${u.stacks.join(", ")}]`, prune: true };
    }
    case "tags": {
      if (g.chance(0.25)) {
        m.defaults = { tags: g.tags() };
        return { what: "defaults.tags", prune: false };
      }
      const taggable = (["fleets", "stacks", "images", "imageBuilders"] as const).filter((k) => m[k].length);
      if (!taggable.length) return undefined;
      const key = g.pick(taggable);
      const e = g.pick(m[key]);
      e.tags = g.tags();
      return { what: `tags of ${label(key, e)}`, prune: false };
    }
    case "delete": {
      const key = g.pick(keys);
      const e = g.pick(m[key]);
      if (key === "fleets" && m.fleets.length === 1) return undefined;
      if (locked.has(e)) return e.protect ? unprotect(key, e) : undefined;
      // Deleting a directory takes the domain join off its builders: a removal of a builder field.
      if (key === "directoryConfigs" && !g.has("removalDefaults") && m.imageBuilders.some((b) => b.domainJoinInfo?.directoryName === e.directoryName)) return undefined;
      m[key].splice(m[key].indexOf(e), 1);
      return { what: `delete ${label(key, e)}`, prune: true };
    }
    case "rename": {
      const key = g.pick(keys.filter((k) => k !== "directoryConfigs"));
      if (!key) return undefined;
      const e = g.pick(m[key]);
      if (locked.has(e)) return e.protect ? unprotect(key, e) : undefined;
      const id = IDENTITY[key];
      const old = e[id] as string;
      e[id] = key === "users" ? `renamed${g.next()}-${old}`.slice(0, 128) : `${old.replace(/-r\d+$/, "")}-r${g.next()}`;
      // References follow the rename, as a person renaming in an editor would do.
      for (const s of m.stacks) if (key === "fleets" && s.fleet === old) s.fleet = e[id];
      for (const u of [...m.users, ...m.userGroups]) if (key === "stacks" && u.stacks) u.stacks = u.stacks.map((x: string) => (x === old ? e[id] : x));
      for (const f of [...m.fleets, ...m.imageBuilders]) if (key === "images" && f.imageName === old) f.imageName = e[id];
      return { what: `rename ${key}[${old}] → ${e[id]}`, prune: true };
    }
    case "add-entry": {
      const key = g.pick(LIST_KEYS.filter((k) => m[k].length < MAX[k]));
      if (!key) return undefined;
      const e = NEW[key](g, m);
      m[key].push(e);
      countEntry(g, key, e);
      return { what: `add ${label(key, e)}`, prune: false };
    }
  }
}

function countEntry(g: Gen, key: ListKey, e: Entry): void {
  for (const [field, v] of Object.entries(e)) {
    g.count(`${key}.${field}`);
    if (v && typeof v === "object" && !Array.isArray(v)) for (const sub of Object.keys(v)) g.count(`${key}.${field}.${sub}`);
    if (Array.isArray(v) && v.length === 0) g.count(`${key}.${field}[]`);
  }
}

/** Counts every field of a generated manifest into the coverage map. */
export function countManifest(g: Gen, m: Manifest): void {
  for (const key of LIST_KEYS) for (const e of m[key]) countEntry(g, key, e);
}

/** Fields each kind should see, for the coverage check: every generator field a class does not hold back. */
export function expectedFields(classes: ReadonlySet<ClassName>): string[] {
  const g = new Gen(1, classes);
  const out: string[] = [];
  for (const key of LIST_KEYS) for (const field of Object.keys(FIELD_GENS[key])) if (allowed(g, key, field)) out.push(`${key}.${field}`);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// What an edit should make the plan do

/** The image an entry streams from or is built on, however it names it. */
export function resolvedImage(e: Entry): string | undefined {
  if (e.imageName) return e.imageName;
  if (e.imageArn) return (e.imageArn as string).split("/").pop();
  if (e.imageSelector) return [...SELECTORS, ESCAPED_SELECTOR].find((s) => s.nameRegex === e.imageSelector.nameRegex)?.image;
  return undefined;
}

