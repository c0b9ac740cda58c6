import {
  type ClientRequest,
  type IncomingMessage,
  request as httpRequest,
  type OutgoingHttpHeaders,
  type RequestOptions,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { type Duplex, PassThrough } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { withoutCredentials } from './proxy-from-env.js';

/**
 * One HTTP exchange. `body` carries the response's bytes and ends when the response ends or is
 * cut off, then `cut` says why: a connection that closes early destroys the response and would
 * drop the bytes it had already received, so they are moved to `body` as they arrive and the
 * reader can keep every one of them for the resume. `fault` catches a connection error reported
 * after the response ended (data past the announced end).
 */
export interface Exchange {
  response: IncomingMessage;
  body: PassThrough;
  cut?: Error;
  fault?: Error;
}

/** How {@link httpGet} sends a request. */
export interface GetSettings {
  signal: AbortSignal | undefined;
  /** Milliseconds without any data before the request is abandoned. */
  timeoutMs: number;
  /** Proxy to go through (from {@link proxyFromEnv}); none when undefined. */
  proxy: URL | undefined;
}

/** The proxy refused a `CONNECT` tunnel; `status` tells whether trying again can help. */
export class TunnelError extends Error {
  constructor(
    readonly status: number,
    proxy: URL,
    target: string,
  ) {
    super(`the proxy ${withoutCredentials(proxy.origin)} answered HTTP ${status} to CONNECT ${target}`);
    this.name = 'TunnelError';
  }
}

const requestFor = (url: URL) => (url.protocol === 'https:' ? httpsRequest : httpRequest);

/**
 * Where the proxy listens. Not the URL itself: Node would turn its `user:password@` into an
 * `Authorization` header, which a proxy forwards to the target server.
 */
const proxyAddress = (proxy: URL) => ({
  hostname: unbracket(proxy.hostname),
  port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
});

const unbracket = (host: string) => host.replace(/^\[(.*)\]$/, '$1');

/** `Proxy-Authorization` from the proxy URL's `user:password@`, if any. */
function proxyAuthorization(proxy: URL): Record<string, string> {
  if (proxy.username === '') return {};
  const user = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(user).toString('base64')}` };
}

function abandonAfter(request: ClientRequest, timeoutMs: number): void {
  request.setTimeout(timeoutMs, () => request.destroy(new Error(`no data for ${timeoutMs} ms`)));
}

/**
 * Opens a TLS connection to `url`'s host through an HTTP `CONNECT` tunnel of `proxy`; the
 * certificate is checked against the target host as on a direct connection.
 */
function tunnel(url: URL, proxy: URL, settings: GetSettings): RequestOptions['createConnection'] {
  const target = `${url.hostname}:${url.port || 443}`;
  return (_options, opened) => {
    // Node's types demand a socket along with an error; it is ignored then.
    const done = opened as (error: Error | null, socket?: Duplex) => void;
    const request = requestFor(proxy)({
      ...proxyAddress(proxy),
      method: 'CONNECT',
      path: target,
      headers: { host: target, ...proxyAuthorization(proxy) },
      signal: settings.signal,
    });
    abandonAfter(request, settings.timeoutMs);
    request.on('connect', (response: IncomingMessage, socket: Duplex) => {
      request.setTimeout(0);
      if (response.statusCode !== 200) {
        socket.destroy();
        done(new TunnelError(response.statusCode ?? 0, proxy, target));
        return;
      }
      const host = unbracket(url.hostname);
      // SNI carries host names only; the certificate is checked against `host` either way.
      done(null, tlsConnect({ socket, host, ...(isIP(host) === 0 ? { servername: host } : {}) }));
    });
    request.on('error', (error) => done(error));
    request.end();
    return undefined;
  };
}

/** Starts a GET of `url`: directly, as an absolute-URI request to an http proxy, or tunnelled. */
function startRequest(url: URL, headers: OutgoingHttpHeaders, settings: GetSettings): ClientRequest {
  const { proxy, signal } = settings;
  if (proxy === undefined) return requestFor(url)(url, { headers, signal });
  if (url.protocol === 'https:') {
    // No agent takes part, so the default port must be named for the Host header to omit it.
    const createConnection = tunnel(url, proxy, settings);
    return httpsRequest(url, { headers, signal, defaultPort: 443, createConnection });
  }
  return requestFor(proxy)({
    ...proxyAddress(proxy),
    path: url.href,
    headers: { ...headers, host: url.host, ...proxyAuthorization(proxy) },
    signal,
  });
}

/**
 * Sends a GET and resolves with the response head; the caller reads the body. `HTTPS_PROXY`
 * style proxies are supported without a dependency: plain http goes to the proxy as an
 * absolute-URI request, https through a `CONNECT` tunnel (the proxy never sees the content).
 */
export function httpGet(url: URL, headers: OutgoingHttpHeaders, settings: GetSettings): Promise<Exchange> {
  return new Promise<Exchange>((resolvePromise, reject) => {
    let exchange: Exchange | undefined;
    const request = startRequest(url, headers, settings);
    const { timeoutMs } = settings;
    abandonAfter(request, timeoutMs);
    request.on('response', (response) => {
      response.setTimeout(timeoutMs, () => response.destroy(new Error(`no data for ${timeoutMs} ms`)));
      const body = new PassThrough();
      const current: Exchange = { response, body };
      exchange = current;
      response.pipe(body);
      response.on('error', (error) => {
        current.cut ??= error;
        body.end();
      });
      // A timeout or a reset reaches the request as an error just after: let it name the cause.
      response.on('aborted', () =>
        setImmediate(() => {
          current.cut ??= current.fault ?? new Error('aborted');
          body.end();
        }),
      );
      resolvePromise(current);
    });
    // Once the response began, the body reports its own faults; an error that reaches the request
    // then is data past the announced end (a Content-Length smaller than what the server sends),
    // which the body alone does not show: keep it for the reader to check.
    request.on('error', (error) => {
      if (exchange) exchange.fault ??= error;
      else reject(error);
    });
    request.end();
  });
}
