// The release check (issue 15): what a user gets from npm. Every public package is packed with
// `pnpm pack` (as `changeset publish` would publish it; run `pnpm build` first), each tarball is
// linted with publint and arethetypeswrong, then all tarballs are installed with npm into an empty
// project outside the workspace, where each README's marked example runs and must print what the
// README shows. Run: `pnpm release-check` at the repository root.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alignOutput, readmeExample, tidyOutput } from './readme-example.js';
import { ROOT, describeResult, publicPackages, runCommand } from './workspace.js';

const packages = publicPackages();
const BIN = join(ROOT, 'node_modules', '.bin');
const tarballs = new Map<string, string>();
let work = '';

/**
 * The environment of the commands run in the install project: none of the workspace's settings
 * (`XLING_UD_DIR`, pnpm's `npm_config_*`, vitest's variables) may leak into what a user would see.
 */
function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const leaks = /^(XLING_|npm_|VITEST|NODE_OPTIONS$|NODE_ENV$|TEST$)/i;
  return { ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !leaks.test(key))), ...extra };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'xling-release-check-'));
  const fromRoot = relative(ROOT, work);
  if (!fromRoot.startsWith('..') && !isAbsolute(fromRoot)) {
    throw new Error(`The temp folder ${work} is inside the workspace; set TMPDIR to a folder outside it.`);
  }
  for (const pkg of packages) {
    const result = await runCommand('pnpm', ['pack', '--pack-destination', join(work, 'tarballs')], {
      cwd: pkg.dir,
    });
    if (result.code !== 0) throw new Error(describeResult(`pnpm pack (${pkg.name})`, result));
    tarballs.set(pkg.name, result.stdout.trim().split('\n').at(-1)!);
  }
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe.each(packages)('$name tarball', (pkg) => {
  it('ships LICENSE, README.md and dist/, without source maps', async () => {
    const result = await runCommand('tar', ['-tzf', tarballs.get(pkg.name)!], { cwd: work });
    expect(result.code, describeResult('tar', result)).toBe(0);
    const files = result.stdout.trim().split('\n');
    expect(files).toEqual(
      expect.arrayContaining(['package/LICENSE', 'package/README.md', 'package/package.json']),
    );
    expect(files.some((f) => f.startsWith('package/dist/'))).toBe(true);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  });

  it('passes publint (warnings count as errors)', async () => {
    const bytes = await readFile(tarballs.get(pkg.name)!);
    const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const { messages, pkg: manifest } = await publint({ pack: { tarball }, strict: true });
    const report = messages.map((m) => `${m.type}: ${formatMessage(m, manifest, { color: false })}`);
    expect(report.filter((line) => !line.startsWith('suggestion'))).toEqual([]);
  });

  // The strict profile: node10 (`moduleResolution: "node"`, which ignores `exports`; core's
  // `typesVersions` points it at `@xling/core/testing`), node16/nodenext and bundler.
  it('passes arethetypeswrong (strict profile)', async () => {
    const args = [tarballs.get(pkg.name)!, '--format', 'ascii', '--no-color', '--no-emoji'];
    const result = await runCommand(join(BIN, 'attw'), args, { cwd: work });
    expect(result.code, describeResult('attw', result)).toBe(0);
  });
});

describe('installed from the tarballs into an empty npm project outside the workspace', () => {
  let project = '';

  beforeAll(async () => {
    project = join(work, 'project');
    await mkdir(project);
    const init = await runCommand('npm', ['init', '-y'], { cwd: project, env: userEnv() });
    if (init.code !== 0) throw new Error(describeResult('npm init', init));
    // onnxruntime-node's install script only fetches the CUDA build from api.nuget.org; the CPU
    // binaries are in its npm package (see "Install behind a firewall" in the READMEs).
    const install = await runCommand('npm', ['install', '--no-audit', '--no-fund', ...tarballs.values()], {
      cwd: project,
      env: userEnv({ ONNXRUNTIME_NODE_INSTALL: 'skip' }),
      timeout: 600_000,
    });
    if (install.code !== 0) throw new Error(describeResult('npm install', install));
  });

  it.each(packages)('$name: the README example runs and prints what the README shows', async (pkg) => {
    const example = readmeExample(
      await readFile(join(pkg.dir, 'README.md'), 'utf8'),
      `${pkg.slug}/README.md`,
    );
    const file = join(project, `${pkg.slug}.mjs`);
    await writeFile(file, `${example.code}\n`);
    const result = await runCommand(process.execPath, [file], { cwd: project, env: userEnv() });
    expect(result.code, describeResult(`node ${pkg.slug}.mjs (README line ${example.line})`, result)).toBe(0);
    if (example.output !== undefined) {
      expect(alignOutput(result.stdout, example.output)).toBe(tidyOutput(example.output));
    }
  });

  it('the installed xling command answers --version', async () => {
    const cli = packages.find((p) => p.name === '@xling/cli')!;
    const result = await runCommand(join(project, 'node_modules', '.bin', 'xling'), ['--version'], {
      cwd: project,
      env: userEnv(),
    });
    expect(result.code, describeResult('xling --version', result)).toBe(0);
    expect(result.stdout.trim()).toBe(cli.version);
  });
});

describe('changeset version', () => {
  it('gives every public package the same minor bump and leaves private packages alone', async () => {
    const clone = join(work, 'versioned');
    const cloned = await runCommand('git', ['clone', '--quiet', '--local', ROOT, clone], { cwd: work });
    if (cloned.code !== 0) throw new Error(describeResult('git clone', cloned));
    await symlink(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
    const version = await runCommand(join(BIN, 'changeset'), ['version'], { cwd: clone });
    expect(version.code, describeResult('changeset version', version)).toBe(0);
    const read = async (dir: string) => JSON.parse(await readFile(join(clone, dir, 'package.json'), 'utf8'));
    const versions = await Promise.all(
      packages.map(async (p) => (await read(relative(ROOT, p.dir))).version as string),
    );
    expect(new Set(versions).size, versions.join(' ')).toBe(1);
    expect(versions[0]).toMatch(/^0\.\d+\.0$/);
    for (const dir of ['examples', 'tools']) {
      for (const entry of await readdir(join(clone, dir), { withFileTypes: true })) {
        if (!entry.isDirectory()) continue;
        const pkg = await read(join(dir, entry.name)).catch(() => undefined);
        if (pkg === undefined) continue;
        expect(pkg.version, `${dir}/${entry.name}`).toBe('0.0.0');
        expect(existsSync(join(clone, dir, entry.name, 'CHANGELOG.md')), `${dir}/${entry.name}`).toBe(false);
      }
    }
  });
});
