import { describe, expect, it } from 'vitest';
import { ensureHostUndo } from '../../../../main/helper/ensure-host';
import { nmManaged } from '../../../../main/helper/ops/nm-managed';
import { FakeHostIo, type ToolCall } from '../fake-host-io';
import { fact, host, planState } from '../link-fixtures';

/** nmcli as NetworkManager answers it: the device's state, or exit 10 for a device it does not know */
const nmcli = (states: Record<string, string>) => ({ args }: ToolCall) => {
  if (args[0] === '-g') return states[args[4]!] === undefined ? { exitCode: 10, stderr: `Error: Device '${args[4]}' not found.\n` } : { stdout: `${states[args[4]!]}\n` };
  return {};
};

describe('nm.managed', () => {
  const state = planState(host(fact('kvbr0'), fact('eth0', { kind: 'other', alias: undefined })));

  it('only for links KVMNet owns', () => {
    expect(nmManaged.check({ op: 'nm.managed', device: 'kvbr0', managed: false }, state)).toBeUndefined();
    expect(nmManaged.check({ op: 'nm.managed', device: 'eth0', managed: false }, state)).toMatchObject({ code: 'NOT_OWNED', field: 'device' });
  });

  it('records whether NetworkManager managed the link, then tells it with nmcli', async () => {
    const io = new FakeHostIo(nmcli({ kvbr0: '100 (connected (externally))' }));
    expect(await nmManaged.inverse({ op: 'nm.managed', device: 'kvbr0', managed: false }, io)).toEqual([{ ensure: 'nm.managed', device: 'kvbr0', managed: true }]);
    await nmManaged.run({ op: 'nm.managed', device: 'kvbr0', managed: false }, io);
    expect(io.calls.at(-1)).toEqual({ tool: 'nmcli', args: ['device', 'set', 'kvbr0', 'managed', 'no'] });
  });

  it('does not run when the state cannot be recorded, and says why when NetworkManager refuses', async () => {
    await expect(nmManaged.inverse({ op: 'nm.managed', device: 'kvbr0', managed: false }, new FakeHostIo(nmcli({})))).rejects.toThrow(/does not know kvbr0/);
    const refusing = new FakeHostIo(({ args }) => (args[0] === 'device' ? { exitCode: 1, stderr: 'Error: not authorized\n' } : {}));
    await expect(nmManaged.run({ op: 'nm.managed', device: 'kvbr0', managed: false }, refusing)).rejects.toThrow(/NetworkManager refused to let go of kvbr0: Error: not authorized/);
  });

  it('is rolled back only where the state differs', async () => {
    const unmanaged = new FakeHostIo(nmcli({ kvbr0: '10 (unmanaged)' }));
    await ensureHostUndo({ ensure: 'nm.managed', device: 'kvbr0', managed: true }, unmanaged);
    expect(unmanaged.calls.at(-1)).toEqual({ tool: 'nmcli', args: ['device', 'set', 'kvbr0', 'managed', 'yes'] });
    const already = new FakeHostIo(nmcli({ kvbr0: '30 (disconnected)' }));
    await ensureHostUndo({ ensure: 'nm.managed', device: 'kvbr0', managed: true }, already);
    expect(already.calls.every((c) => c.args[0] === '-g')).toBe(true);
    expect(await ensureHostUndo({ ensure: 'nm.managed', device: 'kvgone', managed: true }, new FakeHostIo(nmcli({})))).toMatch(/no longer knows the device/);
  });
});
