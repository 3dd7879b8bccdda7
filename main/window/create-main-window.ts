import { BrowserWindow, shell } from 'electron';
import type { WebContents } from 'electron';
import { navigationVerdict, windowOpenVerdict, type NavigationVerdict } from './navigation-policy';
import type { AppUrl } from './app-url';

export interface MainWindowOptions {
  app: AppUrl;
  preloadPath: string;
  iconPath?: string;
  /** development build: DevTools allowed */
  dev: boolean;
}

function follow(verdict: NavigationVerdict, url: string, prevent: () => void): void {
  if (verdict === 'allow') return;
  prevent();
  if (verdict === 'open-externally') void shell.openExternal(url);
}

/** Keeps the window on our page: foreign navigations, redirects, pop-ups and webviews are refused. */
function lockDown(contents: WebContents, app: AppUrl): void {
  contents.on('will-navigate', (event) => follow(navigationVerdict(app, event.url), event.url, () => event.preventDefault()));
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && navigationVerdict(app, event.url) !== 'allow') event.preventDefault();
  });
  // a redirect is never a user's click, so it is refused rather than opened in the browser
  contents.on('will-redirect', (event) => {
    if (navigationVerdict(app, event.url) !== 'allow') event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    follow(windowOpenVerdict(url), url, () => undefined);
    return { action: 'deny' };
  });
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'KVMNet',
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: options.dev,
    },
  });
  lockDown(window.webContents, options.app);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.app.url);
  return window;
}
