import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, readFile, readlink, rm, stat, symlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { FileSystemError, writeFileAtomic } from '@xling/core';

/** Environment variables, as in `process.env`. */
export type Environment = Record<string, string | undefined>;

/** Where and how the Hugging Face hub is reached, resolved as `huggingface_hub` does. */
export interface HubSettings {
  /** The hub cache: the folder holding `models--<owner>--<name>`. */
  cacheDir: string;
  endpoint: string;
  token: string | undefined;
  offline: boolean;
}

/** What the caller fixed; the environment fills the rest. */
export interface HubChoices {
  cacheDir: string | undefined;
  endpoint: string | undefined;
  token: string | undefined;
  offline: boolean | undefined;
}

const COMMIT = /^[0-9a-f]{40}$/;
/** Blob names: the git object id (40 hex) of a small file, the sha256 (64 hex) of an LFS file. */
const BLOB = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

export const isCommit = (revision: string) => COMMIT.test(revision);
export const isBlobId = (id: string) => BLOB.test(id);

const expandHome = (path: string) => path.replace(/^~(?=$|[/\\])/, homedir());

/** `1`, `ON`, `YES`, `TRUE` in any case, as `huggingface_hub` reads its switches. */
const isTrue = (value: string | undefined) => ['1', 'on', 'yes', 'true'].includes(value?.toLowerCase() ?? '');

async function readToken(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim() || undefined;
  } catch {
    return undefined; // no token file: anonymous access
  }
}

/**
 * Resolves the settings like `huggingface_hub`: `HF_HOME` (default `$XDG_CACHE_HOME/huggingface`
 * or `~/.cache/huggingface`), the cache at `HF_HUB_CACHE` (or `$HF_HOME/hub`), the token from
 * `HF_TOKEN` (or the file `HF_TOKEN_PATH`, default `$HF_HOME/token`, that `hf auth login`
 * writes), `HF_ENDPOINT` and `HF_HUB_OFFLINE`. What the caller gives wins.
 */
export async function hubSettings(choices: HubChoices, env: Environment): Promise<HubSettings> {
  const home = expandHome(
    env.HF_HOME || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'huggingface'),
  );
  const cacheDir = expandHome(
    choices.cacheDir ?? (env.HF_HUB_CACHE || env.HUGGINGFACE_HUB_CACHE || join(home, 'hub')),
  );
  const token =
    choices.token ??
    (env.HF_TOKEN?.trim() ||
      env.HUGGING_FACE_HUB_TOKEN?.trim() ||
      (await readToken(expandHome(env.HF_TOKEN_PATH || join(home, 'token')))));
  return {
    cacheDir,
    endpoint: (choices.endpoint ?? (env.HF_ENDPOINT || 'https://huggingface.co')).replace(/\/+$/, ''),
    token,
    offline: choices.offline ?? isTrue(env.HF_HUB_OFFLINE),
  };
}

/** Runs one file-system step, turning an errno error into `XLING_FILE_SYSTEM`. */
export async function onDisk<T>(action: string, path: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw FileSystemError.from(error, action, path);
  }
}

export async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * One repository in the hub cache, in the layout of `huggingface_hub`:
 * `blobs/<etag>` holds the files, `snapshots/<commit>/<path>` links to them (or holds a copy where
 * links cannot be made), `refs/<revision>` holds the commit a branch or tag pointed to.
 */
export class RepoCache {
  readonly root: string;

  constructor(cacheDir: string, repo: string) {
    this.root = join(cacheDir, `models--${repo.replace('/', '--')}`);
  }

  blob(id: string): string {
    return join(this.root, 'blobs', id);
  }

  snapshot(commit: string): string {
    return join(this.root, 'snapshots', commit);
  }

  /** The commit `revision` stands for: itself when it is one, else what `refs/` recorded. */
  async commitOf(revision: string): Promise<string | undefined> {
    if (isCommit(revision)) return revision;
    try {
      const commit = (await readFile(join(this.root, 'refs', revision), 'utf8')).trim();
      return isCommit(commit) ? commit : undefined;
    } catch {
      return undefined;
    }
  }

  /** Whether a snapshot of `revision` is here (its files are not checked). */
  async hasSnapshot(revision: string): Promise<boolean> {
    const commit = await this.commitOf(revision);
    return commit !== undefined && (await this.snapshotFiles(commit)).length > 0;
  }

  async recordRef(revision: string, commit: string): Promise<void> {
    if (revision === commit) return;
    const path = join(this.root, 'refs', revision);
    await onDisk('create the folder', dirname(path), () => mkdir(dirname(path), { recursive: true }));
    await onDisk('write', path, () => writeFileAtomic(path, commit));
  }

  /**
   * Makes `pointer` a relative symbolic link to `blob`, as `huggingface_hub` does (the cache can
   * move); where links cannot be made (Windows without the right, some network disks) a copy.
   */
  async link(pointer: string, blob: string): Promise<void> {
    await onDisk('create the folder', dirname(pointer), () => mkdir(dirname(pointer), { recursive: true }));
    await onDisk('replace', pointer, () => rm(pointer, { force: true }));
    try {
      await symlink(relative(dirname(pointer), blob), pointer);
    } catch {
      await onDisk('copy the cached file to', pointer, () => copyFile(blob, pointer));
    }
  }

  /** The sha256 a linked blob is named by (LFS files), for checking a file found in the cache. */
  async linkedSha256(pointer: string): Promise<string | undefined> {
    try {
      if (!(await lstat(pointer)).isSymbolicLink()) return undefined;
      const name = basename(await readlink(pointer));
      return /^[0-9a-f]{64}$/.test(name) ? name : undefined;
    } catch {
      return undefined;
    }
  }

  /** Paths of the files in a snapshot folder (links followed), relative to it, `/`-separated. */
  async snapshotFiles(commit: string): Promise<string[]> {
    const dir = this.snapshot(commit);
    try {
      const entries = await readdir(dir, { recursive: true });
      const files: string[] = [];
      for (const entry of entries.sort()) {
        if ((await stat(join(dir, entry)).catch(() => undefined))?.isFile()) {
          files.push(entry.split(/[\\/]/).join('/'));
        }
      }
      return files;
    } catch {
      return [];
    }
  }
}
