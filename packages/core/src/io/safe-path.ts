import { isAbsolute, relative, resolve, sep } from 'node:path';
import { UnsafePathError } from '../errors/unsafe-path-error.js';

/**
 * Checks that `name` is one plain file or folder name: not empty, not `.` or `..`, without a
 * separator (`/` or `\`), a NUL or another control character. Use it for names derived from URLs
 * (after decoding), headers and config values; returns `name`.
 */
export function checkPlainName(name: string, root: string, source: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (name === '' || name === '.' || name === '..' || /[/\\\u0000-\u001f\u007f]/.test(name)) {
    throw new UnsafePathError(root, name, source);
  }
  return name;
}

/**
 * Resolves the relative path `path` under `root` and returns the absolute result, throwing
 * `XLING_UNSAFE_PATH` when it is absolute, contains a NUL, or leaves `root` (via `..`). Symbolic
 * links already inside `root` are the caller's concern (archives refuse link entries).
 */
export function resolveInside(root: string, path: string, source: string): string {
  const base = resolve(root);
  if (path === '' || path.includes('\u0000') || isAbsolute(path) || /^[a-zA-Z]:/.test(path)) {
    throw new UnsafePathError(base, path, source);
  }
  const target = resolve(base, path);
  const rel = relative(base, target);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new UnsafePathError(base, path, source);
  }
  return target;
}
