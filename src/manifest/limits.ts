/**
 * Bounds on what a manifest file may make the readers do, so that hostile or broken input is a positioned
 * error instead of a stack overflow or gigabytes of memory. A real manifest is about six levels deep and
 * uses aliases for a few shared blocks; the limits sit far above that.
 */

/** Collections inside collections, aliases included. */
export const MAX_DEPTH = 100;

/**
 * Values an alias may stand for, summed over every alias of a file. Nine nested aliases of nine items
 * each (a 600-byte "billion laughs") would otherwise expand to 387 million values.
 */
export const MAX_ALIAS_VALUES = 20_000;

const SPACE = 0x20;
const LF = 0x0a;
const CR = 0x0d;
const TAB = 0x09;
const HASH = 0x23;

/**
 * The offset of the first collection nested more than `MAX_DEPTH` deep, or undefined. A single pass over
 * the text, before either YAML reader recurses into it: block collections are counted by indentation
 * (plus `- - -` items written on one line) and flow collections by their brackets, outside quoted
 * scalars, comments and block scalars. It may over-count (a `[` in a plain scalar), which only a manifest
 * with a hundred unclosed ones would notice, and never under-counts a well-formed document.
 */
export function tooDeepAt(text: string, limit = MAX_DEPTH): number | undefined {
  const n = text.length;
  const indents: number[] = [];
  let flow = 0;
  let base = 0;
  let blockScalarIndent = -1;
  let i = 0;
  while (i < n) {
    const lineStart = i;
    let j = i;
    while (j < n && text.charCodeAt(j) === SPACE) j++;
    const indent = j - lineStart;
    const first = text.charCodeAt(j);
    const blank = j >= n || first === LF || first === CR || first === HASH;
    if (blockScalarIndent >= 0 && (blank || indent > blockScalarIndent)) {
      i = lineEnd(text, j) + 1;
      continue;
    }
    blockScalarIndent = -1;
    if (blank) {
      i = lineEnd(text, j) + 1;
      continue;
    }
    if (flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
      base = indents.length;
      // `- - x`, `? - x`: each indicator on the line opens one more collection.
      while (j < n && isIndicator(text.charCodeAt(j)) && isSpaceOrEnd(text.charCodeAt(j + 1))) {
        base++;
        j++;
        while (j < n && text.charCodeAt(j) === SPACE) j++;
      }
      if (base > limit) return j;
    }
    // The rest of the line (a quoted scalar may carry the scan onto later lines).
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === LF) break;
      const atTokenStart = j === lineStart || isTokenBoundary(text.charCodeAt(j - 1));
      if (c === HASH && atTokenStart) {
        j = lineEnd(text, j);
        break;
      }
      if (atTokenStart && (c === 0x22 || c === 0x27)) {
        j = skipQuoted(text, j);
        continue;
      }
      if (c === 0x5b || c === 0x7b) {
        flow++;
        if (base + flow > limit) return j;
      } else if (c === 0x5d || c === 0x7d) {
        if (flow > 0) flow--;
      } else if ((c === 0x7c || c === 0x3e) && atTokenStart && flow === 0 && endsBlockScalarHeader(text, j + 1)) {
        blockScalarIndent = indent;
        j = lineEnd(text, j);
        break;
      }
      j++;
    }
    i = j + 1;
  }
  return undefined;
}

function lineEnd(text: string, from: number): number {
  const k = text.indexOf("\n", from);
  return k < 0 ? text.length : k;
}

function isIndicator(c: number): boolean {
  return c === 0x2d || c === 0x3f || c === 0x3a; // - ? :
}

function isSpaceOrEnd(c: number): boolean {
  return Number.isNaN(c) || c === SPACE || c === LF || c === CR || c === TAB;
}

function isTokenBoundary(c: number): boolean {
  return c === SPACE || c === TAB || c === 0x5b || c === 0x7b || c === 0x2c; // space tab [ { ,
}

/** After `"` or `'` at `start`: the offset just past the closing quote (or the end of the text). */
function skipQuoted(text: string, start: number): number {
  const quote = text.charCodeAt(start);
  let k = start + 1;
  while (k < text.length) {
    const c = text.charCodeAt(k);
    if (quote === 0x22 && c === 0x5c) k += 2;
    else if (c === quote) {
      if (quote === 0x27 && text.charCodeAt(k + 1) === 0x27) k += 2;
      else return k + 1;
    } else k++;
  }
  return k;
}

/** `|`, `>`, with optional indentation and chomping indicators, then only a comment: a block scalar. */
function endsBlockScalarHeader(text: string, from: number): boolean {
  let k = from;
  while (k < text.length && /[-+0-9]/.test(text[k]!)) k++;
  while (k < text.length && (text.charCodeAt(k) === SPACE || text.charCodeAt(k) === TAB)) k++;
  const c = text.charCodeAt(k);
  return k >= text.length || c === LF || c === CR || (c === HASH && k > from && isTokenBoundary(text.charCodeAt(k - 1)));
}
