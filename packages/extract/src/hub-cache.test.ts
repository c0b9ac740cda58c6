import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hubSettings } from './hub-cache.js';

const none = { cacheDir: undefined, endpoint: undefined, token: undefined, offline: undefined };
/** A token file that does not exist, so that the machine's own token is never read. */
const noToken = { HF_TOKEN_PATH: '/nonexistent/xling/token' };

describe('hubSettings(choices, env)', () => {
  it('hubSettings(choices, env) finds the cache as huggingface_hub does: HF_HUB_CACHE, HF_HOME, XDG_CACHE_HOME, ~', async () => {
    const cacheOf = async (env: Record<string, string>) =>
      (await hubSettings(none, { ...noToken, ...env })).cacheDir;
    expect(await cacheOf({})).toBe(join(homedir(), '.cache', 'huggingface', 'hub'));
    expect(await cacheOf({ XDG_CACHE_HOME: '/xdg' })).toBe(join('/xdg', 'huggingface', 'hub'));
    expect(await cacheOf({ XDG_CACHE_HOME: '/xdg', HF_HOME: '~/hf' })).toBe(join(homedir(), 'hf', 'hub'));
    expect(await cacheOf({ HF_HOME: '/hf', HUGGINGFACE_HUB_CACHE: '/legacy' })).toBe('/legacy');
    expect(await cacheOf({ HF_HUB_CACHE: '/new', HUGGINGFACE_HUB_CACHE: '/legacy' })).toBe('/new');
    expect(
      (await hubSettings({ ...none, cacheDir: '/mine' }, { HF_HUB_CACHE: '/new', ...noToken })).cacheDir,
    ).toBe('/mine');
  });

  it('hubSettings(choices, env) reads HF_ENDPOINT, HF_TOKEN and HF_HUB_OFFLINE, the options winning', async () => {
    const env = {
      ...noToken,
      HF_ENDPOINT: 'http://mirror.example/',
      HF_TOKEN: ' hf_env ',
      HF_HUB_OFFLINE: 'YES',
    };
    expect(await hubSettings(none, env)).toMatchObject({
      endpoint: 'http://mirror.example',
      token: 'hf_env',
      offline: true,
    });
    expect(
      await hubSettings(
        { cacheDir: undefined, endpoint: 'http://own', token: 'hf_own', offline: false },
        env,
      ),
    ).toMatchObject({ endpoint: 'http://own', token: 'hf_own', offline: false });
    expect(await hubSettings(none, { ...noToken, HF_HUB_OFFLINE: '0' })).toMatchObject({
      endpoint: 'https://huggingface.co',
      token: undefined,
      offline: false,
    });
    expect((await hubSettings(none, { ...noToken, HUGGING_FACE_HUB_TOKEN: 'hf_legacy' })).token).toBe(
      'hf_legacy',
    );
  });
});
