/**
 * Field generators of the round-trip suite: one per kind and field, each a valid value of the kind's schema
 * and the API's rules, with the edges (minimum, maximum, odd seconds, unicode at maximum length, empty lists).
 * Cross-field rules are left to `repair` (gen-manifest.ts).
 */
import type { ClassName, Entry, Gen, ListKey, Manifest } from "./gen-manifest.js";

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
/** A selector with an escape that Unicode mode (how plan compiles selectors) accepts. */
const ESCAPED_SELECTOR = { nameRegex: "^AppStream\\u002DWinServer2025", platform: "WINDOWS_SERVER_2025", unique: true, image: "AppStream-WinServer2025-11-12-2025" };

/** A selector over all the manifest's own (imported, private) images, newest first. */
export const OWN_SELECTOR = { nameRegex: "^img-", type: "PRIVATE", newest: true };
/** A selector over one own image, under its name and the names a rename edit gives it. */
export const ownSelector = (image: string) => ({ nameRegex: `^${image.replace(/-r\d+$/, "")}(-r\\d+)?$`, type: "PRIVATE", newest: true });
/** Whether a selector over own images matches one of them (a deleted image leaves it matching nothing). */
export const ownSelectorMatches = (sel: { nameRegex: string }, images: string[]): boolean => images.some((i) => new RegExp(sel.nameRegex, "u").test(i));

export const FLEET_TYPES = ["ON_DEMAND", "ALWAYS_ON", "ELASTIC"];
export const INSTANCE_TYPES = ["stream.standard.small", "stream.standard.medium", "stream.standard.large", "stream.compute.large", "stream.memory.large"];
export const ELASTIC_TYPES = ["stream.standard.small", "stream.standard.medium", "stream.standard.large", "stream.standard.xlarge", "stream.standard.2xlarge"];
export const BUILDER_TYPES = ["stream.standard.small", "stream.standard.medium", "stream.standard.large", "stream.compute.large"];
export const ELASTIC_PLATFORMS = ["WINDOWS_SERVER_2019", "AMAZON_LINUX2", "UBUNTU_PRO_2404"];
const ACTIONS = [
  "CLIPBOARD_COPY_FROM_LOCAL_DEVICE", "CLIPBOARD_COPY_TO_LOCAL_DEVICE", "FILE_UPLOAD", "FILE_DOWNLOAD",
  "PRINTING_TO_LOCAL_DEVICE", "DOMAIN_PASSWORD_SIGNIN", "DOMAIN_SMART_CARD_SIGNIN", "AUTO_TIME_ZONE_REDIRECTION",
];
const CLIPBOARD = ACTIONS.slice(0, 2);
export const PASSWORD_REF = "${env:APPSTREAM_AD_PASSWORD}";
const ACCOUNTS = ["210987654321", "111122223333", "444455556666", "777788889999"];



// ---------------------------------------------------------------------------------------------------
// Field generators: one per kind and field, each returning a valid value (cross-field rules come after).

type FieldGen = (g: Gen, m: Manifest, e: Entry) => unknown;

// EC2 ids as the schema takes them: the prefix and 8 or 17 lowercase hex digits.
const subnets = (g: Gen, min: number, max: number) =>
  g.some(["subnet-0a0a0a0a", "subnet-0b0b0b0b", "subnet-0c0c0c0c0c0c0c0c0", "subnet-0d0d0d0d", "subnet-0e0e0e0e0e0e0e0e0"], min, max);
