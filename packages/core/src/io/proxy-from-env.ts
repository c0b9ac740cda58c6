import { BlockList, isIP } from 'node:net';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/** Environment variables, as in `process.env`. */
export type Environment = Record<string, string | undefined>;

/** Reads a variable in its lowercase form first, as curl and undici do, then in capitals. */
function variable(env: Environment, name: string): { name: string; value: string } | undefined {
  for (const key of [name.toLowerCase(), name.toUpperCase()]) {
    const value = env[key]?.trim();
    if (value) return { name: key, value };
  }
  return undefined;
}

/** `user:password@` hidden, so that an error message never shows a proxy's password. */
export function withoutCredentials(text: string): string {
  return text.replace(/\/\/[^/@]*@/, '//***@');
}

/** `[::1]` → `::1`: URL host names keep the brackets of IPv6 addresses. */
const bare = (host: string) => host.replace(/^\[(.*)\]$/, '$1').toLowerCase();

const defaultPort = (url: URL) => Number(url.port || (url.protocol === 'https:' ? 443 : 80));

/**
 * Whether one `NO_PROXY` entry covers `url`: `*`; a host name, which also covers its subdomains
 * (`example.org` and `.example.org` both cover `files.example.org`); an IP address; a CIDR
 * range (`10.0.0.0/8`); each optionally with `:port`.
 */
function covers(entry: string, url: URL): boolean {
  if (entry === '*') return true;
  const [pattern = '', port] = splitPort(entry);
  if (port !== undefined && Number(port) !== defaultPort(url)) return false;
  const host = bare(url.hostname);
  const [address = '', prefix] = pattern.split('/');
  if (prefix !== undefined) {
    const family = isIP(address);
    if (family === 0 || isIP(host) !== family) return false;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    const range = new BlockList();
    range.addSubnet(address, Number(prefix), type);
    return range.check(host, type);
  }
  const domain = address.replace(/^\*?\./, '');
  return host === domain || (isIP(host) === 0 && host.endsWith(`.${domain}`));
}

/** `host:port` → [host, port]; `[v6]:port` → [v6, port]; a bare IPv6 address has no port. */
function splitPort(entry: string): [string, string | undefined] {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return [bracketed[1] ?? '', bracketed[2]];
  const parts = entry.split(':');
  return parts.length === 2 ? [parts[0] ?? '', parts[1]] : [entry, undefined];
}

/**
 * The proxy that a request to `url` goes through, from `HTTPS_PROXY` (https URLs) or
 * `HTTP_PROXY` (http URLs), lowercase forms first, unless `NO_PROXY` covers the host. A value
 * without a scheme (`proxy:3128`) means an http proxy.
 *
 * @throws XLING_INVALID_ARGUMENT when the variable is not an http(s) proxy URL.
 */
export function proxyFromEnv(url: URL, env: Environment, functionName: string): URL | undefined {
  const setting = variable(env, url.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY');
  if (setting === undefined) return undefined;
  const bypass = variable(env, 'NO_PROXY')?.value.split(/[\s,]+/) ?? [];
  if (bypass.some((entry) => entry !== '' && covers(entry.toLowerCase(), url))) return undefined;
  const text = /^[a-z][a-z\d+.-]*:\/\//i.test(setting.value) ? setting.value : `http://${setting.value}`;
  let proxy: URL | undefined;
  try {
    proxy = new URL(text);
  } catch {
    proxy = undefined;
  }
  if (proxy === undefined || (proxy.protocol !== 'http:' && proxy.protocol !== 'https:')) {
    throw new InvalidArgumentError(
      `env.${setting.name}`,
      functionName,
      `must be an http(s) proxy URL such as 'http://proxy.example.org:3128', but got '${withoutCredentials(setting.value)}'.`,
    );
  }
  return proxy;
}
