/**
 * The round-trip suite's own reading of live state: raw AppStream SDK calls, compared field by field with
 * the generated manifest. It shares nothing with the planner's read (src/kinds/*), so a plan that says
 * "No changes" while live differs is caught here.
 */
import {
  DescribeDirectoryConfigsCommand, DescribeFleetsCommand, DescribeImageBuildersCommand, DescribeImagePermissionsCommand,
  DescribeImagesCommand, DescribeStacksCommand, DescribeUsersCommand, DescribeUserStackAssociationsCommand,
  ListAssociatedFleetsCommand, ListTagsForResourceCommand, type AppStreamClient,
} from "@aws-sdk/client-appstream";
import { IDENTITY, LIST_KEYS, type Entry, type ListKey, type Manifest } from "./gen-manifest.js";
import { imagePlatform, resolvedImage } from "./roundtrip-fields.js";

const OWNER_TAG = "appstreamctl:set";
const PROTECT_TAG = "appstreamctl:protect";
const WRITTEN_TAG = "appstreamctl:written";
const DEFAULT_SETTINGS: Record<string, string> = {
  CLIPBOARD_COPY_FROM_LOCAL_DEVICE: "ENABLED", CLIPBOARD_COPY_TO_LOCAL_DEVICE: "ENABLED", FILE_UPLOAD: "ENABLED",
  FILE_DOWNLOAD: "ENABLED", PRINTING_TO_LOCAL_DEVICE: "ENABLED", DOMAIN_PASSWORD_SIGNIN: "ENABLED",
  DOMAIN_SMART_CARD_SIGNIN: "ENABLED", AUTO_TIME_ZONE_REDIRECTION: "DISABLED",
};

/** Manifest shape → API shape (PascalCase keys), written here rather than borrowed from src/kinds. */
export function api(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(api);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.charAt(0).toUpperCase() + k.slice(1), api(x)]));
  return v;
}

/** Absent, null, "", [] and {} all mean "not set"; object keys sorted; `sets` lists are sorted. */
function norm(v: unknown, sets = false): unknown {
  if (v === null || v === undefined || v === "") return undefined;
  if (Array.isArray(v)) {
    const items = v.map((x) => norm(x, sets)).filter((x) => x !== undefined);
    if (!items.length) return undefined;
    return sets ? items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : items;
  }
  if (typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = norm((v as Record<string, unknown>)[k], sets);
      if (x !== undefined) out[k] = x;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}

/** The manifest writes a literal `${` as `$${`; the service holds the literal. */
function unescape(v: unknown): unknown {
  if (typeof v === "string") return v.replaceAll("$${", "${");
  if (Array.isArray(v)) return v.map(unescape);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unescape(x)]));
  return v;
}

class Check {
  readonly problems: string[] = [];
  eq(path: string, live: unknown, want: unknown, opts: { sets?: boolean } = {}): void {
    const a = JSON.stringify(norm(live, opts.sets));
    const b = JSON.stringify(norm(unescape(want), opts.sets));
    if (a !== b) this.problems.push(`${path}: live ${short(a)} ≠ manifest ${short(b)}`);
  }
  fail(msg: string): void {
    this.problems.push(msg);
  }
}

const short = (s: string | undefined): string => (s === undefined ? "(absent)" : s.length > 160 ? `${s.slice(0, 150)}…(${s.length} chars)` : s);

/** Every page of a Describe/List call (the emulator pages like the service). */
async function all<T>(fetch: (token: string | undefined) => Promise<{ items?: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    out.push(...(page.items ?? []));
    token = page.next;
  } while (token);
  return out;
}

