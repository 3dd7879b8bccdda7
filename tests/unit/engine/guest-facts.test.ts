import { describe, expect, it } from 'vitest';
import { invokingUid } from '../../../main/engine/guest-facts';

describe('invokingUid', () => {
  it('is the user sudo or pkexec ran kvmnet for when running as root', () => {
    expect(invokingUid({ SUDO_UID: '1000' }, 0)).toBe(1000);
    expect(invokingUid({ PKEXEC_UID: '1001' }, 0)).toBe(1001);
  });

  it('is our own uid when not root, whatever the environment says', () => {
    expect(invokingUid({ SUDO_UID: '0' }, 1000)).toBe(1000);
  });

  it('is root itself for a root login, or when SUDO_UID is not a number', () => {
    expect(invokingUid({}, 0)).toBe(0);
    expect(invokingUid({ SUDO_UID: '1000; rm -rf /' }, 0)).toBe(0);
  });
});