const sgs = (g: Gen) => g.some(["sg-01010101", "sg-02020202", "sg-03030303030303030", "sg-04040404", "sg-05050505", "sg-06060606060606060"], 0, 5);
export const vpc = (g: Gen, min: number, max: number) => {
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

export function imageChoice(g: Gen, m: Manifest, e: Entry, builder: boolean): void {
  delete e.imageName;
  delete e.imageArn;
  delete e.imageSelector;
  const own = m.images.map((i) => i.name as string);
  const x = g.r();
  if (x < 0.45 || (!builder && own.length && x < 0.6)) {
    e.imageName = !builder && own.length && g.chance(0.4) ? g.pick(own) : g.pick(Object.keys(PUBLIC_IMAGES));
  } else if (x < 0.75) {
    e.imageArn = `arn:aws:appstream:us-east-1::image/${g.pick(Object.keys(PUBLIC_IMAGES))}`;
  } else if (!builder && own.length && g.has("selectorOwnImages") && g.chance(0.3)) {
    // Resolves to an image the same plan may produce (import, rename): one apply must be enough.
    e.imageSelector = g.has("selectorNewestProduced") && g.chance(0.5) ? { ...OWN_SELECTOR } : ownSelector(g.pick(own));
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

export const FLEET: Record<string, FieldGen> = {
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
  // Only ELASTIC fleets choose one (rule.elastic); the others run their image's.
  platform: (g, _m, e) => (e.fleetType === "ELASTIC" ? g.pick(ELASTIC_PLATFORMS) : undefined),
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
  appstreamAgentVersion: (g) => (g.has("agentLatest") && g.chance(0.5) ? "[LATEST]" : g.pick(["1.1.1099", "10-22-2025"])),
  accessEndpoints: (g) => accessEndpoints(g),
  rootVolumeConfig: (g) => rootVolume(g),
  softwaresToInstall: (g) => g.some(["Microsoft_Office_2021_LTSC_Standard_64Bit", "Microsoft_Visio_2021_LTSC_Professional_64Bit"], 1, 2),
  softwaresToUninstall: (g) => g.some(["Microsoft_Project_2021_Professional_64Bit"], 1, 1),
  disableIMDSV1: (g) => g.chance(0.5),
  state: (g) => g.pick(["running", "stopped"]),
  tags: (g) => g.tags(),
};

/** Text allowed by CreateImportedImage for description and display name. */
const importText = (g: Gen, max: number) => g.pick(["Golden image", "v1.2 (prod)", "a_b-c.d", "I".repeat(max)]);
/** An AMI import (the emulator produces imported images; the source is remembered as a digest). */
export const IMAGE_SOURCE: FieldGen = (g) => {
  const imp: Entry = { sourceAmiId: g.pick(["ami-0123456789abcdef0", "ami-01234567"]), iamRoleArn: "arn:aws:iam::123456789012:role/import" };
  if (g.chance(0.4)) imp.runtimeValidationConfig = { intendedInstanceType: "stream.standard.medium" };
  if (g.chance(0.4)) imp.agentSoftwareVersion = g.pick(["CURRENT_LATEST", "ALWAYS_LATEST"]);
  if (g.chance(0.4)) {
    imp.appCatalogConfig = g.some(["notepad", "calc", "Paint.v2"], 1, 3).map((n) => ({
      name: n, absoluteAppPath: `C:\\Windows\\${n}.exe`,
      ...(g.chance(0.5) ? { displayName: `${n} app` } : {}),
      ...(g.chance(0.3) ? { workingDirectory: "C:\\Users" } : {}),
      ...(g.chance(0.3) ? { launchParameters: "--safe" } : {}),
    }));
  }
  return { importFromAmi: imp };
};

const IMAGE: Record<string, FieldGen> = {
  source: IMAGE_SOURCE,
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

export const DIRECTORY: Record<string, FieldGen> = {
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
export const REQUIRED: Record<ListKey, string[]> = {
  directoryConfigs: ["directoryName", "organizationalUnitDistinguishedNames"],
  images: ["name", "source"],
  imageBuilders: ["name", "instanceType"],
  fleets: ["name", "instanceType"],
  stacks: ["name"],
  users: ["userName"],
  userGroups: ["name", "userNames"],
};

/** Fields whose removal must restore a service default, not only stop managing the value. */
export const DEFAULTED: Record<ListKey, string[]> = {
  directoryConfigs: ["certificateBasedAuthProperties", "serviceAccountCredentials"],
  images: [],
  // Removing one of these replaces the builder (every builder field but the agent is replace-only).
  imageBuilders: ["description", "displayName", "vpcConfig", "iamRoleArn", "domainJoinInfo", "appstreamAgentVersion", "accessEndpoints", "rootVolumeConfig", "disableIMDSV1"],
  fleets: ["disableIMDSV1", "platform", "maxUserDurationInSeconds", "disconnectTimeoutInSeconds", "maxConcurrentSessions"],
  stacks: [],
  users: ["firstName", "lastName"],
  userGroups: [],
};

export function fill(g: Gen, key: ListKey, m: Manifest, e: Entry, p: number): Entry {
  for (const [field, gen] of Object.entries(FIELD_GENS[key])) {
    if (e[field] !== undefined || !g.chance(p)) continue;
    if (!allowed(g, key, field)) continue;
    const v = gen(g, m, e);
    if (v !== undefined) e[field] = v;
  }
  return e;
}

/** Fields a known class keeps out of the manifests. */
export function allowed(g: Gen, key: ListKey, field: string): boolean {
  if (key === "imageBuilders" && field.startsWith("softwaresTo")) return g.has("softwares");
  return true;
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

