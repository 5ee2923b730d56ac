/**
 * Random edits of a generated manifest for the round-trip suite: change, remove or add a field, flip a
 * state, move a stack, memberships, tags, delete, rename, add an entry — each kept valid by `repair`.
 * Also the field coverage the suite checks (every field of every kind several times).
 */
import { Gen, IDENTITY, LIST_KEYS, MAX, NEW, repair, type ClassName, type Entry, type ListKey, type Manifest } from "./gen-manifest.js";
import { MANIFEST_KINDS } from "../../src/kinds/index.js";
import { allowed, DEFAULTED, FIELD_GENS, REQUIRED } from "./roundtrip-fields.js";
import { allUsers } from "./roundtrip-live.js";

/**
 * Fields whose removal keeps the live value by design (`removal.keep` in the kinds' field tables): removing
 * one stops managing it, which is no round-trip property, so the remove edit leaves them alone.
 */
const KEPT: Record<string, ReadonlySet<string>> = Object.fromEntries(
  MANIFEST_KINDS.map((k) => [k.key, new Set(Object.entries(k.fields as Record<string, { removal?: { keep?: string } }>).filter(([, d]) => d.removal?.keep).map(([f]) => f))]),
);

export interface Edit {
  /** What was done, for the failure message: "change fleets[fleet-3].displayName". */
  what: string;
  /** Whether the apply needs --prune (something was deleted or renamed). */
  prune: boolean;
}

const EDITS = ["change", "change", "remove", "add-field", "state", "move-stack", "membership", "tags", "delete", "rename", "add-entry"] as const;

/**
 * Applies 1–3 random edits to `m` (in place) and returns what they were. An edit may replace a protected
 * resource without naming it (a deleted directory takes the domain join off a builder, a renamed image
 * moves the builders on it): the plan refuses that by design, so such a draw is made again.
 */
export function editManifest(g: Gen, m: Manifest): Edit[] {
  for (let attempt = 0; attempt < 8; attempt++) {
    const next = structuredClone(m);
    const out = someEdits(g, next);
    if (replacesProtected(m, next)) continue;
    if (!g.has("joinedStackMove") && joinsMovedStack(m, next)) continue;
    if (!g.has("imageReplaceInUse") && replacesImageInUse(m, next)) continue;
    for (const k of Object.keys(m) as (keyof Manifest)[]) if (!(k in next)) delete m[k];
    Object.assign(m, next);
    return out;
  }
  return [];
}

function someEdits(g: Gen, m: Manifest): Edit[] {
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

/** Whether an image that a fleet or builder streams from is replaced (a changed source or text). */
function replacesImageInUse(before: Manifest, after: Manifest): boolean {
  const used = (name: string) => [...before.fleets, ...before.imageBuilders].some((e) =>
    e.imageName === name || (e.imageSelector?.type === "PRIVATE" && new RegExp(e.imageSelector.nameRegex, "u").test(name)));
  return before.images.some((i) => {
    const now = after.images.find((x) => x.name === i.name);
    return now !== undefined && used(i.name) && ["source", "description", "displayName"].some((f) => JSON.stringify(i[f]) !== JSON.stringify(now[f]));
  });
}

/** Whether a stack leaves a domain-joined fleet and gains user-pool members in the same round. */
function joinsMovedStack(before: Manifest, after: Manifest): boolean {
  const joined = (m: Manifest, fleet: string | undefined) => m.fleets.some((f) => f.name === fleet && f.domainJoinInfo);
  const members = (m: Manifest, stack: string) =>
    new Set([...allUsers(m)].filter((u) => (u.stacks ?? []).includes(stack)).map((u) => u.userName as string));
  return after.stacks.some((s) => {
    const old = before.stacks.find((x) => x.name === s.name);
    if (!old || old.fleet === s.fleet || !joined(before, old.fleet)) return false;
    const had = members(before, s.name);
    return [...members(after, s.name)].some((u) => !had.has(u));
  });
}

/** Whether an entry protected before the edits has a field that replaces it changed after them. */
function replacesProtected(before: Manifest, after: Manifest): boolean {
  return LIST_KEYS.some((key) => before[key].some((e) => {
    if (!e.protect) return false;
    const now = after[key].find((x) => x[IDENTITY[key]] === e[IDENTITY[key]]);
    if (!now) return false;
    const fields = new Set([...Object.keys(e), ...Object.keys(now)]);
    return [...fields].some((f) => REPLACES[key](f) && JSON.stringify(e[f]) !== JSON.stringify(now[f]));
  }));
}

const nonEmpty = (m: Manifest): ListKey[] => LIST_KEYS.filter((k) => m[k].length > 0);
const label = (key: ListKey, e: Entry): string => `${key}[${e[IDENTITY[key]]}]`;

/** Edits that would only exercise a known class are skipped while that class is off. */
function editAllowed(g: Gen, key: ListKey, field: string, kind: "change" | "remove" | "add"): boolean {
  if (!allowed(g, key, field)) return false;
  if (key === "images" && ["description", "displayName", "source"].includes(field) && !g.has("imageTexts")) return false;
  if (kind === "add" && key === "directoryConfigs" && field === "serviceAccountCredentials" && !g.has("directoryCredentials")) return false;
  if (kind === "remove" && DEFAULTED[key].includes(field) && !g.has("removalDefaults")) return false;
  if (kind === "remove" && KEPT[key]?.has(field)) return false;
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
      // Builder software lists sit among many builder fields: a run that includes their class aims at them.
      const software = g.has("softwares") && m.imageBuilders.length > 0 && g.chance(0.25);
      const key = software ? "imageBuilders" : g.pick(keys);
      const e = g.pick(m[key]);
      const fields = Object.keys(FIELD_GENS[key]).filter((f) => (!software || f.startsWith("softwaresTo")) &&
        (kind === "remove" ? e[f] !== undefined && !REQUIRED[key].includes(f) : kind === "add-field" ? e[f] === undefined : true));
      const field = fields.length ? g.pick(fields) : undefined;
      if (!field || !editAllowed(g, key, field, kind === "remove" ? "remove" : e[field] === undefined ? "add" : "change")) return undefined;
      if (locked.has(e) && REPLACES[key](field)) return e.protect ? unprotect(key, e) : undefined;
      if (kind === "remove") {
        delete e[field];
      } else {
        const v = FIELD_GENS[key][field]!(g, m, e);
        if (v === undefined) return undefined;
        // Only declared userSettings actions are managed (AWS adds actions over time), so an action dropped
        // from the list keeps its live value by design: an edit keeps declaring it, with a new value or the old.
        if (field === "userSettings" && e.userSettings) {
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

