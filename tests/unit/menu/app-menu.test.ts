import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { appMenuTemplate } from '../../../main/menu/app-menu';

function items(template: MenuItemConstructorOptions[], top: string): MenuItemConstructorOptions[] {
  const menu = template.find((m) => m.label?.replace('&', '') === top);
  expect(menu, `no ${top} menu`).toBeDefined();
  return menu!.submenu as MenuItemConstructorOptions[];
}

const roles = (list: MenuItemConstructorOptions[]) => list.map((i) => i.role).filter(Boolean);

describe('appMenuTemplate', () => {
  const callbacks = () => ({ showAbout: vi.fn(), openDocumentation: vi.fn() });

  it('has File, Edit, View and Help menus in that order', () => {
    expect(appMenuTemplate({ dev: false, ...callbacks() }).map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Help']);
  });

  it('offers Quit in File and copy/paste in Edit (snippets are meant to be copied)', () => {
    const template = appMenuTemplate({ dev: false, ...callbacks() });
    expect(roles(items(template, 'File'))).toEqual(['quit']);
    expect(roles(items(template, 'Edit'))).toEqual(expect.arrayContaining(['copy', 'paste', 'selectAll']));
  });

  it('offers zoom but no reload or DevTools in the shipped app', () => {
    const view = roles(items(appMenuTemplate({ dev: false, ...callbacks() }), 'View'));
    expect(view).toEqual(expect.arrayContaining(['resetZoom', 'zoomIn', 'zoomOut']));
    expect(view).not.toContain('reload');
    expect(view).not.toContain('toggleDevTools');
  });

  it('adds reload and DevTools in development', () => {
    const view = roles(items(appMenuTemplate({ dev: true, ...callbacks() }), 'View'));
    expect(view).toEqual(expect.arrayContaining(['reload', 'toggleDevTools', 'zoomIn']));
  });

  it('calls back for About and Documentation', () => {
    const cb = callbacks();
    const help = items(appMenuTemplate({ dev: false, ...cb }), 'Help');
    const click = (label: string) => (help.find((i) => i.label === label)!.click as () => void)();
    click('Documentation');
    click('About KVMNet');
    expect(cb.openDocumentation).toHaveBeenCalledTimes(1);
    expect(cb.showAbout).toHaveBeenCalledTimes(1);
  });
});
