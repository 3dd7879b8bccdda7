import { pathToFileURL } from 'node:url';

/**
 * Where the renderer is loaded from: the built index.html (file://) or, in development, the
 * electron-vite dev server. Navigation guards and the IPC sender check both ask `isAppUrl`, so a
 * page that is not ours can neither stay in the window nor talk to the main process.
 */
export type AppUrl = { kind: 'file'; url: string } | { kind: 'dev-server'; url: string };

export function fileAppUrl(indexHtmlPath: string): AppUrl {
  return { kind: 'file', url: pathToFileURL(indexHtmlPath).href };
}

export function devServerAppUrl(serverUrl: string): AppUrl {
  const parsed = new URL(serverUrl);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`ELECTRON_RENDERER_URL must be an http(s) URL, got ${serverUrl}`);
  }
  return { kind: 'dev-server', url: parsed.href };
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * True for our own page only. For file:// the exact index.html (any #route or ?query), never a
 * sibling file; for the dev server the same origin (Vite serves the app and its modules there).
 */
export function isAppUrl(app: AppUrl, candidate: string): boolean {
  const url = parse(candidate);
  const own = parse(app.url);
  if (!url || !own) return false;
  if (app.kind === 'file') return url.protocol === 'file:' && url.host === own.host && url.pathname === own.pathname;
  return url.origin === own.origin;
}
