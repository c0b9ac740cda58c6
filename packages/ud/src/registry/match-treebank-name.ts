import type { UdDirIndex } from './scan-ud-dir.js';
import { TREEBANKS } from './treebanks.js';

/**
 * The canonical UD name for `query`: an exact name (`UD_English-EWT`), the same ignoring case
 * and the `UD_` prefix (`english-ewt`), or the file-name code (`en_ewt`). Looks in the folder
 * first, then in the registry. Undefined when nothing matches.
 */
export function matchTreebankName(query: string, index: UdDirIndex | undefined): string | undefined {
  const names = [...(index?.treebanks ?? []), ...TREEBANKS.map((t) => t.name)];
  if (names.includes(query)) return query;
  const fold = (name: string) => name.toLowerCase().replace(/^ud_/, '');
  const wanted = fold(query);
  const byName = names.find((name) => fold(name) === wanted);
  if (byName !== undefined) return byName;
  for (const file of index?.files ?? []) {
    const code = file.file.split('/').at(-1)!.split('-ud-')[0]!.toLowerCase();
    if (code === query.toLowerCase()) return file.treebank;
  }
  return undefined;
}

/** Up to three known names close to `query` (same language part), for "did you mean". */
export function similarTreebankNames(query: string, index: UdDirIndex | undefined): string[] {
  const names = [...new Set([...(index?.treebanks ?? []), ...TREEBANKS.map((t) => t.name)])];
  const head = query.toLowerCase().replace(/^ud_/, '').split(/[-_]/)[0] ?? '';
  if (head.length < 2) return [];
  return names
    .filter((name) => name.toLowerCase().replace(/^ud_/, '').startsWith(head.slice(0, 4)))
    .slice(0, 3);
}
