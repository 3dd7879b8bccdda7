import type { MenuItemConstructorOptions } from 'electron';

export interface AppMenuOptions {
  /** development build: Reload and DevTools are offered */
  dev: boolean;
  showAbout(): void;
  openDocumentation(): void;
}

/**
 * The application menu as a plain template (built by Menu.buildFromTemplate in main/index.ts).
 * Reload and DevTools exist only in development: in the shipped app a reload would drop the
 * renderer's state mid-apply and DevTools would hand the page a console.
 */
export function appMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const developer: MenuItemConstructorOptions[] = options.dev
    ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }]
    : [];
  return [
    { label: '&File', submenu: [{ role: 'quit' }] },
    { label: '&Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    {
      label: '&View',
      submenu: [...developer, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    {
      label: '&Help',
      submenu: [
        { label: 'Documentation', click: () => options.openDocumentation() },
        { type: 'separator' },
        { label: 'About KVMNet', click: () => options.showAbout() },
      ],
    },
  ];
}
