import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { XlingError, isProcessAlive, throwIfAborted } from '@xling/core';

/** What a claim file holds: who took the unit. */
interface Claim {
  stage: string;
  unit: string;
  pid: number;
  host: string;
}

/** Milliseconds between two looks at a unit another shard computes. */
const POLL_MS = 100;

/**
 * First-come claims on units of work, for shards that run side by side on one machine (the local
 * executor, run-locally.ts): a shard computes a unit when it is first to create the unit's claim
 * file (exclusive create), so a shard that finishes early takes more units instead of idling, and a
 * shard that reads a stage others still compute waits for their units. Results do not depend on
 * who computes what: every unit has its own seed and output file.
 *
 * A claim records its shard's pid and host; a waiter fails (rather than waiting forever) when the
 * claimer ran on this host and exited without finishing the unit. Claims belong to one run of the
 * shards: the executor makes a fresh folder each time, and finished units, cached in the stage
 * folders, are loaded by whoever claims them next time.
 */
export class UnitClaims {
  constructor(readonly dir: string) {}

  /** Takes unit `id` of `stage` for this process; false when another process took it first. */
  claim(stage: string, id: string): boolean {
    const file = this.file(stage, id);
    mkdirSync(this.dir, { recursive: true });
    // Written whole, then linked: the claim appears with its content or not at all (a link fails
    // when the name exists, as an exclusive create does).
    const temp = `${file}.${process.pid}.tmp`;
    const claim: Claim = { stage, unit: id, pid: process.pid, host: hostname() };
    writeFileSync(temp, JSON.stringify(claim));
    try {
      linkSync(temp, file);
      return true;
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
      return exclusiveWrite(file, JSON.stringify(claim)); // a file system without links
    } finally {
      rmSync(temp, { force: true });
    }
  }

  /** Marks a claimed unit finished, also when it turned out to have nothing to compute. */
  finish(stage: string, id: string): void {
    writeFileSync(`${this.file(stage, id)}.done`, '');
  }

  /**
   * Resolves once `ready()` or the unit's claimer marked it finished.
   * @throws XLING_STAGE_INCOMPLETE when nobody claimed the unit, or its claimer exited without
   *   finishing it; XLING_ABORTED when `signal` fires.
   */
  async waitFor(stage: string, id: string, ready: () => boolean, signal?: AbortSignal): Promise<void> {
    const file = this.file(stage, id);
    while (!ready() && !existsSync(`${file}.done`)) {
      throwIfAborted(signal, 'runExperiment');
      const problem = this.problem(file);
      // The claimer may have finished and exited since the look above.
      if (problem !== undefined && !ready() && !existsSync(`${file}.done`)) {
        throw new XlingError(
          'XLING_STAGE_INCOMPLETE',
          `Stage '${stage}' lacks its unit '${id}': ${problem}. Rerun the same command: finished units are kept.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Why waiting for the unit of claim `file` is hopeless, if it is. */
  private problem(file: string): string | undefined {
    if (!existsSync(file)) return `no shard took it (claims in '${this.dir}')`;
    let claim: Claim;
    try {
      claim = JSON.parse(readFileSync(file, 'utf8')) as Claim;
    } catch {
      return `its claim '${file}' is unreadable`;
    }
    if (claim.host !== hostname() || isProcessAlive(claim.pid)) return undefined;
    return `the shard that took it (pid ${claim.pid}) exited without finishing it`;
  }

  private file(stage: string, id: string): string {
    return join(this.dir, createHash('sha256').update(`${stage}\u0000${id}`).digest('hex').slice(0, 32));
  }
}

/** Creates `file` with `text` unless it exists; false when it does. */
function exclusiveWrite(file: string, text: string): boolean {
  try {
    writeFileSync(file, text, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}
