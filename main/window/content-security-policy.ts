/**
 * The renderer's Content Security Policy. The main process sends it as a response header
 * (session.webRequest), but Chromium does not apply response headers to file:// pages, so
 * renderer/index.html carries the very same string in a <meta http-equiv> tag; a unit test keeps
 * the two equal. 'unsafe-inline' styles are needed by Vue Flow, which positions nodes with inline
 * style attributes; scripts stay 'self' only (no eval, no inline script).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
