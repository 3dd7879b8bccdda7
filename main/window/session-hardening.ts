import type { Session } from 'electron';
import { CONTENT_SECURITY_POLICY } from './content-security-policy';

/**
 * The renderer needs no browser permission (camera, notifications, clipboard-read, USB …):
 * every request and check is refused, and every response carries our CSP (Chromium applies it to
 * the dev server; file:// pages rely on the identical <meta> tag in index.html).
 */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event) => event.preventDefault());
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}
