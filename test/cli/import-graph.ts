/**
 * A static view of the import graph of src/: every relative `import`/`export … from`/`import()` of every
 * .ts file, read from the text (no compiler), so layering and cycle checks stay fast and need no build.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const SRC = fileURLToPath(new URL("../../src", import.meta.url));

export interface ImportEdge {
  /** Importing file, relative to src/ (e.g. "aws/client.ts"). */
  from: string;
  /** Imported file, relative to src/. */
  to: string;
  /** 1-based line of the import. */
  line: number;
  /** Erased at compile time (`import type`, `export type`): no load order, but still a dependency. */
  typeOnly: boolean;
  /** `import()`: loaded on first use, not when the importer loads. */
  dynamic: boolean;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Relative module specifiers of one source text, with their line, as written (`./x.js`). */
export function importsOf(text: string): Array<{ spec: string; line: number; typeOnly: boolean; dynamic: boolean }> {
  const out: Array<{ spec: string; line: number; typeOnly: boolean; dynamic: boolean }> = [];
  const lineAt = (index: number): number => text.slice(0, index).split("\n").length;
  // Statements start a line; the clause between the keyword and `from` may span lines but never holds a `;`.
  const statement = /^(import|export)(\s+type)?\b([^;'"]*?)\bfrom\s*["']([^"']+)["']|^import\s*["']([^"']+)["']/gm;
  for (const m of text.matchAll(statement)) {
    const spec = m[4] ?? m[5]!;
    const clause = m[3] ?? "";
    // `import { type A, type B }` is erased too when every name is a type.
    const names = /^\s*\{([^}]*)\}\s*$/.exec(clause)?.[1]?.split(",").map((n) => n.trim()).filter(Boolean);
    const allTypes = names !== undefined && names.length > 0 && names.every((n) => n.startsWith("type "));
    out.push({ spec, line: lineAt(m.index), typeOnly: m[2] !== undefined || allTypes, dynamic: false });
  }
  // `import("x")` loads a module on first use; `import("x").T` and `typeof import("x")` only name a type.
  for (const m of text.matchAll(/(\btypeof\s+)?\bimport\(\s*["']([^"']+)["']\s*\)(\.)?/g)) {
    const typeOnly = m[1] !== undefined || m[3] !== undefined;
    out.push({ spec: m[2]!, line: lineAt(m.index), typeOnly, dynamic: !typeOnly });
  }
  return out.filter((i) => i.spec.startsWith("."));
}

/** Every relative import of every file under src/, resolved to the file it names. */
export function importGraph(root = SRC): ImportEdge[] {
  return tsFiles(root).flatMap((file) => {
    const from = relative(root, file);
    return importsOf(readFileSync(file, "utf8")).map((i) => ({
      from,
      // Sources import the compiled name (`./x.js`) of the `./x.ts` beside them.
      to: relative(root, resolve(dirname(file), i.spec)).replace(/\.js$/, ".ts"),
      line: i.line,
      typeOnly: i.typeOnly,
      dynamic: i.dynamic,
    }));
  });
}

/** The import cycles among `edges`: each strongly connected component of more than one file, sorted. */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (!next.has(e.from)) next.set(e.from, []);
    if (!next.has(e.to)) next.set(e.to, []);
    next.get(e.from)!.push(e.to);
  }
  // Tarjan's algorithm.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || next.get(v)!.includes(v)) components.push(component.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return components.sort((a, b) => a[0]!.localeCompare(b[0]!));
}
