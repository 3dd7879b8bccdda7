import { describe, expect, it } from 'vitest';
import { requireClaimableProfiles } from '../../../main/helper/nm-control';
import { FakeHostIo } from './fake-host-io';
import { NM_PROFILES, NM_RECORD } from './nm-record-fixture';

const USER = NM_PROFILES.user;
const record = NM_RECORD;

/** NetworkManager with one user profile: its device when active, its interface-name and MAC binding */
function nmWith(profile: { device?: string; ifname?: string; mac?: string } | undefined): FakeHostIo {
  const io = new FakeHostIo(({ args }) => {
    if (args.includes('UUID,NAME,FILENAME,DEVICE')) return { stdout: profile ? `${USER}:Home:/etc/NetworkManager/system-connections/Home.nmconnection:${profile.device ?? ''}\n` : '' };
    if (args.includes('show') && args.includes('uuid')) return { stdout: `connection.interface-name:${profile?.ifname ?? ''}\n802-3-ethernet.mac-address:${profile?.mac ?? ''}\n` };
    return {};
  });
  io.files.set('/sys/class/net/eth1/address', '52:54:00:aa:bb:01\n');
  return io;
}

describe('the uplink profile a bridge record names', () => {
  it('must be a profile of the record\'s uplink', async () => {
    await expect(requireClaimableProfiles(nmWith({ device: 'eth1' }), record)).resolves.toBeUndefined();
    await expect(requireClaimableProfiles(nmWith({ ifname: 'eth1' }), record)).resolves.toBeUndefined();
    await expect(requireClaimableProfiles(nmWith({ mac: '52:54:00:AA:BB:01' }), record)).resolves.toBeUndefined();
  });

  it('cannot be a profile of another device, nor one that does not exist', async () => {
    await expect(requireClaimableProfiles(nmWith({ device: 'wlan0', ifname: 'wlan0' }), record)).rejects.toThrow(/not a profile of eth1/);
    await expect(requireClaimableProfiles(nmWith({ ifname: 'eth2', mac: '52:54:00:aa:bb:01' }), record)).rejects.toThrow(/not a profile of eth1/);
    await expect(requireClaimableProfiles(nmWith({}), record)).rejects.toThrow(/not a profile of eth1/);
    await expect(requireClaimableProfiles(nmWith(undefined), record)).rejects.toThrow(/does not exist/);
  });
});
