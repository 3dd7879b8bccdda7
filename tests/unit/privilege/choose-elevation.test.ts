import { describe, expect, it } from 'vitest';
import { chooseElevation, type ElevationFacts } from '../../../main/privilege/choose-elevation';

const desktop: ElevationFacts = { uid: 1000, display: true, pkexec: true, launcherInstalled: false, sudoPromptBackend: true };

describe('chooseElevation', () => {
  it('needs no prompt as root, even without a display', () => {
    expect(chooseElevation({ ...desktop, uid: 0, display: false, pkexec: false, sudoPromptBackend: false })).toEqual({ method: 'root' });
  });

  it('uses pkexec on the installed launcher when the package is installed', () => {
    expect(chooseElevation({ ...desktop, launcherInstalled: true })).toEqual({ method: 'pkexec' });
  });

  it('falls back to sudo-prompt for AppImage and development builds', () => {
    expect(chooseElevation(desktop)).toEqual({ method: 'sudo-prompt' });
    expect(chooseElevation({ ...desktop, launcherInstalled: true, pkexec: false })).toEqual({ method: 'sudo-prompt' });
  });

  it('is unavailable without a display, and says what to do instead', () => {
    const choice = chooseElevation({ ...desktop, display: false });
    expect(choice).toMatchObject({ method: null, detail: expect.stringContaining('sudo kvmnet') });
  });

  it('is unavailable when neither pkexec nor kdesudo exists, naming the package', () => {
    const choice = chooseElevation({ ...desktop, pkexec: false, sudoPromptBackend: false });
    expect(choice).toMatchObject({ method: null, detail: expect.stringContaining('install polkit') });
  });
});
