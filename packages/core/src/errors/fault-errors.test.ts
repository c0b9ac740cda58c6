import { describe, expect, it } from 'vitest';
import { checkPlainName, resolveInside } from '../io/safe-path.js';
import { FileSystemError } from './file-system-error.js';
import { ResourceLimitError } from './resource-limit-error.js';
import { UnsafePathError } from './unsafe-path-error.js';
import { XlingError } from './xling-error.js';

function systemError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, syscall, path });
}

describe('FileSystemError', () => {
  it('wraps a disk-full error with the path and the remedy', () => {
    const e = FileSystemError.from(systemError('ENOSPC', 'write', '/out/a.json')) as FileSystemError;
    expect(e).toBeInstanceOf(FileSystemError);
    expect(e.code).toBe('XLING_FILE_SYSTEM');
    expect(e.systemCode).toBe('ENOSPC');
    expect(e.message).toMatch(/^Cannot write '\/out\/a\.json': the disk is full.*\(ENOSPC\)\.$/);
  });

  it('names the caller action and path when given', () => {
    const e = FileSystemError.from(systemError('EROFS', 'open', '/x'), 'create the run folder', '/runs');
    expect((e as FileSystemError).message).toMatch(/^Cannot create the run folder '\/runs': .*read-only/);
  });

  it("names the unwritable ancestor's fault when recursive mkdir reports ENOENT", () => {
    const e = FileSystemError.from(systemError('ENOENT', 'mkdir', '/proc/1/nope/deeper')) as FileSystemError;
    expect(e.systemCode).not.toBe('ENOENT');
    expect(['EACCES', 'EROFS', 'EPERM']).toContain(e.systemCode);
  });

  it('returns xling errors and non-system errors unchanged', () => {
    const xling = new XlingError('XLING_X', 'x');
    expect(FileSystemError.from(xling)).toBe(xling);
    const plain = new TypeError('boom');
    expect(FileSystemError.from(plain)).toBe(plain);
    const unknownCode = systemError('EWEIRD', 'open', '/x');
    expect(FileSystemError.from(unknownCode)).toBe(unknownCode);
  });
});

describe('ResourceLimitError', () => {
  it('names the file, the limit and its value', () => {
    const e = new ResourceLimitError('a.conllu.gz', 'maxLineBytes', 1024, 'line 7 is longer than 1024 bytes');
    expect(e.code).toBe('XLING_LIMIT_EXCEEDED');
    expect(e.message).toBe('a.conllu.gz: line 7 is longer than 1024 bytes (limit maxLineBytes = 1024).');
  });
});

describe('resolveInside and checkPlainName', () => {
  it('accepts nested relative paths inside the root', () => {
    expect(resolveInside('/a/b', 'c/d.txt', 'test')).toBe('/a/b/c/d.txt');
    expect(resolveInside('/a/b', 'c/../d', 'test')).toBe('/a/b/d');
  });

  it.each(['..', '../x', 'c/../../x', '/etc/passwd', '', '.', 'a\u0000b', 'C:evil'])('refuses %j', (path) => {
    expect(() => resolveInside('/a/b', path, 'the archive entry')).toThrow(UnsafePathError);
  });

  it.each(['..', '.', '', 'a/b', 'a\\b', 'x\u0000', 'line\nbreak'])('checkPlainName refuses %j', (name) => {
    expect(() => checkPlainName(name, '/t', 'the URL')).toThrow(/XLING_UNSAFE_PATH|not a plain name/);
  });

  it('checkPlainName returns a plain name', () => {
    expect(checkPlainName('ud-2.14.tgz', '/t', 'the URL')).toBe('ud-2.14.tgz');
  });
});
