// One bounded nesting-depth check for parsed JSON/YAML values, shared by the CLI's parsers and the webhook
// (which runs it on every request: no recursion, no per-node allocation).

/**
 * Nesting depth of a value (a scalar is 0, `{}` is 1), computed without recursion. Stops as soon as the
 * depth passes `limit` and returns `limit + 1` then.
 */
export function jsonDepth(value: unknown, limit: number): number {
  if (typeof value !== "object" || value === null) return 0;
  // Two parallel stacks instead of a [value, depth] pair per node.
  const values: object[] = [value];
  const depths: number[] = [1];
  let max = 0;
  while (values.length > 0) {
    const v = values.pop()!;
    const d = depths.pop()!;
    if (d > max) {
      max = d;
      if (max > limit) return max;
    }
    if (Array.isArray(v)) {
      for (const c of v) {
        if (typeof c === "object" && c !== null) {
          values.push(c);
          depths.push(d + 1);
        }
      }
    } else {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        const c = o[k];
        if (typeof c === "object" && c !== null) {
          values.push(c);
          depths.push(d + 1);
        }
      }
    }
  }
  return max;
}

/** Whether a value is nested deeper than `limit` levels. */
export function exceedsDepth(value: unknown, limit: number): boolean {
  return typeof value === "object" && value !== null && jsonDepth(value, limit) > limit;
}

/**
 * A lower bound of a YAML text's nesting depth, from one linear scan of the characters, for refusing absurd
 * nesting before a recursive parser spends seconds and gigabytes on it (10⁶ `[` took 24 s and 1.2 GB in the
 * `yaml` library). Counts flow brackets (outside quotes and comments; in block context only where a node starts)
 * plus the block collections open at each line (an indentation stack of `key:` lines and `- ` entries). Block
 * scalars (`|`, `>`) and quoted scalars are skipped. It errs on the low side: tags, anchors and `?` keys do not
 * count. The one shape it may count high is a plain scalar continued on a line that starts with many `- - -`.
 * Returns the 1-based line where the depth first exceeds `limit`, or undefined.
 */
export function textDepthExceeds(text: string, limit: number): { line: number } | undefined {
  const n = text.length;
  const stack: number[] = []; // columns of the block collections open at this line
  let flow = 0;
  let line = 1;
  let i = 0;
  let quote = 0; // 34 ("), 39 (') while inside a quoted scalar
  let blockScalarIndent = -1; // skipping the lines of a block scalar indented more than this
  const SPACE = 32;
  const NL = 10;
  const isBreakOrEnd = (j: number) => j >= n || text.charCodeAt(j) === SPACE || text.charCodeAt(j) === NL || text.charCodeAt(j) === 13 || text.charCodeAt(j) === 9;
  const skipToEol = () => {
    while (i < n && text.charCodeAt(i) !== NL) i++;
  };
  const exceeded = () => stack.length + flow > limit;

  while (i < n) {
    // ---- a line starts (unless a quoted scalar continues) ----
    const lineStart = i;
    let col = 0;
    let atNode = false;
    let keyCol = -1;
    let keyPushed = false;
    if (quote === 0) {
      while (i < n && text.charCodeAt(i) === SPACE) {
        i++;
        col++;
      }
      if (i >= n) break;
      const c0 = text.charCodeAt(i);
      if (c0 === NL || c0 === 13) {
        if (c0 === NL) line++;
        i++;
        continue; // blank lines end nothing
      }
      if (blockScalarIndent >= 0) {
        if (col > blockScalarIndent) {
          skipToEol();
          continue;
        }
        blockScalarIndent = -1;
      }
      if (flow === 0) {
        if (c0 === 35 /* # */) {
          skipToEol();
          continue;
        }
        if (col === 0 && (text.startsWith("---", i) || text.startsWith("...", i)) && isBreakOrEnd(i + 3)) {
          stack.length = 0; // a new document
          i += 3;
        } else {
          while (stack.length > 0 && stack[stack.length - 1]! >= col) stack.pop();
        }
        atNode = true;
      }
    }
    // ---- the rest of the line ----
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === NL) break;
      if (quote !== 0) {
        if (quote === 34 && c === 92 /* \ */) i += 2;
        else if (c === quote) {
          if (quote === 39 && text.charCodeAt(i + 1) === 39) i += 2;
          else {
            quote = 0;
            i++;
          }
        } else i++;
        continue;
      }
      if (c === SPACE || c === 9 || c === 13) {
        i++;
        continue;
      }
      const prev = i > 0 ? text.charCodeAt(i - 1) : NL;
      const afterSpace = prev === SPACE || prev === 9 || prev === NL || prev === 13;
      if (c === 35 /* # */ && afterSpace) {
        skipToEol();
        break;
      }
      if (flow > 0) {
        if (c === 91 || c === 123) {
          flow++;
          if (exceeded()) return { line };
        } else if (c === 93 || c === 125) flow--;
        else if ((c === 34 || c === 39) && (afterSpace || prev === 91 || prev === 123 || prev === 44 || prev === 58)) quote = c;
        i++;
        continue;
      }
      // Block context.
      const column = i - lineStart;
      if (atNode) {
        if (c === 45 /* - */ && isBreakOrEnd(i + 1)) {
          while (stack.length > 0 && stack[stack.length - 1]! >= column) stack.pop();
          stack.push(column);
          if (exceeded()) return { line };
          i++;
          continue; // still at a node start
        }
        if ((c === 38 /* & */ || c === 33 /* ! */) && !keyPushed) {
          while (i < n && !isBreakOrEnd(i)) i++;
          continue; // anchor or tag: the node starts after it
        }
        if (c === 63 /* ? */ && isBreakOrEnd(i + 1)) {
          i++;
          continue;
        }
        if (c === 91 || c === 123) {
          flow = 1;
          atNode = false;
          if (exceeded()) return { line };
          i++;
          continue;
        }
        if (c === 124 /* | */ || c === 62 /* > */) {
          blockScalarIndent = col;
          skipToEol();
          break;
        }
        atNode = false;
        if (!keyPushed) keyCol = column;
        if (c === 34 || c === 39) {
          quote = c;
          i++;
          continue;
        }
      }
      if (c === 58 /* : */ && isBreakOrEnd(i + 1) && keyCol >= 0 && !keyPushed) {
        while (stack.length > 0 && stack[stack.length - 1]! >= keyCol) stack.pop();
        stack.push(keyCol);
        keyPushed = true;
        keyCol = -1;
        if (exceeded()) return { line };
        atNode = true; // the value starts
        i++;
        continue;
      }
      i++;
    }
    if (i < n && text.charCodeAt(i) === NL) {
      line++;
      i++;
    }
  }
  return undefined;
}
