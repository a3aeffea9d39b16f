// A lean HTTP/1.1 client for the load generator: node:http over one keep-alive agent per
// generator (fetch costs several times more CPU per request, and the generator shares the
// machine's two cores with the service and PostgreSQL).
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export const keepAliveAgent = (sockets) =>
  new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });

/** One request; resolves with { status, headers, body, ms } (body as a string). */
export const request = (agent, baseUrl, method, path, { body, headers = {} } = {}) =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const url = new URL(path, baseUrl);
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method,
        headers:
          body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
