import { describe, expect, it } from 'vitest';
import { bridgedStepCommands } from '../../../../main/core/bridge-to-lan/bridged-step-words';

const UUID = '0b6f3c55-58d3-4a4e-9d8e-3f1f2b0a7c11';

describe('the commands shown for a bridge-to-LAN step', () => {
  it('activate a profile on the device the helper activates it on', () => {
    expect(bridgedStepCommands({ op: 'nm.connection.up', network: 'lan', uuid: UUID, device: 'eth1' })).toEqual([`nmcli connection up uuid ${UUID} ifname eth1`]);
  });
});
