import { describe, expect, it } from 'vitest';
import { FakeEngine, runWith } from './fake-engine';

/** the fake laptop, noting in order when the engine recovers and when the host is read */
class RecordingEngine extends FakeEngine {
  readonly calls: string[] = [];
  constructor() {
    super();
    const readHost = this.readState;
    this.readState = () => {
      this.calls.push('read');
      return readHost();
    };
  }
  recoverInterrupted = async (log: (line: string) => void) => {
    this.calls.push('recover');
    log('rolled back unfinished apply 1-2-x (bridge eth0 to the LAN as br-lan, until the next reboot (network lan)) (request in-process, 2 step(s))');
  };
}

describe('the recovery of interrupted applies before a command that may change the host', () => {
  it.each([
    [['create', 'nat', 'web', '--subnet', '10.77.0.0/24']],
    [['start', 'lab']],
    [['stop', 'lab']],
    [['delete', 'lab']],
  ])('kvmnet %j: recovers first, says so on stderr, then reads the host', async (argv) => {
    const engine = new RecordingEngine();
    const r = await runWith(engine, ...argv);
    expect(engine.calls[0], r.stderr).toBe('recover');
    expect(engine.calls).toContain('read');
    expect(r.stderr).toContain('kvmnet: rolled back unfinished apply 1-2-x (bridge eth0 to the LAN as br-lan');
  });

  it.each([[['status']], [['list']], [['leases']], [['forward', 'list']], [['doctor', '--json']]])('kvmnet %j only reads: no recovery', async (argv) => {
    const engine = new RecordingEngine();
    await runWith(engine, ...argv);
    expect(engine.calls).not.toContain('recover');
  });

  it('an engine without recovery (the app, a described host) is used as it is', async () => {
    const engine = new FakeEngine();
    const r = await runWith(engine, 'stop', 'lab');
    expect(r.stderr).not.toContain('rolled back');
    expect(engine.plans).toHaveLength(1);
  });
});
