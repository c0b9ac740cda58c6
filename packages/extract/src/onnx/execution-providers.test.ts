import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { embedSentences } from '../embed-sentences.js';
import { HiddenStateModel } from '../hidden-state-model.js';
import { copyModel } from '../test-helpers.js';
import { createSession } from './create-session.js';
import { checkExecutionProviders, executionProvidersFor } from './execution-providers.js';
import { type OrtBackend, type OrtBackends, ortBackends } from './ort-backends.js';

// Only the availability is mocked: every test starts from the real listing of this machine.
vi.mock('./ort-backends.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./ort-backends.js')>();
  return { ...actual, ortBackends: vi.fn(actual.ortBackends) };
});

const real = ortBackends();
const cpu: OrtBackend = { name: 'cpu', bundled: true, installed: true };
/** The real listing with `backends` in place of the binary's own. */
const reporting = (backends: OrtBackend[], source: OrtBackends['source'] = real.source) =>
  vi.mocked(ortBackends).mockReturnValue({ ...real, source, backends });

/** Records the options of every session creation; runs it on the CPU, which is all there is here. */
function spyOnSessions(): Array<ort.InferenceSession.SessionOptions | undefined> {
  const seen: Array<ort.InferenceSession.SessionOptions | undefined> = [];
  const create = ort.InferenceSession.create.bind(ort.InferenceSession) as (
    file: string,
    options?: ort.InferenceSession.SessionOptions,
  ) => Promise<ort.InferenceSession>;
  vi.spyOn(ort.InferenceSession, 'create').mockImplementation((async (
    file: string,
    options?: ort.InferenceSession.SessionOptions,
  ) => {
    seen.push(options);
    return create(file, { ...options, executionProviders: ['cpu'] });
  }) as typeof ort.InferenceSession.create);
  return seen;
}

let parent: string;
beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'xling-providers-'));
});
afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.mocked(ortBackends).mockReset();
});

describe('executionProvidersFor(device)', () => {
  it("maps 'cpu' to ['cpu'] and 'cuda' to ['cuda', 'cpu'] (CPU fallback for operators CUDA lacks)", () => {
    expect(executionProvidersFor('cpu')).toEqual(['cpu']);
    expect(executionProvidersFor('cuda')).toEqual(['cuda', 'cpu']);
  });
});

describe('ortBackends()', () => {
  it('lists the installed binary: version 1.30, its install script, cpu bundled and installed', () => {
    expect(real.version).toMatch(/^1\.30\./);
    expect(real.source).toBe('listSupportedBackends');
    expect(existsSync(join(real.packageDir, 'script', 'install.js'))).toBe(true);
    expect(real.backends).toContainEqual(cpu);
  });
});

describe('HiddenStateModel.load with a device (availability mocked)', () => {
  it("with 'cuda' reported installed, creates the session with ['cuda', 'cpu'] and runs", async () => {
    reporting([cpu, { name: 'cuda', bundled: false, installed: true }]);
    const seen = spyOnSessions();
    const dir = await copyModel('tiny-bert', await mkdtemp(join(parent, 'ok-')));
    const model = await HiddenStateModel.load(dir, { executionProviders: executionProvidersFor('cuda') });
    expect(seen.map((options) => options?.executionProviders)).toEqual([['cuda', 'cpu']]);
    const [sentence] = await embedSentences(model, [['Hello', 'world']], { layers: [1] });
    expect(sentence.skipped).toBe(false);
    await model.dispose();
  });

  it("with 'cuda' listed but not installed, fails before reading the folder, naming the install command", async () => {
    reporting([cpu, { name: 'cuda', bundled: false, installed: false }]);
    const seen = spyOnSessions();
    const dir = await copyModel('tiny-bert', await mkdtemp(join(parent, 'missing-')));
    const load = HiddenStateModel.load(dir, { executionProviders: executionProvidersFor('cuda') });
    await expect(load).rejects.toMatchObject({ code: 'XLING_BACKEND_UNAVAILABLE' });
    await expect(load).rejects.toThrow(
      `its 'cuda' provider library is not installed (backends: cpu, cuda (not installed)). Fetch it (CUDA 12, Linux x64) on a machine that reaches api.nuget.org: cd '${real.packageDir}' && ONNXRUNTIME_NODE_INSTALL=1 node script/install`,
    );
    expect(seen).toEqual([]);
    expect(existsSync(join(dir, 'onnx', 'model.hidden-states.onnx'))).toBe(false);
  });

  it("says that CUDA is Linux x64 only when the binary has no 'cuda' at all", () => {
    reporting([cpu, { name: 'coreml', bundled: true, installed: true }]);
    expect(() => checkExecutionProviders(['cuda', 'cpu'])).toThrow(
      /has no 'cuda' provider \(backends: cpu, coreml\)\. onnxruntime-node ships CUDA for Linux x64 only; use device 'cpu'\./,
    );
    expect(() => checkExecutionProviders(['cpu', 'coreml'])).not.toThrow();
  });

  it('labels a listing that is a fallback', () => {
    reporting([cpu], 'fallback');
    expect(() => checkExecutionProviders(['cuda'])).toThrow(/from a fallback: this version does not list/);
  });
});

describe('createSession (also under GenerationModel.load)', () => {
  it("refuses 'cuda' that is not installed before onnxruntime is asked", async () => {
    reporting([cpu, { name: 'cuda', bundled: false, installed: false }]);
    const seen = spyOnSessions();
    const dir = await copyModel('tiny-bert', await mkdtemp(join(parent, 'session-')));
    await expect(
      createSession(join(dir, 'onnx', 'model.onnx'), { executionProviders: ['cuda'] }),
    ).rejects.toMatchObject({ code: 'XLING_BACKEND_UNAVAILABLE' });
    expect(seen).toEqual([]);
  });
});
