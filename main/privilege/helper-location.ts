import { join } from 'node:path';

/** The root-owned launcher installed by the deb/rpm packages; the polkit action names this exact path. */
export const PKEXEC_LAUNCHER_PATH = '/usr/libexec/kvmnet/kvmnet-helper';
/** Installed next to the launcher; without it pkexec would fall back to polkit's generic action. */
export const POLKIT_POLICY_PATH = '/usr/share/polkit-1/actions/io.kvmnet.helper.policy';
/** The PATH the root helper runs with: system directories only, never the user's. */
export const HELPER_PATH_ENV = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** How to run the helper bundle: a JavaScript runtime and the script it runs. */
export interface HelperLocation {
  /** the Electron binary (run with ELECTRON_RUN_AS_NODE=1) or node */
  runtime: string;
  script: string;
  /**
   * The AppImage file, when the app runs from one. Its FUSE mount (where runtime and script live)
   * is closed to every other user, root included, so a helper started through a password prompt
   * runs the AppImage file itself on a copy of the script.
   */
  appImage?: string;
}

export interface AppPaths {
  packaged: boolean;
  execPath: string;
  /** process.resourcesPath: the packaged app keeps the helper there, outside the asar */
  resourcesPath: string;
  /** app.getAppPath(): the project root in development */
  appPath: string;
  /** $APPIMAGE, set by the AppImage runtime */
  appImage?: string;
}

export function helperLocation(paths: AppPaths): HelperLocation {
  return {
    runtime: paths.execPath,
    script: paths.packaged ? join(paths.resourcesPath, 'helper', 'kvmnet-helper.cjs') : join(paths.appPath, 'out', 'node', 'kvmnet-helper.cjs'),
    ...(paths.packaged && paths.appImage ? { appImage: paths.appImage } : {}),
  };
}
