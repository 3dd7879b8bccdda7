/** What the machine offers for getting root, read once per attempt by readElevationFacts. */
export interface ElevationFacts {
  uid: number;
  /** a graphical session exists, so a polkit agent can show a dialog */
  display: boolean;
  /** pkexec found on PATH */
  pkexec: boolean;
  /** the deb/rpm launcher and its polkit action are installed */
  launcherInstalled: boolean;
  /** /usr/bin/pkexec or /usr/bin/kdesudo, the programs sudo-prompt runs */
  sudoPromptBackend: boolean;
}

export type ElevationChoice = { method: 'root' | 'pkexec' | 'sudo-prompt' } | { method: null; detail: string };

/**
 * Root needs no prompt. An installed package has a polkit action for its fixed launcher, so
 * pkexec shows the product's own message and can keep the authorization (auth_admin_keep).
 * Everything else (AppImage, development) asks through sudo-prompt.
 */
export function chooseElevation(facts: ElevationFacts): ElevationChoice {
  if (facts.uid === 0) return { method: 'root' };
  if (!facts.display) {
    return { method: null, detail: 'There is no graphical session (DISPLAY and WAYLAND_DISPLAY are unset), so no password dialog can be shown; run `sudo kvmnet` in a terminal instead.' };
  }
  if (facts.launcherInstalled && facts.pkexec) return { method: 'pkexec' };
  if (facts.sudoPromptBackend) return { method: 'sudo-prompt' };
  return { method: null, detail: 'Neither pkexec nor kdesudo is installed, so KVMNet cannot ask for administrator rights; install polkit (pkexec).' };
}
