/**
 * `${env:NAME}` interpolation in string values (DESIGN.md §3). A missing variable is an error naming it;
 * `$${` writes a literal `${`; anything else starting with `${` is a syntax error rather than silently
 * kept, because a typo such as `${ENV:PASS}` would otherwise become a real password.
 */
import type { Diagnostic, SourceLocation } from "../core/errors.js";
import type { NodeLookup } from "./parse.js";
import { toPointer } from "./pointer.js";
import { setKey, type JsonObject, type JsonValue } from "./types.js";

/** The outcome of interpolating one manifest. */
export interface Interpolated {
  value: JsonValue;
  /** Pointers whose value took at least one variable from the environment. */
  fromEnv: Set<string>;
  /** Pointers left unresolved because of an error (schema errors there would be noise). */
  unresolved: Set<string>;
  /** The unset variables of each pointer that failed only because variables were unset. */
  missing: Map<string, string[]>;
  diagnostics: Diagnostic[];
}

/** One `${…}` occurrence in a string, or a literal run. */
export type Piece = { kind: "text"; text: string } | { kind: "env"; name: string; raw: string } | { kind: "bad"; raw: string; reason: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Splits a string into literal text and `${env:NAME}` references. Pure. */
export function tokenize(s: string): Piece[] {
  const pieces: Piece[] = [];
  let text = "";
  let i = 0;
  while (i < s.length) {
    if (s.startsWith("$${", i)) {
      text += "${";
      i += 3;
      continue;
    }
    if (!s.startsWith("${", i)) {
      text += s[i];
      i++;
      continue;
    }
    const close = s.indexOf("}", i + 2);
    if (text) pieces.push({ kind: "text", text });
    text = "";
    if (close === -1) {
      pieces.push({ kind: "bad", raw: s.slice(i), reason: "is not closed with `}`" });
      break;
    }
    const raw = s.slice(i, close + 1);
    const body = s.slice(i + 2, close);
    if (!body.startsWith("env:")) {
      pieces.push({ kind: "bad", raw, reason: "is not a supported reference; only `${env:NAME}` is" });
    } else if (!NAME.test(body.slice(4))) {
      pieces.push({ kind: "bad", raw, reason: "does not name a valid environment variable (letters, digits and `_`, not starting with a digit)" });
    } else {
      pieces.push({ kind: "env", name: body.slice(4), raw });
    }
    i = close + 1;
  }
  if (text) pieces.push({ kind: "text", text });
  return pieces;
}

/**
 * Resolves every `${env:NAME}` in the string values of `root`. Positions point at the reference inside
 * the scalar when the source text shows it verbatim, else at the scalar.
 */
export function interpolate(
  root: JsonValue,
  env: Readonly<Record<string, string | undefined>>,
  nodes: NodeLookup,
  texts: ReadonlyMap<string, string>,
): Interpolated {
  const out: Interpolated = { value: null, fromEnv: new Set(), unresolved: new Set(), missing: new Map(), diagnostics: [] };
  // Each reference's raw text, counted over every value: a position is taken from the text alone only
  // for a reference written once (see `placeAlone`).
  const written = new Map<string, number>();
  const unplaced: { at: number; raw: string; place: () => SourceLocation | undefined }[] = [];
  // Copy on write, and pointers built only for strings with a reference: a roster of 10,000 users has
  // none, and copying it (or naming each of its values) would be most of the work.
  const path: (string | number)[] = [];
  const visit = (v: JsonValue): JsonValue => {
    if (typeof v === "string") return v.includes("${") ? resolveString(v, toPointer(path)) : v;
    if (Array.isArray(v)) {
      let copy: JsonValue[] | undefined;
      v.forEach((item, i) => {
        path.push(i);
        const next = visit(item);
        path.pop();
        if (next !== item) (copy ??= [...v])[i] = next;
      });
      return copy ?? v;
    }
    if (v !== null && typeof v === "object") {
      let copy: JsonObject | undefined;
      for (const k in v) {
        const item = v[k]!;
        path.push(k);
        const next = visit(item);
        path.pop();
        // Spread and setKey both keep a key named `__proto__` a plain key.
        if (next !== item) setKey((copy ??= { ...v }), k, next);
      }
      return copy ?? v;
    }
    return v;
  };
  const resolveString = (s: string, pointer: string): string => {
    const pieces = tokenize(s);
    for (const p of pieces) if (p.kind !== "text") written.set(p.raw, (written.get(p.raw) ?? 0) + 1);
    // Positions are looked up only for a problem: asking for them may mean parsing the file again.
    const locOf = (index: number): SourceLocation | undefined => {
      const info = nodes.get(pointer);
      if (!info) return undefined;
      const source = texts.get(info.file) ?? "";
      // Earlier references are found first, so that a name written twice points at the right one.
      let searchFrom = info.range[0];
      let found: SourceLocation = info.loc;
      for (const p of pieces.slice(0, index + 1)) {
        if (p.kind === "text") continue;
        const idx = source.indexOf(p.raw, searchFrom);
        const verbatim = idx !== -1 && idx < info.range[1];
        if (verbatim) searchFrom = idx + p.raw.length;
        found = verbatim ? { file: info.file, ...lineCol(source, idx) } : info.loc;
      }
      return found;
    };
    let result = "";
    let failed = false;
    let malformed = false;
    const unset: string[] = [];
    for (const [i, p] of pieces.entries()) {
      switch (p.kind) {
        case "text":
          result += p.text;
          break;
        case "env": {
          const value = env[p.name];
          if (value === undefined) {
            failed = true;
            unset.push(p.name);
            const diagnostic: Diagnostic = {
              code: "manifest.env-missing",
              severity: "error",
              message: `environment variable ${p.name} is not set`,
              pointer,
              hint: `export ${p.name}=… before running, or write the value without \${env:…}`,
            };
            unplaced.push({ at: out.diagnostics.push(diagnostic) - 1, raw: p.raw, place: () => locOf(i) });
          } else {
            out.fromEnv.add(pointer);
            result += value;
          }
          break;
        }
        case "bad": {
          failed = true;
          malformed = true;
          const diagnostic: Diagnostic = {
            code: "manifest.env-syntax",
            severity: "error",
            message: `\`${p.raw}\` ${p.reason}`,
            pointer,
            hint: "write `${env:NAME}` to read a variable, or `$${` for a literal `${`",
          };
          unplaced.push({ at: out.diagnostics.push(diagnostic) - 1, raw: p.raw, place: () => locOf(i) });
          break;
        }
      }
    }
    if (failed) {
      out.unresolved.add(pointer);
      if (!malformed) out.missing.set(pointer, unset);
      return s;
    }
    return result;
  };
  out.value = visit(root);
  for (const u of unplaced) {
    const loc = (written.get(u.raw) === 1 ? placeAlone(u.raw, texts) : undefined) ?? u.place();
    const { code, severity, message, ...rest } = out.diagnostics[u.at]!;
    if (loc) out.diagnostics[u.at] = { code, severity, message, loc, ...rest };
  }
  return out;
}

/**
 * Where a reference written once in the manifest's values is, from the text alone: the positional
 * parser (seconds on a large roster) is needed only when the text could be read two ways. Taken only when
 * the text shows it exactly once, not escaped as `$${`, with no `#` before it on its line (a comment) and
 * no `:` right after it (a key): that one place is then the value's, since a value written some other way
 * (escaped in a double-quoted scalar) would be a second reference with the same text.
 */
function placeAlone(raw: string, texts: ReadonlyMap<string, string>): SourceLocation | undefined {
  let found: SourceLocation | undefined;
  for (const [file, text] of texts) {
    for (let at = text.indexOf(raw); at !== -1; at = text.indexOf(raw, at + 1)) {
      if (found) return undefined;
      const lineStart = text.lastIndexOf("\n", at) + 1;
      const after = text.slice(at + raw.length, at + raw.length + 2).replace(/^["']/, "");
      if (text[at - 1] === "$" || text.slice(lineStart, at).includes("#") || after.startsWith(":")) return undefined;
      found = { file, ...lineCol(text, at) };
    }
  }
  return found;
}

/** 1-based line and column (UTF-16 units, as the yaml library counts) of an offset. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}
