import { describe, expect, it } from 'vitest';
import { proxyFromEnv, withoutCredentials } from './proxy-from-env.js';

const proxyOf = (url: string, env: Record<string, string>) => proxyFromEnv(new URL(url), env, 'test')?.href;

describe('proxyFromEnv(url, env)', () => {
  it('proxyFromEnv(url, env) takes HTTPS_PROXY for https and HTTP_PROXY for http, lowercase first', () => {
    const env = { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2', HTTP_PROXY: 'plain:3' };
    expect(proxyOf('https://example.org/x', env)).toBe('http://lower:2/');
    expect(proxyOf('http://example.org/x', env)).toBe('http://plain:3/');
    expect(proxyOf('https://example.org/x', { HTTP_PROXY: 'http://p:3' })).toBeUndefined();
    expect(proxyOf('http://example.org/x', {})).toBeUndefined();
    expect(proxyOf('http://example.org/x', { HTTP_PROXY: '  ' })).toBeUndefined();
  });

  it('proxyFromEnv(url, env) skips hosts that NO_PROXY covers: names with subdomains, IPs, CIDR, ports, *', () => {
    const through = (url: string, noProxy: string) =>
      proxyOf(url, { HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://proxy:3128', no_proxy: noProxy });
    expect(through('https://files.example.org/x', 'example.org')).toBeUndefined();
    expect(through('https://files.example.org/x', '.example.org')).toBeUndefined();
    expect(through('https://files.example.org/x', '*.example.org')).toBeUndefined();
    expect(through('https://EXAMPLE.org/x', 'example.ORG')).toBeUndefined();
    expect(through('https://notexample.org/x', 'example.org')).toBe('http://proxy:3128/');
    expect(through('http://10.1.2.3/x', 'localhost, 10.0.0.0/8')).toBeUndefined();
    expect(through('http://11.1.2.3/x', '10.0.0.0/8')).toBe('http://proxy:3128/');
    expect(through('http://127.0.0.1:8080/x', '127.0.0.1:8080')).toBeUndefined();
    expect(through('http://127.0.0.1:9090/x', '127.0.0.1:8080')).toBe('http://proxy:3128/');
    expect(through('https://example.org/x', 'example.org:443')).toBeUndefined();
    expect(through('http://[::1]:8080/x', '[::1]:8080')).toBeUndefined();
    expect(through('http://[::1]/x', '::1')).toBeUndefined();
    expect(through('http://[fd00::5]/x', 'fd00::/8')).toBeUndefined();
    expect(through('http://anything/x', '*')).toBeUndefined();
    expect(through('http://1.2.3.4/x', '2.3.4')).toBe('http://proxy:3128/');
  });

  it('proxyFromEnv(url, env) throws XLING_INVALID_ARGUMENT for a proxy that is not http(s), hiding its password', () => {
    const error = (() => {
      try {
        return proxyOf('https://example.org/', { HTTPS_PROXY: 'socks5://user:secret@proxy:1080' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: expect.stringMatching(/'env\.HTTPS_PROXY'.*socks5:\/\/\*\*\*@proxy:1080/),
    });
    expect((error as Error).message).not.toMatch(/secret/);
    expect(withoutCredentials('http://proxy:1/')).toBe('http://proxy:1/');
  });
});
