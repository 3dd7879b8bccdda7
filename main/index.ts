import { app, ipcMain, Menu, session, shell, type BrowserWindow } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LiveHostObserver } from './host/live-host-observer';
import { createHandlers } from './ipc/handlers';
import { registerIpcHandlers } from './ipc/ipc-main';
import { appMenuTemplate } from './menu/app-menu';
import { elevationPicker } from './privilege/elevation-picker';
import { helperLocation } from './privilege/helper-location';
import { PrivilegeSession } from './privilege/privilege-session';
import { readDoctorFacts } from './host/doctor-facts';
import { DoctorService } from './services/doctor-service';
import { forwardDoctorEvents } from './services/forward-doctor-events';
import { forwardEvents } from './services/forward-events';
import { CountersFeed } from './services/counters-feed';
import { readLinkCounters } from './host/read-link-counters';
import { hostNetworkService } from './services/host-network-service';
import { hostBridgedService } from './services/host-bridged-service';
import { forwardBridgedEvents } from './services/forward-bridged-events';
import { hostGuestService } from './services/host-guest-service';
import type { Services } from './services/services';
import { devServerAppUrl, fileAppUrl } from './window/app-url';
import { createMainWindow } from './window/create-main-window';
import { saveScriptWithDialog } from './window/save-script';
import { hardenSession } from './window/session-hardening';

const DOCUMENTATION_URL = 'https://kvmnet.invalid/docs';

// every renderer, including any we did not create ourselves, runs in Chromium's sandbox
app.enableSandbox();

function start(): void {
  const dev = !app.isPackaged;
  const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');
  const devServer = dev ? process.env.ELECTRON_RENDERER_URL : undefined;
  const appUrl = devServer ? devServerAppUrl(devServer) : fileAppUrl(join(outDir, 'renderer', 'index.html'));

  let window: BrowserWindow | undefined;
  const contents = () => (window && !window.isDestroyed() ? window.webContents : undefined);
  const privilege = new PrivilegeSession(
    elevationPicker(
      helperLocation({
        packaged: app.isPackaged,
        execPath: process.execPath,
        resourcesPath: process.resourcesPath,
        appPath: app.getAppPath(),
        ...(process.env.APPIMAGE ? { appImage: process.env.APPIMAGE } : {}),
      }),
      (line) => console.error(`[kvmnet-helper] ${line}`),
    ),
  );

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());

  void app.whenReady().then(() => {
    hardenSession(session.defaultSession);
    app.setAboutPanelOptions({ applicationName: 'KVMNet', applicationVersion: app.getVersion(), website: DOCUMENTATION_URL });
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(appMenuTemplate({ dev, showAbout: () => app.showAboutPanel(), openDocumentation: () => void shell.openExternal(DOCUMENTATION_URL) })),
    );

    const observer = new LiveHostObserver();
    const doctor = new DoctorService({ readFacts: readDoctorFacts, apply: (plan, onProgress) => privilege.helper().apply(plan, onProgress) });
    const networks = hostNetworkService(observer, privilege, (name, text) => saveScriptWithDialog(window, name, text));
    const counters = new CountersFeed({ read: () => readLinkCounters() });
    const bridged = hostBridgedService(privilege);
    const services: Services = {
      appInfo: () => ({ name: 'KVMNet', version: app.getVersion(), platform: process.platform, transport: 'electron' }),
      observer,
      privilege,
      doctor,
      networks,
      counters,
      bridged,
      guests: hostGuestService(networks),
    };
    registerIpcHandlers(ipcMain, createHandlers(services), { app: appUrl, trustedContents: contents });
    const stopEvents = forwardEvents({ observer, privilege, networks }, contents);
    const stopDoctorWatch = doctor.watch(observer);
    const stopDoctorEvents = forwardDoctorEvents(doctor, contents);
    const stopBridgedEvents = forwardBridgedEvents(bridged, contents);

    window = createMainWindow({ app: appUrl, preloadPath: join(outDir, 'preload', 'index.cjs'), dev });
    window.on('closed', () => {
      window = undefined;
    });

    // closing the helper's stdin is what ends it; nothing root is left behind
    app.once('will-quit', () => {
      stopEvents();
      stopDoctorWatch();
      stopDoctorEvents();
      counters.close();
      stopBridgedEvents();
      bridged.dispose();
      void privilege.dispose();
      void observer.close();
    });
  });
}

// a second launch hands over to the running instance (which focuses its window) and quits
if (app.requestSingleInstanceLock()) start();
else app.quit();
