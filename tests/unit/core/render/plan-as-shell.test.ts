import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../../../../main/core/network/network-spec';
import { planCreate, planDelete } from '../../../../main/core/plan/network-plans';
import { renderDnsmasqConf } from '../../../../main/core/render/dnsmasq-conf';
import { renderLibvirtNetworkXml } from '../../../../main/core/render/libvirt-network-xml';
import { renderNftablesScript } from '../../../../main/core/render/nftables-table';
import { renderRestoreUnit } from '../../../../main/core/render/systemd-unit';
import { hereDocument, renderPlanAsShell } from '../../../../main/core/render/plan-as-shell';
import { shellQuote } from '../../../../main/core/shell-quote';
import { context, record, specs } from '../plan/plan-fixture';

/** what a POSIX shell makes of the words: each printed on its own NUL-terminated record */
function shellWords(line: string): string[] {
  const out = execFileSync('sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

/** the body of every here-document in a script, in order */
function hereDocuments(script: string): string[] {
  const bodies: string[] = [];
  const lines = script.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /<<'([A-Z_0-9]+)'$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.indexOf(open[1]!, i + 1);
    bodies.push(lines.slice(i + 1, end).join('\n'));
    i = end;
  }
  return bodies;
}

describe('shellQuote', () => {
  it('leaves plain words bare and gives the shell back exactly the word for anything else', () => {
    expect(shellQuote('kv-lab_1.x')).toBe('kv-lab_1.x');
    expect(shellQuote('kvmnet:lab')).toBe('kvmnet:lab');
    const odd = ["a;reboot", '$(id)', '`id`', "it's", 'two words', '', '*', 'a\nb', '"q"', '-n', '\\', '~root', 'a|b&c'];
    expect(shellWords(odd.map(shellQuote).join(' '))).toEqual(odd);
  });
});

describe('renderPlanAsShell', () => {
  // odd but valid: every character NetworkName and InterfaceName allow besides letters and digits
  const odd: NetworkSpec = { ...specs.nat, name: 'a_b-c9', bridge: 'kv.a_b-c9', domain: 'lab-1.internal', mtu: 1400 };

  it('writes a direct create as commands a shell reads back word for word, with the files the helper writes', () => {
    const script = renderPlanAsShell(planCreate(odd, context([], '0')));
    execFileSync('sh', ['-n', '-c', script]);
    const commands = script.split('\n').filter((l) => /^(ip|sysctl|dnsmasq) /.test(l));
    expect(commands.map(shellWords)).toEqual([
      ['ip', 'link', 'add', 'name', 'kv.a_b-c9', 'type', 'bridge', 'forward_delay', '0', 'stp_state', '0'],
      ['ip', 'link', 'set', 'dev', 'kv.a_b-c9', 'alias', 'kvmnet:a_b-c9'],
      ['ip', 'link', 'set', 'dev', 'kv.a_b-c9', 'mtu', '1400'],
      ['ip', 'address', 'add', '10.80.0.1/24', 'dev', 'kv.a_b-c9'],
      ['sysctl', '-w', 'net/ipv6/conf/kv.a_b-c9/disable_ipv6=1'],
      ['ip', 'link', 'set', 'dev', 'kv.a_b-c9', 'up'],
      ['sysctl', '-w', 'net.ipv4.ip_forward=1'],
      ['dnsmasq', '--conf-file=/run/kvmnet/dnsmasq/a_b-c9.conf'],
    ]);
    expect(script).toMatch(/^# 1\/9 create bridge kv\.a_b-c9$/m);
    expect(script).toMatch(/^# 9\/9 enable restoring direct networks at boot$/m);
    expect(script).toContain("nft -f - <<'KVMNET_EOF'");
    expect(script).toContain("cat > /etc/kvmnet/networks/a_b-c9.json <<'KVMNET_EOF'");
    expect(script).toContain('systemctl enable kvmnet-restore.service');
    const [table, conf, recordJson, unit] = hereDocuments(script);
    expect(`${table}\n`).toBe(renderNftablesScript([odd]));
    expect(`${conf}\n`).toBe(renderDnsmasqConf(odd));
    expect(JSON.parse(recordJson!)).toEqual({ version: 1, spec: odd, ipForwardBefore: '0' });
    expect(`${unit}\n`).toBe(renderRestoreUnit());
  });

  it("renders KVMNet's nftables table whole, with the networks whose rules are already in it", () => {
    const other = { ...specs.isolated, name: 'other', bridge: 'kv-other' };
    const added = hereDocuments(renderPlanAsShell(planCreate(specs.hostonly, context([], '0')), { nftNetworks: [other] }));
    expect(`${added[0]}\n`).toBe(renderNftablesScript([other, specs.hostonly]));
    const r = record(specs.hostonly);
    const removed = hereDocuments(renderPlanAsShell(planDelete({ backend: 'direct', record: r, active: true }, context([r, record(other)], '0')), { nftNetworks: [other, specs.hostonly] }));
    expect(`${removed[0]}\n`).toBe(renderNftablesScript([other]));
  });

  it('shows the libvirt XML that is defined, whole, in a quoted here-document', () => {
    const spec = { ...odd, backend: 'libvirt' } as const;
    const script = renderPlanAsShell(planCreate(spec, context([], '0')));
    execFileSync('sh', ['-n', '-c', script]);
    expect(script).toContain("virsh -c qemu:///system net-define /dev/stdin <<'KVMNET_EOF'");
    expect(hereDocuments(script)).toEqual([renderLibvirtNetworkXml(spec).replace(/\n$/, '')]);
    expect(script.split('\n').filter((l) => l.startsWith('virsh ')).map(shellWords).slice(1)).toEqual([
      ['virsh', '-c', 'qemu:///system', 'net-autostart', 'a_b-c9'],
      ['virsh', '-c', 'qemu:///system', 'net-start', 'a_b-c9'],
    ]);
  });

  it('picks a here-document delimiter that no line of the content equals, and the shell reads the content back unchanged', () => {
    const text = 'KVMNET_EOF\n$(id) `id` \\ \'x\'\nKVMNET_EOF_2';
    const doc = hereDocument('cat', text);
    expect(doc.split('\n')[0]).toBe("cat <<'KVMNET_EOF_3'");
    expect(execFileSync('sh', ['-c', doc], { encoding: 'utf8' })).toBe(`${text}\n`);
    expect(renderPlanAsShell({ steps: [] })).toBe('# nothing to do\n');
  });

  it('writes a delete as the commands that undo the create', () => {
    const r = record(specs.nat, '0');
    const script = renderPlanAsShell(planDelete({ backend: 'direct', record: r, active: true }, context([r], '1')));
    execFileSync('sh', ['-n', '-c', script]);
    expect(script).toContain('rm -f /etc/kvmnet/networks/lab.json');
    expect(script).toContain('ip link delete dev kv-lab');
    expect(script.indexOf('rm -f')).toBeLessThan(script.indexOf('ip link delete'));
  });
});
