import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP server started by {@link serveFiles}. */
export interface FileServer {
  /** Base URL, `http://127.0.0.1:<port>`. */
  url: string;
  /** Every request seen: path (with query), Range header and all request headers. */
  requests: Array<{ path: string; range: string | undefined; headers: IncomingMessage['headers'] }>;
  /** Stops the server, dropping open connections. */
  close(): Promise<void>;
}

/** What a path answers: the bytes themselves, or a body with behaviour switches. */
export type FileRoute =
  | Buffer
  | {
      body: Buffer;
      /** The first request sends this many bytes (announcing the full length) and drops the connection. */
      cutAfter?: number;
      /** Answer 200 with the whole body even when a Range is asked for. */
      ignoreRange?: boolean;
      /** Answer 302 to this location (relative or absolute). */
      redirect?: string;
      /** Answer this status with an empty body. */
      status?: number;
      /** Extra response headers (e.g. `content-type`). */
      headers?: Record<string, string>;
    };

/**
 * Serves `routes` (keyed by request path, query included when the key has one) on 127.0.0.1
 * with `Range` support (206 with `content-range`, 416 past the end), for download tests that
 * must never leave the machine. Unknown paths answer 404.
 *
 * @example
 * const server = await serveFiles({ '/data.bin': Buffer.from('hello') });
 * await downloadFile(`${server.url}/data.bin`, 'out/data.bin');
 * await server.close();
 */
export async function serveFiles(routes: Record<string, FileRoute>): Promise<FileServer> {
  const requests: FileServer['requests'] = [];
  const cut = new Set<string>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = request.url ?? '/';
    const range = request.headers.range;
    requests.push({ path, range, headers: request.headers });
    const route = routes[path] ?? routes[path.split('?')[0] ?? path];
    if (route === undefined) {
      response.writeHead(404).end('not found');
      return;
    }
    const spec = Buffer.isBuffer(route) ? { body: route } : route;
    const extra = 'headers' in spec && spec.headers ? spec.headers : {};
    if ('redirect' in spec && spec.redirect) {
      response.writeHead(302, { location: spec.redirect }).end();
      return;
    }
    if ('status' in spec && spec.status) {
      response.writeHead(spec.status).end();
      return;
    }
    const body = spec.body;
    const match = /^bytes=(\d+)-$/.exec(range ?? '');
    if (match && !('ignoreRange' in spec && spec.ignoreRange)) {
      const start = Number(match[1]);
      if (start >= body.length) {
        response.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        return;
      }
      response.writeHead(206, {
        ...extra,
        'content-length': body.length - start,
        'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
      });
      response.end(body.subarray(start));
      return;
    }
    response.writeHead(200, { ...extra, 'content-length': body.length });
    if ('cutAfter' in spec && spec.cutAfter !== undefined && !cut.has(path)) {
      cut.add(path);
      response.write(body.subarray(0, spec.cutAfter), () => {
        setTimeout(() => response.socket?.destroy(), 20);
      });
      return;
    }
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
