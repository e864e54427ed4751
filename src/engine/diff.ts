// A unified diff of two texts, for dry-run reports. Generated files are small, so the
// plain longest-common-subsequence table is fast enough and easy to trust.

type Op = { kind: ' ' | '-' | '+'; line: string };

function lineOps(before: string[], after: string[]): Op[] {
  const rows = before.length;
  const cols = after.length;
  const lcs: Uint32Array[] = Array.from({ length: rows + 1 }, () => new Uint32Array(cols + 1));
  for (let i = rows - 1; i >= 0; i -= 1) {
    const row = lcs[i] as Uint32Array;
    const below = lcs[i + 1] as Uint32Array;
    for (let j = cols - 1; j >= 0; j -= 1) {
      row[j] = before[i] === after[j] ? (below[j + 1] ?? 0) + 1 : Math.max(below[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < rows || j < cols) {
    if (i < rows && j < cols && before[i] === after[j]) {
      ops.push({ kind: ' ', line: before[i] ?? '' });
      i += 1;
      j += 1;
    } else if (j < cols && (i === rows || (lcs[i]?.[j + 1] ?? 0) > (lcs[i + 1]?.[j] ?? 0))) {
      ops.push({ kind: '+', line: after[j] ?? '' });
      j += 1;
    } else {
      ops.push({ kind: '-', line: before[i] ?? '' });
      i += 1;
    }
  }
  return ops;
}

/** `diff -u` output for one file; empty when the texts are equal. */
export function unifiedDiff(path: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const ops = lineOps(before.split('\n'), after.split('\n'));
  const changed = ops.flatMap((op, index) => (op.kind === ' ' ? [] : [index]));
  const hunks: Array<[number, number]> = [];
  for (const index of changed) {
    const start = Math.max(0, index - context);
    const end = Math.min(ops.length, index + context + 1);
    const last = hunks.at(-1);
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else hunks.push([start, end]);
  }
  const out = [`--- a/${path}`, `+++ b/${path}`];
  for (const [start, end] of hunks) {
    const prefix = ops.slice(0, start);
    const body = ops.slice(start, end);
    const oldStart = prefix.filter((op) => op.kind !== '+').length + 1;
    const newStart = prefix.filter((op) => op.kind !== '-').length + 1;
    const oldCount = body.filter((op) => op.kind !== '+').length;
    const newCount = body.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`, ...body.map((op) => `${op.kind}${op.line}`));
  }
  return `${out.join('\n')}\n`;
}
