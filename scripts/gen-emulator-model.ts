/**
 * Writes `src/emulator/model.gen.ts`: the request-validation tables of the emulator, extracted from the
 * botocore model (`../shared/reference/botocore-appstream/service-2.json`, reference §0 BOTO).
 *
 * Run after `npm run build` as `node dist/scripts/gen-emulator-model.js [modelPath]` from the repository
 * root. The model is read here, at generation time only; the emulator imports the generated file.
 * `test/emulator/model-gen.test.ts` regenerates in memory and fails when the committed file is stale.
 *
 * The limits the model states only in prose (src/kinds/api-limits.ts) are folded in: a member with such a
 * limit points at its own shape `Structure.Member`, a copy of its model shape with the tighter bounds, so
 * shared shapes such as `Integer` stay unconstrained everywhere else.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { PROSE_LIMITS, type ProseLimit } from "../src/kinds/api-limits.js";
import { APPSTREAM_SDK_NEWER, type ModelPatch } from "../src/emulator/model-sdk-newer.js";

/** The slice of a botocore shape this generator reads. */
export interface BotoShape {
  type: string;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  members?: Record<string, { shape: string }>;
  required?: string[];
}

export interface BotoOperation {
  input?: { shape: string };
  errors?: { shape: string }[];
}

export interface BotoModel {
  metadata: { apiVersion: string; targetPrefix: string };
  operations: Record<string, BotoOperation>;
  shapes: Record<string, BotoShape>;
}

/** Fails loudly on a model this generator does not understand, instead of writing a wrong table. */
export function asModel(model: unknown): BotoModel {
  const m = model as Partial<BotoModel> | null;
  if (m === null || typeof m !== "object" || !m.operations || !m.shapes || !m.metadata) {
    throw new Error("not a botocore service-2.json model (operations/shapes/metadata missing)");
  }
  return m as BotoModel;
}

/** Only the constraint fields of a shape, in a fixed key order so the output is stable. */
export function compactShape(name: string, s: BotoShape): Record<string, unknown> {
  switch (s.type) {
    case "string":
      return pick({ type: "string", min: s.min, max: s.max, pattern: s.pattern, enum: s.enum, sensitive: s.sensitive || undefined });
    case "integer":
    case "long":
    case "double":
      return pick({ type: s.type, min: s.min, max: s.max });
    case "boolean":
    case "timestamp":
    case "blob":
      return { type: s.type };
    case "list":
      return pick({ type: "list", member: need(name, s.member).shape, min: s.min, max: s.max });
    case "map":
      return pick({ type: "map", key: need(name, s.key).shape, value: need(name, s.value).shape, min: s.min, max: s.max });
    case "structure": {
      const members: Record<string, string> = {};
      for (const [member, ref] of Object.entries(s.members ?? {})) members[member] = ref.shape;
      return pick({ type: "structure", members, required: s.required?.length ? s.required : undefined });
    }
    default:
      throw new Error(`shape ${name}: unsupported botocore type ${s.type}`);
  }
}

function need<T>(shape: string, v: T | undefined): T {
  if (v === undefined) throw new Error(`shape ${shape}: incomplete list/map definition`);
  return v;
}

function pick(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Every shape reachable from `roots`, sorted by name. */
export function reachable(shapes: Record<string, BotoShape>, roots: string[]): string[] {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (seen.has(name)) continue;
    const s = shapes[name];
    if (!s) throw new Error(`shape ${name} is referenced but not defined`);
    seen.add(name);
    if (s.member) stack.push(s.member.shape);
    if (s.key) stack.push(s.key.shape);
    if (s.value) stack.push(s.value.shape);
    for (const ref of Object.values(s.members ?? {})) stack.push(ref.shape);
  }
  return [...seen].sort();
}

/**
 * Points every member named in `prose` at a shape `Structure.Member` carrying the prose bounds (the tighter
 * of model and prose). A key whose structure is not reachable, or whose member is not a string or number,
 * is a mistake in the table and fails the generation.
 */
function foldProseLimits(compact: Map<string, Record<string, unknown>>, prose: Readonly<Record<string, ProseLimit>>): void {
  for (const [key, limit] of Object.entries(prose)) {
    const [struct, member] = key.split(".") as [string, string];
    const owner = compact.get(struct);
    const members = owner?.members as Record<string, string> | undefined;
    const target = members?.[member];
    if (!members || target === undefined) throw new Error(`prose limit ${key}: no such member among the validated shapes`);
    const base = compact.get(target) as { type: string; min?: number; max?: number; pattern?: string; enum?: string[]; sensitive?: boolean };
    if (!["string", "integer", "long"].includes(base.type)) throw new Error(`prose limit ${key}: ${target} is a ${base.type}`);
    const tighter = (a: number | undefined, b: number | undefined, choose: (x: number, y: number) => number) =>
      a === undefined ? b : b === undefined ? a : choose(a, b);
    const shape = pick({
      type: base.type,
      min: tighter(base.min, limit.min, Math.max),
      max: tighter(base.max, limit.max, Math.min),
      pattern: base.pattern,
      enum: base.enum,
      sensitive: base.sensitive,
      orZero: limit.orZero,
      prose: true,
    });
    const name = `${struct}.${member}`;
    compact.set(name, shape);
    owner!.members = { ...members, [member]: name };
  }
}

