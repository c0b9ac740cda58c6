import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the monorepo. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A package that is published to npm. */
export interface PublicPackage {
  name: string;
  version: string;
  /** Absolute folder of the package. */
  dir: string;
  /** Package names are file names too: `@xling/align-onnxruntime` → `align-onnxruntime`. */
  slug: string;
}

/** Every package under packages/ that is not private, in folder order. */
export function publicPackages(root = ROOT): PublicPackage[] {
  return readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(root, 'packages', entry.name))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => !manifest.private)
    .map(({ dir, manifest }) => ({
      name: manifest.name,
      version: manifest.version,
      dir,
      slug: manifest.name.replace(/^@[^/]+\//, ''),
    }));
}

/** What a finished command printed. */
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runCommand}. */
export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Milliseconds before the command is killed. */
  timeout?: number;
}

/**
 * Runs a command without a shell and collects its output; never rejects for a non-zero exit
 * (the caller decides), only when the command cannot start.
 */
export function runCommand(command: string, args: string[], options: RunOptions): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      timeout: options.timeout ?? 120_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `result`'s output for an assertion message. */
export function describeResult(what: string, result: CommandResult): string {
  return `${what} exited with ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}
