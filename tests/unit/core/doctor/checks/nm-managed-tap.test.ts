import { describe, expect, it } from 'vitest';
import { checkNmManagedTap } from '../../../../../main/core/doctor/checks/nm-managed-tap';
import { healthyFacts } from '../doctor-facts-fixture';

function withNm(devices: { device: string; state: string; connection: string }[]) {
  const facts = healthyFacts();
  facts.networkManager = { available: true, devices };
  return facts;
}

describe('nm-managed-tap', () => {
  it('is ok when NetworkManager does not run', () => {
    expect(checkNmManagedTap(healthyFacts())).toMatchObject({ status: 'ok', summary: 'NetworkManager is not running' });
  });

  it('is ok when it treats KVMNet’s links as unmanaged, whatever it does with others', () => {
    const facts = withNm([
      { device: 'eth0', state: 'connected', connection: 'Wired connection 1' },
      { device: 'virbr0', state: 'connected (externally)', connection: 'virbr0' },
      { device: 'kvbr0', state: 'unmanaged', connection: '' },
      { device: 'kvtap0', state: 'unmanaged', connection: '' },
    ]);
    expect(checkNmManagedTap(facts)).toMatchObject({ status: 'ok', detail: "NetworkManager runs and treats all 2 of KVMNet's bridges and taps as unmanaged." });
  });

  it('warns while it only watches a KVMNet bridge, with a safe nmcli fix', () => {
    const facts = withNm([{ device: 'kvbr0', state: 'connected (externally)', connection: 'kvbr0' }]);
    expect(checkNmManagedTap(facts)).toMatchObject({
      status: 'warn',
      fix: { commands: ['nmcli device set kvbr0 managed no'], safe: true, undo: 'Hand it back: nmcli device set kvbr0 managed yes' },
    });
  });

  it('only warns while it manages a KVMNet link without a profile (disconnected), with the same safe fix', () => {
    const facts = withNm([{ device: 'kvbr0', state: 'disconnected', connection: '' }]);
    expect(checkNmManagedTap(facts)).toMatchObject({ status: 'warn', detail: expect.stringContaining('watches kvbr0 (disconnected)'), fix: { safe: true } });
  });

  it('fails when a profile holds a KVMNet link; letting go is then not safe (it takes the link down)', () => {
    const facts = withNm([
      { device: 'kvbr0', state: 'connected (externally)', connection: 'kvbr0' },
      { device: 'kvtap0', state: 'connecting (getting IP configuration)', connection: 'Wired connection 2' },
    ]);
    const c = checkNmManagedTap(facts);
    expect(c).toMatchObject({ status: 'fail', summary: 'NetworkManager manages kvbr0, kvtap0', fix: { safe: false } });
    expect(c.detail).toContain('kvtap0 (connecting (getting IP configuration), connection "Wired connection 2")');
    expect(c.fix!.commands).toEqual(['nmcli device set kvbr0 managed no', 'nmcli device set kvtap0 managed no']);
  });
});
