/** Plain-text tables for the terminal: columns padded to their widest cell, numbers right-aligned. */

export type Cell = string | number;

/** Renders a header row and body rows; numeric cells (and their headers) are right-aligned. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly Cell[])[],
  indent = '',
): string {
  const numeric = header.map((_, c) => rows.length > 0 && rows.every((r) => typeof r[c] === 'number'));
  const text = [header, ...rows].map((r) => header.map((_, c) => String(r[c] ?? '')));
  const widths = header.map((_, c) => Math.max(...text.map((r) => (r[c] ?? '').length)));
  return text
    .map((r) =>
      r
        .map((cell, c) => {
          const w = widths[c] ?? 0;
          return numeric[c] === true ? cell.padStart(w) : c === r.length - 1 ? cell : cell.padEnd(w);
        })
        .join('  '),
    )
    .map((line) => indent + line.trimEnd())
    .join('\n');
}
