import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics.js';

export interface HealthSource {
  database(): Promise<boolean>;
  gateway(): { ready: boolean; status: string; ping: number };
}

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/** `GET /healthz` (200 when the database and gateway are up, else 503) and `GET /metrics`. */
export async function startOpsServer(port: number, metrics: Metrics, health: HealthSource): Promise<OpsServer> {
  const server = http.createServer((req, res) => {
    void (async () => {
      if (req.method === 'GET' && req.url === '/healthz') {
        const database = await health.database();
        const gateway = health.gateway();
        const ok = database && gateway.ready;
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: ok ? 'ok' : 'degraded', database: database ? 'up' : 'down', gateway }));
      } else if (req.method === 'GET' && req.url === '/metrics') {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(await metrics.registry.metrics());
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found\n');
      }
    })().catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