async function tagsOf(c: AppStreamClient, arn: string | undefined): Promise<Record<string, string>> {
  if (!arn) return {};
  // The digest of fields never read back is the tool's own bookkeeping, not a declared tag.
  const { [WRITTEN_TAG]: _written, ...tags } = (await c.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags ?? {};
  return tags;
}

function wantTags(m: Manifest, e: Entry): Record<string, string> {
  return { ...(m.defaults?.tags ?? {}), ...(e.tags ?? {}), [OWNER_TAG]: m.metadata.name, ...(e.protect ? { [PROTECT_TAG]: "true" } : {}) };
}

/** A field under the entry's ignoreChanges is left as it is live, by design. */
const ignored = (e: Entry, field: string): boolean => ((e.ignoreChanges ?? []) as string[]).includes(field);

function names(c: Check, what: string, live: string[], want: string[], extrasAllowed = false): void {
  const missing = want.filter((n) => !live.includes(n));
  const extra = live.filter((n) => !want.includes(n));
  if (missing.length) c.fail(`${what}: missing ${missing.join(", ")}`);
  if (extra.length && !extrasAllowed) c.fail(`${what}: not in the manifest but live: ${extra.join(", ")}`);
}

/** Users the manifest declares, with user groups written out. */
export function allUsers(m: Manifest): Entry[] {
  return [
    ...m.users,
    ...m.userGroups.flatMap((g) => (g.userNames as string[]).map((u) => ({ userName: u, stacks: g.stacks, enabled: g.enabled, messageAction: g.messageAction }))),
  ];
}

/** Every difference between live state (read with raw SDK calls) and the manifest. */
export async function liveMismatches(c: AppStreamClient, m: Manifest): Promise<string[]> {
  const ck = new Check();
  await fleets(c, m, ck);
  await stacks(c, m, ck);
  await users(c, m, ck);
  await images(c, m, ck);
  await builders(c, m, ck);
  await directories(c, m, ck);
  return ck.problems;
}

async function fleets(c: AppStreamClient, m: Manifest, ck: Check): Promise<void> {
  const live = await all(async (t) => { const o = await c.send(new DescribeFleetsCommand({ NextToken: t })); return { items: o.Fleets, next: o.NextToken }; });
  names(ck, "fleets", live.map((f) => f.Name!), m.fleets.map((f) => f.name));
  for (const f of m.fleets) {
    const l = live.find((x) => x.Name === f.name);
    if (!l) continue;
    const p = `Fleet/${f.name}`;
    const elastic = f.fleetType === "ELASTIC";
    ck.eq(`${p} FleetType`, l.FleetType, f.fleetType ?? "ON_DEMAND");
    ck.eq(`${p} InstanceType`, l.InstanceType, f.instanceType);
    if (f.imageName) ck.eq(`${p} ImageName`, l.ImageName, f.imageName);
    if (f.imageArn) ck.eq(`${p} ImageArn`, l.ImageArn, f.imageArn);
    if (f.imageSelector && !new RegExp(f.imageSelector.nameRegex).test(l.ImageName ?? "")) ck.fail(`${p} ImageName ${l.ImageName} does not match ${f.imageSelector.nameRegex}`);
    if (!elastic) {
      const cap = l.ComputeCapacityStatus;
      if (f.maxSessionsPerInstance !== undefined) ck.eq(`${p} DesiredUserSessions`, cap?.DesiredUserSessions, f.computeCapacity?.desiredSessions);
      else ck.eq(`${p} ComputeCapacity.Desired`, cap?.Desired, f.computeCapacity?.desiredInstances);
    }
    ck.eq(`${p} VpcConfig`, l.VpcConfig, api(f.vpcConfig), { sets: true });
    ck.eq(`${p} MaxUserDurationInSeconds`, l.MaxUserDurationInSeconds, f.maxUserDurationInSeconds ?? 57600);
    ck.eq(`${p} DisconnectTimeoutInSeconds`, l.DisconnectTimeoutInSeconds, f.disconnectTimeoutInSeconds ?? 900);
    ck.eq(`${p} IdleDisconnectTimeoutInSeconds`, l.IdleDisconnectTimeoutInSeconds ?? 0, f.idleDisconnectTimeoutInSeconds ?? 0);
    if (!ignored(f, "description")) ck.eq(`${p} Description`, l.Description, f.description);
    ck.eq(`${p} DisplayName`, l.DisplayName, f.displayName);
    ck.eq(`${p} EnableDefaultInternetAccess`, l.EnableDefaultInternetAccess ?? false, f.enableDefaultInternetAccess ?? false);
    ck.eq(`${p} DomainJoinInfo`, l.DomainJoinInfo, api(f.domainJoinInfo));
    ck.eq(`${p} IamRoleArn`, l.IamRoleArn, f.iamRoleArn);
    ck.eq(`${p} StreamView`, l.StreamView ?? "APP", f.streamView ?? "APP");
    // Only an ELASTIC fleet's platform is chosen; the others run their image's.
    ck.eq(`${p} Platform`, l.Platform, (elastic ? f.platform : imagePlatform(f, m)) ?? l.Platform);
    ck.eq(`${p} MaxConcurrentSessions`, l.MaxConcurrentSessions, f.maxConcurrentSessions);
    ck.eq(`${p} UsbDeviceFilterStrings`, l.UsbDeviceFilterStrings, f.usbDeviceFilterStrings);
    ck.eq(`${p} SessionScriptS3Location`, l.SessionScriptS3Location, api(f.sessionScriptS3Location));
    ck.eq(`${p} MaxSessionsPerInstance`, l.MaxSessionsPerInstance, f.maxSessionsPerInstance);
    ck.eq(`${p} RootVolumeConfig`, l.RootVolumeConfig, api(f.rootVolumeConfig));
    ck.eq(`${p} DisableIMDSV1`, l.DisableIMDSV1 ?? false, f.disableIMDSV1 ?? false);
    ck.eq(`${p} State`, l.State, (f.state ?? "running") === "running" ? "RUNNING" : "STOPPED");
    ck.eq(`${p} tags`, await tagsOf(c, l.Arn), wantTags(m, f));
  }
}

async function stacks(c: AppStreamClient, m: Manifest, ck: Check): Promise<void> {
  const live = await all(async (t) => { const o = await c.send(new DescribeStacksCommand({ NextToken: t })); return { items: o.Stacks, next: o.NextToken }; });
  names(ck, "stacks", live.map((s) => s.Name!), m.stacks.map((s) => s.name));
  const declaredUsers = allUsers(m);
  for (const s of m.stacks) {
    const l = live.find((x) => x.Name === s.name);
    if (!l) continue;
    const p = `Stack/${s.name}`;
    ck.eq(`${p} DisplayName`, l.DisplayName, s.displayName);
    if (!ignored(s, "description")) ck.eq(`${p} Description`, l.Description, s.description);
    ck.eq(`${p} StorageConnectors`, l.StorageConnectors, api(s.storageConnectors), { sets: true });
    ck.eq(`${p} RedirectURL`, l.RedirectURL, s.redirectURL);
    ck.eq(`${p} FeedbackURL`, l.FeedbackURL, s.feedbackURL);
    const settings = Object.fromEntries((l.UserSettings ?? []).map((u) => [u.Action, { Permission: u.Permission, ...(u.MaximumLength !== undefined ? { MaximumLength: u.MaximumLength } : {}) }]));
    const wantSettings = Object.fromEntries(Object.entries(DEFAULT_SETTINGS).map(([action, perm]) => {
      const v = s.userSettings?.[action];
      if (v === undefined) return [action, { Permission: perm }];
      return [action, typeof v === "string" ? { Permission: v } : { Permission: v.permission, ...(v.maximumLength !== undefined ? { MaximumLength: v.maximumLength } : {}) }];
    }));
    ck.eq(`${p} UserSettings`, settings, wantSettings);
    const app = l.ApplicationSettings;
    ck.eq(`${p} ApplicationSettings`, { Enabled: app?.Enabled ?? false, SettingsGroup: app?.Enabled ? app.SettingsGroup : undefined },
      { Enabled: s.applicationSettings?.enabled ?? false, SettingsGroup: s.applicationSettings?.enabled ? s.applicationSettings.settingsGroup : undefined });
    ck.eq(`${p} AccessEndpoints`, l.AccessEndpoints, api(s.accessEndpoints));
    ck.eq(`${p} EmbedHostDomains`, l.EmbedHostDomains, s.embedHostDomains, { sets: true });
    ck.eq(`${p} StreamingExperienceSettings`, l.StreamingExperienceSettings, api(s.streamingExperienceSettings));
    ck.eq(`${p} ContentRedirection`, l.ContentRedirection, api(s.contentRedirection));
    // ScreenshotsUploadEnabled is a BooleanObject: not sent means not enabled.
    const agent = (v: Entry | undefined) => (v ? { ...v, ScreenshotsUploadEnabled: v.ScreenshotsUploadEnabled ?? false } : v);
    ck.eq(`${p} AgentAccessConfig`, agent(l.AgentAccessConfig as Entry | undefined), agent(api(s.agentAccessConfig) as Entry | undefined));
    ck.eq(`${p} tags`, await tagsOf(c, l.Arn), wantTags(m, s));
    const fleets = await all(async (t) => { const o = await c.send(new ListAssociatedFleetsCommand({ StackName: s.name, NextToken: t })); return { items: o.Names, next: o.NextToken }; });
    ck.eq(`${p} fleet`, fleets, s.fleet ? [s.fleet] : []);
    const members = await all(async (t) => { const o = await c.send(new DescribeUserStackAssociationsCommand({ StackName: s.name, NextToken: t })); return { items: o.UserStackAssociations, next: o.NextToken }; });
    // A shared pool: the manifest speaks only for the users it declares.
    const shared = m.metadata.userPool !== "exclusive";
    const declaredNames = new Set(declaredUsers.map((u) => u.userName));
    ck.eq(`${p} users`, members.map((a) => a.UserName).filter((u) => !shared || declaredNames.has(u)),
      declaredUsers.filter((u) => (u.stacks ?? []).includes(s.name)).map((u) => u.userName), { sets: true });
  }
}

async function users(c: AppStreamClient, m: Manifest, ck: Check): Promise<void> {
  const live = await all(async (t) => { const o = await c.send(new DescribeUsersCommand({ AuthenticationType: "USERPOOL", NextToken: t })); return { items: o.Users, next: o.NextToken }; });
  const want = allUsers(m);
  names(ck, "users", live.map((u) => u.UserName!), want.map((u) => u.userName), m.metadata.userPool !== "exclusive");
  for (const u of want) {
    const l = live.find((x) => x.UserName === u.userName);
    if (!l) continue;
    const p = `User/${u.userName}`;
    ck.eq(`${p} FirstName`, l.FirstName, u.firstName);
    ck.eq(`${p} LastName`, l.LastName, u.lastName);
    ck.eq(`${p} Enabled`, l.Enabled, u.enabled ?? true);
    const assoc = await all(async (t) => { const o = await c.send(new DescribeUserStackAssociationsCommand({ UserName: u.userName, AuthenticationType: "USERPOOL", NextToken: t })); return { items: o.UserStackAssociations, next: o.NextToken }; });
    ck.eq(`${p} stacks`, assoc.map((a) => a.StackName), u.stacks ?? [], { sets: true });
  }
}

async function images(c: AppStreamClient, m: Manifest, ck: Check): Promise<void> {
  const live = await all(async (t) => { const o = await c.send(new DescribeImagesCommand({ Type: "PRIVATE", NextToken: t })); return { items: o.Images, next: o.NextToken }; });
  names(ck, "images", live.map((i) => i.Name!), m.images.map((i) => i.name));
  for (const i of m.images) {
    const l = live.find((x) => x.Name === i.name);
    if (!l) continue;
    const p = `Image/${i.name}`;
    ck.eq(`${p} State`, l.State, "AVAILABLE");
    ck.eq(`${p} Description`, l.Description, i.description);
    ck.eq(`${p} DisplayName`, l.DisplayName, i.displayName);
    const apps = i.source?.importFromAmi?.appCatalogConfig as Entry[] | undefined;
    if (apps) ck.eq(`${p} Applications`, (l.Applications ?? []).map((a) => a.Name), apps.map((a) => a.name), { sets: true });
    const perms = await all(async (t) => { const o = await c.send(new DescribeImagePermissionsCommand({ Name: i.name, NextToken: t })); return { items: o.SharedImagePermissionsList, next: o.NextToken }; });
    ck.eq(`${p} sharedWith`, perms.map((s) => ({ accountId: s.sharedAccountId, allowFleet: s.imagePermissions?.allowFleet, allowImageBuilder: s.imagePermissions?.allowImageBuilder })),
      (i.sharedWith ?? []).map((s: Entry) => ({ accountId: s.accountId, allowFleet: s.allowFleet ?? true, allowImageBuilder: s.allowImageBuilder ?? false })), { sets: true });
    ck.eq(`${p} tags`, await tagsOf(c, l.Arn), wantTags(m, i));
  }
}

async function builders(c: AppStreamClient, m: Manifest, ck: Check): Promise<void> {
  const live = await all(async (t) => { const o = await c.send(new DescribeImageBuildersCommand({ NextToken: t })); return { items: o.ImageBuilders, next: o.NextToken }; });
  names(ck, "image builders", live.map((b) => b.Name!), m.imageBuilders.map((b) => b.name));
  for (const b of m.imageBuilders) {
    const l = live.find((x) => x.Name === b.name);
    if (!l) continue;
    const p = `ImageBuilder/${b.name}`;
    ck.eq(`${p} InstanceType`, l.InstanceType, b.instanceType);
    const image = (l.ImageArn ?? "").split("/").pop() ?? "";
    if (b.imageName) ck.eq(`${p} image`, image, b.imageName);
    if (b.imageArn) ck.eq(`${p} ImageArn`, l.ImageArn, b.imageArn);
    if (b.imageSelector && !new RegExp(b.imageSelector.nameRegex).test(image)) ck.fail(`${p} image ${image} does not match ${b.imageSelector.nameRegex}`);
    ck.eq(`${p} Description`, l.Description, b.description);
    ck.eq(`${p} DisplayName`, l.DisplayName, b.displayName);
    ck.eq(`${p} VpcConfig`, l.VpcConfig, api(b.vpcConfig), { sets: true });
    ck.eq(`${p} IamRoleArn`, l.IamRoleArn, b.iamRoleArn);
    ck.eq(`${p} EnableDefaultInternetAccess`, l.EnableDefaultInternetAccess ?? false, b.enableDefaultInternetAccess ?? false);
    ck.eq(`${p} DomainJoinInfo`, l.DomainJoinInfo, api(b.domainJoinInfo));
    if (b.appstreamAgentVersion === "[LATEST]" || b.appstreamAgentVersion === "LATEST") ck.eq(`${p} LatestAppstreamAgentVersion`, l.LatestAppstreamAgentVersion, "TRUE");
    else if (b.appstreamAgentVersion !== undefined) ck.eq(`${p} AppstreamAgentVersion`, l.AppstreamAgentVersion, b.appstreamAgentVersion);
    ck.eq(`${p} AccessEndpoints`, l.AccessEndpoints, api(b.accessEndpoints));
    ck.eq(`${p} RootVolumeConfig`, l.RootVolumeConfig, api(b.rootVolumeConfig));
    ck.eq(`${p} DisableIMDSV1`, l.DisableIMDSV1 ?? false, b.disableIMDSV1 ?? false);
    ck.eq(`${p} State`, l.State, (b.state ?? "running") === "running" ? "RUNNING" : "STOPPED");
    ck.eq(`${p} tags`, await tagsOf(c, l.Arn), wantTags(m, b));
  }
}

/** Certificate-based auth that is off is off, whatever authority it names (an unset status is DISABLED). */
function certAuth(v: { Status?: string } | undefined): unknown {
  return !v?.Status || v.Status === "DISABLED" ? { Status: "DISABLED" } : v;
}

async function directories(c: AppStreamClient, m: Manifest, ck: Check): Promise<void> {
  const live = await all(async (t) => { const o = await c.send(new DescribeDirectoryConfigsCommand({ NextToken: t })); return { items: o.DirectoryConfigs, next: o.NextToken }; });
  // Directory configs carry no tags, so a removed one is never pruned (ownership cannot be proven).
  names(ck, "directory configs", live.map((d) => d.DirectoryName!), m.directoryConfigs.map((d) => d.directoryName), true);
  for (const d of m.directoryConfigs) {
    const l = live.find((x) => x.DirectoryName === d.directoryName);
    if (!l) continue;
    const p = `DirectoryConfig/${d.directoryName}`;
    ck.eq(`${p} OrganizationalUnitDistinguishedNames`, l.OrganizationalUnitDistinguishedNames, d.organizationalUnitDistinguishedNames, { sets: true });
    ck.eq(`${p} ServiceAccountCredentials.AccountName`, l.ServiceAccountCredentials?.AccountName, d.serviceAccountCredentials?.accountName);
    ck.eq(`${p} CertificateBasedAuthProperties`, certAuth(l.CertificateBasedAuthProperties), certAuth(api(d.certificateBasedAuthProperties) as Entry | undefined));
  }
}

// ---------------------------------------------------------------------------------------------------
// What an edit must make the plan do

/** Values the service holds when a field is left out, per kind: setting one of them explicitly changes nothing. */
const DEFAULTS: Partial<Record<ListKey, Entry>> = {
  fleets: {
    fleetType: "ON_DEMAND", state: "running", streamView: "APP", enableDefaultInternetAccess: false, disableIMDSV1: false,
    maxUserDurationInSeconds: 57600, disconnectTimeoutInSeconds: 900, idleDisconnectTimeoutInSeconds: 0,
  },
  imageBuilders: { state: "running", enableDefaultInternetAccess: false, disableIMDSV1: false },
  users: { enabled: true, authenticationType: "USERPOOL" },
};

/**
 * An entry as far as it reaches AWS: meta fields, the write-only messageAction, what ignoreChanges covers
 * and a non-ELASTIC fleet's platform are left out; defaults are filled in, lists compared as sets and the
 * image is the one resolved.
 */
const TAGGED = new Set<ListKey>(["fleets", "stacks", "images", "imageBuilders"]);

function effect(key: ListKey, e: Entry, ignore: readonly string[], defaultTags: Record<string, string>): string {
  const { protect, ignoreChanges: _i, messageAction: _m, imageName: _n, imageArn: _a, imageSelector: _s, ...rest } = e;
  for (const path of ignore) delete rest[path];
  if (key === "fleets" && rest.fleetType !== "ELASTIC") delete rest.platform;
  // An entry's tags reach AWS over `defaults.tags`: re-declaring an inherited tag with its value changes nothing.
  if (TAGGED.has(key)) rest.tags = { ...defaultTags, ...rest.tags };
  const out: Entry = { ...DEFAULTS[key], ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) };
  if (key === "stacks") {
    out.userSettings = Object.fromEntries(Object.entries(DEFAULT_SETTINGS).map(([action, perm]) => {
      const v = rest.userSettings?.[action] ?? perm;
      return [action, typeof v === "string" ? { permission: v } : v];
    }));
    out.applicationSettings = rest.applicationSettings?.enabled ? rest.applicationSettings : { enabled: false };
    if (rest.agentAccessConfig) out.agentAccessConfig = { screenshotsUploadEnabled: false, ...rest.agentAccessConfig };
  }
  if (key === "directoryConfigs") {
    const cba = rest.certificateBasedAuthProperties;
    out.certificateBasedAuthProperties = !cba?.status || cba.status === "DISABLED" ? { status: "DISABLED" } : cba;
  }
  if (key === "images") out.sharedWith = (rest.sharedWith ?? []).map((s: Entry) => ({ allowFleet: true, allowImageBuilder: false, ...s }));
  const image = resolvedImage(e);
  return JSON.stringify(norm({ ...out, ...(image ? { image } : {}), ...(protect ? { protect } : {}) }, true));
}

function entries(m: Manifest): Map<string, { key: ListKey; e: Entry }> {
  const out = new Map<string, { key: ListKey; e: Entry }>();
  for (const key of LIST_KEYS) {
    if (key !== "userGroups") for (const e of m[key]) out.set(String(e[IDENTITY[key]]), { key, e });
  }
  for (const u of allUsers(m)) out.set(u.userName, { key: "users", e: u });
  return out;
}

/** Names of the entries an edit kept but changed in what reaches AWS: the plan must touch each of them. */
export function changedEntries(before: Manifest, after: Manifest): string[] {
  const a = entries(before);
  return [...entries(after)].filter(([name, { key, e }]) => {
    const old = a.get(name);
    if (!old || old.key !== key) return false;
    // A path ignored before or after the edit is left as it is live.
    const ignore = [...(old.e.ignoreChanges ?? []), ...(e.ignoreChanges ?? [])];
    return effect(key, old.e, ignore, before.defaults?.tags ?? {}) !== effect(key, e, ignore, after.defaults?.tags ?? {});
  }).map(([name]) => name);
}
