import { isAppUrl, type AppUrl } from './app-url';

/**
 * What the window does with a navigation or a window.open: stay on our own page, hand a web link
 * to the user's browser, or refuse. Only http(s) ever leaves the app, so a page can never make the
 * desktop open file:, smb:, or a custom scheme handler.
 */
export type NavigationVerdict = 'allow' | 'open-externally' | 'block';

export function isExternalWebLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

export function navigationVerdict(app: AppUrl, url: string): NavigationVerdict {
  if (isAppUrl(app, url)) return 'allow';
  return isExternalWebLink(url) ? 'open-externally' : 'block';
}

/** A new window is never created, not even for our own URL: the app has one window. */
export function windowOpenVerdict(url: string): Exclude<NavigationVerdict, 'allow'> {
  return isExternalWebLink(url) ? 'open-externally' : 'block';
}
