import type { BridgedRecord } from '../../../main/core/bridge-to-lan/bridged-record';

/** the profiles of a NetworkManager bridge to the LAN: KVMNet's bridge and port, and the user's own */
export const NM_PROFILES = {
  bridge: '0b6f3c55-58d3-4a4e-9d8e-3f1f2b0a7c11',
  port: '1b6f3c55-58d3-4a4e-9d8e-3f1f2b0a7c11',
  user: '2b6f3c55-58d3-4a4e-9d8e-3f1f2b0a7c11',
} as const;

/** network lan: eth1 bridged as br0 through NetworkManager, the user's profile "Home" */
export const NM_RECORD: BridgedRecord = {
  format: 1, name: 'lan', uplink: 'eth1', bridge: 'br0', persistence: 'networkmanager', createdAt: 'x',
  nm: { bridgeUuid: NM_PROFILES.bridge, portUuid: NM_PROFILES.port, uplinkProfile: { uuid: NM_PROFILES.user, id: 'Home' } },
};
