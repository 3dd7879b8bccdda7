import type { DoctorFacts, NftFacts } from '../../core/doctor/doctor-facts';
import type { FirewallChain, FirewallTable } from '../../core/doctor/firewall-rules';
import { readOptional, toolInstalled } from './host-files';
import { parseActiveZones } from './parse-firewalld-zones';
import { parseIptablesSave } from './parse-iptables-save';
import { parseNftRuleset, type NftRuleset } from './parse-nft-ruleset';
import { failureText, runTool } from './run-tool';

type FirewallFacts = DoctorFacts['firewall'];

const TIMEOUT_MS = 5000;
const NEEDS_ROOT = 'reading the firewall needs root: run sudo kvmnet doctor';

const IPTABLES_NFT_SAVE = { ip: 'iptables-nft-save', ip6: 'ip6tables-nft-save' } as const;

/**
 * iptables-nft's filter tables as iptables-nft-save prints them, for tables whose rules nft shows
 * only as `xt`; undefined keeps what nft showed (the unknown parts then read as "may match").
 */
async function readIptablesNft(table: FirewallTable): Promise<FirewallChain[] | undefined> {
  if (table.name !== 'filter' || (table.family !== 'ip' && table.family !== 'ip6')) return undefined;
  const r = await runTool(IPTABLES_NFT_SAVE[table.family], ['-t', 'filter'], TIMEOUT_MS);
  return r.ok ? parseIptablesSave(r.stdout, { source: 'nftables', family: table.family }) : undefined;
}

async function readNft(root: boolean): Promise<NftFacts> {
  if (!root) return { available: false, reason: NEEDS_ROOT };
  const r = await runTool('nft', ['-j', 'list', 'ruleset'], TIMEOUT_MS);
  if (!r.ok) return { available: false, reason: failureText(r, 'nft') };
  let ruleset: NftRuleset;
  try {
    ruleset = parseNftRuleset(r.stdout);
  } catch (e) {
    return { available: false, reason: `nft printed a ruleset KVMNet cannot read: ${(e as Error).message}` };
  }
  let chains = ruleset.chains;
  for (const table of ruleset.untranslated) {
    const full = await readIptablesNft(table);
    if (full) chains = [...chains.filter((c) => c.family !== table.family || c.table !== table.name), ...full];
  }
  return { available: true, tables: ruleset.tables, chains };
}

/**
 * Listing a legacy table loads its kernel module and creates the table: read it only when
 * something already created it (its name is in /proc/net/ip_tables_names).
 */
async function readIptablesLegacy(root: boolean): Promise<FirewallFacts['iptablesLegacy']> {
  const names = (await readOptional('/proc/net/ip_tables_names')) ?? '';
  const loadedTables = names.split('\n').map((n) => n.trim()).filter(Boolean);
  if (!loadedTables.includes('filter')) return { loadedTables, filter: null };
  if (!root) return { loadedTables, filter: { available: false, reason: NEEDS_ROOT } };
  const r = await runTool('iptables-legacy-save', ['-t', 'filter'], TIMEOUT_MS);
  if (!r.ok) return { loadedTables, filter: { available: false, reason: failureText(r, 'iptables-legacy-save') } };
  return { loadedTables, filter: { available: true, chains: parseIptablesSave(r.stdout, { source: 'iptables-legacy', family: 'ip' }) } };
}

async function readIptablesVariant(): Promise<FirewallFacts['tools']['iptablesVariant']> {
  const r = await runTool('iptables', ['--version'], TIMEOUT_MS);
  if (!r.ok) return null;
  return r.stdout.includes('nf_tables') ? 'nf_tables' : r.stdout.includes('legacy') ? 'legacy' : null;
}

/** firewall-cmd ships with firewalld, so without it firewalld is not installed, let alone running */
async function readFirewalld(): Promise<FirewallFacts['firewalld']> {
  const state = await runTool('firewall-cmd', ['--state'], TIMEOUT_MS);
  const none = { zones: [], interfaceZones: {} };
  if (!state.ok) return { running: state.missing || state.exitCode === 252 ? false : null, ...none };
  const [zones, active] = await Promise.all([runTool('firewall-cmd', ['--get-zones'], TIMEOUT_MS), runTool('firewall-cmd', ['--get-active-zones'], TIMEOUT_MS)]);
  return {
    running: true,
    zones: zones.ok ? zones.stdout.trim().split(/\s+/).filter(Boolean) : [],
    interfaceZones: active.ok ? parseActiveZones(active.stdout) : {},
  };
}

export async function readFirewall(root: boolean): Promise<FirewallFacts> {
  const [nft, iptablesLegacy, nftTool, iptablesTool, iptablesVariant, firewalld] = await Promise.all([
    readNft(root),
    readIptablesLegacy(root),
    toolInstalled('nft'),
    toolInstalled('iptables'),
    readIptablesVariant(),
    readFirewalld(),
  ]);
  return { nft, iptablesLegacy, tools: { nft: nftTool, iptables: iptablesTool, iptablesVariant }, firewalld };
}