/** The model with what the pinned SDK adds (model-sdk-newer.ts); a patch naming nothing of the model fails. */
function withPatch(model: BotoModel, patch: ModelPatch): BotoModel {
  const m = structuredClone(model);
  for (const [name, shape] of Object.entries(patch.shapes ?? {})) {
    if (m.shapes[name]) throw new Error(`SDK patch: shape ${name} is already in the model`);
    const { enum: values, ...rest } = shape;
    m.shapes[name] = { ...rest, ...(values ? { enum: [...values] } : {}) };
  }
  for (const [name, s] of Object.entries(patch.structures ?? {})) {
    const target = m.shapes[name];
    if (target?.type !== "structure") throw new Error(`SDK patch: ${name} is not a structure of the model`);
    for (const [member, shape] of Object.entries(s.members ?? {})) (target.members ??= {})[member] = { shape };
    if (s.required) target.required = [...s.required];
  }
  for (const [name, values] of Object.entries(patch.enums ?? {})) {
    const target = m.shapes[name];
    if (!target?.enum) throw new Error(`SDK patch: ${name} is not an enum of the model`);
    target.enum = [...target.enum, ...values.filter((v) => !target.enum!.includes(v))];
  }
  for (const [op, errors] of Object.entries(patch.errors ?? {})) {
    const def = m.operations[op];
    if (!def) throw new Error(`SDK patch: operation ${op} is not in the model`);
    def.errors = [...(def.errors ?? []), ...errors.filter((e) => !(def.errors ?? []).some((x) => x.shape === e)).map((shape) => ({ shape }))];
  }
  return m;
}

/**
 * The source text of `model.gen.ts` for `model` (a parsed botocore service-2.json). Pure and
 * deterministic: the same model always gives the same bytes.
 */
export function generateEmulatorModel(
  model: unknown,
  prose: Readonly<Record<string, ProseLimit>> = PROSE_LIMITS,
  origin: { service: string; script: string } = { service: "AppStream", script: "gen-emulator-model" },
  patch: ModelPatch = origin.service === "AppStream" ? APPSTREAM_SDK_NEWER : {},
): string {
  const m = withPatch(asModel(model), patch);
  const opLines: string[] = [];
  const roots: string[] = [];
  // Every operation of the model: the emulator serves them all, so it validates them all.
  for (const [op, def] of Object.entries(m.operations)) {
    if (def.input) roots.push(def.input.shape);
    const entry = pick({ input: def.input?.shape, errors: (def.errors ?? []).map((e) => e.shape) });
    opLines.push(`  ${op}: ${JSON.stringify(entry)},`);
  }
  const names = reachable(m.shapes, roots);
  const compact = new Map(names.map((name) => [name, compactShape(name, m.shapes[name] as BotoShape)]));
  foldProseLimits(compact, prose);
  const shapeLines = [...compact.keys()].sort().map((name) => `  ${JSON.stringify(name)}: ${JSON.stringify(compact.get(name))},`);
  return [
    `// GENERATED by scripts/${origin.script}.ts from the botocore ${origin.service} model`,
    `// (${m.metadata.targetPrefix}, API ${m.metadata.apiVersion}). Do not edit: regenerate with`,
    `// \`npm run build && node dist/scripts/${origin.script}.js\`.`,
    'import type { ModelOperation, ModelShape } from "./model.js";',
    "",
    "/** Operation name → input shape and modeled errors, for every operation of the model. */",
    "export const OPERATIONS: Readonly<Record<string, ModelOperation>> = {",
    ...opLines,
    "};",
    "",
    "/** Every shape reachable from those inputs: the constraints request validation checks. */",
    "export const SHAPES: Readonly<Record<string, ModelShape>> = {",
    ...shapeLines,
    "};",
    "",
  ].join("\n");
}

/** Default locations, relative to the repository root (the working directory of `node dist/scripts/...`). */
export const DEFAULT_MODEL_PATH = "../shared/reference/botocore-appstream/service-2.json";
export const OUTPUT_PATH = "src/emulator/model.gen.ts";

function main(argv: string[]): void {
  const modelPath = resolve(argv[0] ?? DEFAULT_MODEL_PATH);
  const source = generateEmulatorModel(JSON.parse(readFileSync(modelPath, "utf8")));
  writeFileSync(resolve(OUTPUT_PATH), source);
  process.stderr.write(`wrote ${OUTPUT_PATH} from ${modelPath}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2));
}
