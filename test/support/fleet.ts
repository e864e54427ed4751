import { createServer as createHttpServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { type AddressInfo, connect, createServer as createTcpServer, type Server, type Socket } from 'node:net';

/**
 * A load balancer as small as a test can hold: round-robin over the backends whose
 * /readyz answered 200 at the last check (every 100 ms, as a real one polls), trying the
 * next one when a backend refuses the connection (the request never reached it, so it is
 * safe to send again). A request that reached a backend and got no answer is not retried:
 * the client sees a 502, which is what the tests count as lost.
 */
export async function startBalancer(backends: readonly number[]) {
  const ready = new Set<number>();
  let next = 0;
  const check = async () => {
    await Promise.all(
      backends.map(async (port) => {
        try {
          const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(500) });
          if (response.status === 200) ready.add(port);
          else ready.delete(port);
        } catch {
          ready.delete(port);
        }
      }),
    );
  };
  await check();
  const timer = setInterval(() => void check(), 100);

  const pick = (tried: Set<number>): number | undefined => {
    const candidates = backends.filter((port) => ready.has(port) && !tried.has(port));
    if (candidates.length === 0) return undefined;
    next = (next + 1) % candidates.length;
    return candidates[next];
  };

  const server = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const tried = new Set<number>();
      const attempt = () => {
        const port = pick(tried);
        if (port === undefined) {
          response.writeHead(503, { 'content-type': 'text/plain' }).end('no backend is ready');
          return;
        }
        tried.add(port);
        const forwarded = [request.headers['x-forwarded-for'], request.socket.remoteAddress].filter(Boolean).join(', ');
        const upstream = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: request.method,
            path: request.url,
            headers: { ...request.headers, 'x-forwarded-for': forwarded, connection: 'close' },
          },
          (answer: IncomingMessage) => {
            response.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-backend': String(port) });
            answer.pipe(response);
          },
        );
        upstream.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code === 'ECONNREFUSED') return attempt();
          if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
          response.end(`backend ${port}: ${error.code ?? error.message}`);
        });
        upstream.end(body);
      };
      attempt();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A TCP link to Redis that the test can cut (every connection reset, new ones refused)
 * and restore on the same port: Redis going away, as the service sees it.
 */
export async function startCuttableLink(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const open = async () => {
    server = createTcpServer((client) => {
      const upstream = connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  };
  await open();
  return {
    get port() {
      return port;
    },
    cut: async () => {
      const closed = new Promise((resolve) => server?.close(resolve));
      for (const socket of sockets) socket.resetAndDestroy();
      await closed;
    },
    restore: open,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => (server?.listening ? server.close(resolve) : resolve(undefined)));
    },
  };
}
