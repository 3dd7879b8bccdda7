import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { LiveHostObserver } from '../../../main/host/live-host-observer';
import { dispatch } from '../../../main/ipc/dispatch';
import { createHandlers } from '../../../main/ipc/handlers';
import { elevationPicker } from '../../../main/privilege/elevation-picker';
import { PrivilegeSession } from '../../../main/privilege/privilege-session';
import { readDoctorFacts } from '../../../main/host/doctor-facts';
import { DoctorService } from '../../../main/services/doctor-service';
import { forwardDoctorEvents } from '../../../main/services/forward-doctor-events';
import { forwardEvents } from '../../../main/services/forward-events';
import { hostNetworkService } from '../../../main/services/host-network-service';
import { CountersFeed } from '../../../main/services/counters-feed';
import { readLinkCounters } from '../../../main/host/read-link-counters';
import { pageCallers } from './page-callers';
import { hostBridgedService } from '../../../main/services/host-bridged-service';
import { forwardBridgedEvents } from '../../../main/services/forward-bridged-events';
import { hostGuestService } from '../../../main/services/host-guest-service';
import type { Services } from '../../../main/services/services';
import { CONTENT_SECURITY_POLICY } from '../../../main/window/content-security-policy';
import pkg from '../../../package.json';

/**
 * The E2E stand-in for Electron's main process, run by node inside a lab and wired as main/index.ts
 * wires the app: the live host observer, the privilege session, createHandlers, dispatch and
 * forwardEvents, with HTTP in place of IPC. It serves the built renderer, answers POST /invoke like
 * ipcMain.handle, and pushes events over Server-Sent Events like webContents.send.
 * Test code only: never bundled into the app.
 *
 * argv: <renderer dir> <helper bundle>. Prints "LISTENING <port>" when ready and
 * "EVENTS <n>" when an event client connects, so the test knows when pushes will be seen.
 */

const MAX_BODY_BYTES = 1024 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function reply(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

async function main(): Promise<void> {
  const [rendererArg, helperScript] = process.argv.slice(2);
  if (!rendererArg || !helperScript) throw new Error('usage: server <renderer dir> <helper bundle>');
  const root = resolve(rendererArg);

  const observer = new LiveHostObserver();
  const privilege = new PrivilegeSession(
    elevationPicker({ runtime: process.execPath, script: helperScript }, (line) => console.error(`[kvmnet-helper] ${line}`)),
  );
  const doctor = new DoctorService({ readFacts: readDoctorFacts, apply: (plan, onProgress) => privilege.helper().apply(plan, onProgress) });
  // no save dialog in a browser: exported scripts land beside the build (removed with it), and the path says where
  const networks = hostNetworkService(observer, privilege, async (name, text) => {
    const dir = join(root, '..', 'exports');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, name), text, { mode: 0o755 });
    return join(dir, name);
  });
  const counters = new CountersFeed({ read: () => readLinkCounters() });
  const pages = pageCallers();
  const bridged = hostBridgedService(privilege);
  const services: Services = {
    appInfo: () => ({ name: 'KVMNet', version: pkg.version, platform: process.platform, transport: 'test' }),
    observer,
    privilege,
    doctor,
    networks,
    counters,
    bridged,
    // the server runs as root in the lab; KVMNET_E2E_DESKTOP_UID stands for the desktop user the app runs as
    guests: hostGuestService(networks, () => Number(process.env.KVMNET_E2E_DESKTOP_UID ?? process.getuid?.() ?? 0)),
  };
  const handlers = createHandlers(services);

  const eventClients = new Set<ServerResponse>();
  // the app's own forwarding code, with the SSE clients standing in for the window's webContents
  const sseClients = () => ({
    isDestroyed: () => false,
    send: (event: string, payload: unknown) => {
      const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const client of eventClients) client.write(frame);
    },
  });
  forwardEvents({ observer, privilege, networks }, sseClients);
  doctor.watch(observer);
  forwardDoctorEvents(doctor, sseClients);
  forwardBridgedEvents(bridged, sseClients);

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method === 'POST' && url.pathname === '/invoke') {
        // a page from another origin must not reach the handlers, as a foreign frame cannot in the app
        if (req.headers.origin !== `http://${req.headers.host}`) return reply(res, 403, 'text/plain', 'foreign origin');
        let request: { channel?: unknown; payload?: unknown };
        try {
          request = JSON.parse(await readBody(req)) as typeof request;
        } catch (e) {
          return reply(res, 400, 'text/plain', `bad request body: ${e instanceof Error ? e.message : String(e)}`);
        }
        return reply(res, 200, 'application/json', JSON.stringify(await dispatch(handlers, request.channel, request.payload, pages.callerOf(req))));
      }
      if (req.method === 'GET' && url.pathname === '/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.write(': connected\n\n');
        eventClients.add(res);
        pages.open(url, req, res);
        console.log(`EVENTS ${eventClients.size}`);
        req.on('close', () => eventClients.delete(res));
        return;
      }
      if (req.method !== 'GET') return reply(res, 405, 'text/plain', 'method not allowed');
      const file = resolve(join(root, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)));
      if (!file.startsWith(root + sep)) return reply(res, 404, 'text/plain', 'not found');
      const body = await readFile(file).catch(() => undefined);
      if (!body) return reply(res, 404, 'text/plain', 'not found');
      res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
      return reply(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', body);
    })().catch((e: unknown) => reply(res, 500, 'text/plain', e instanceof Error ? e.message : String(e)));
  });

  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    console.log(`LISTENING ${typeof address === 'object' && address ? address.port : ''}`);
  });

  // the test ends us with SIGTERM (or the lab's end does): let the helper see its stdin close
  process.once('SIGTERM', () => {
    for (const client of eventClients) client.end();
    counters.close();
    bridged.dispose();
    server.close();
    void Promise.allSettled([privilege.dispose(), observer.close()]).then(() => process.exit(0));
  });
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
