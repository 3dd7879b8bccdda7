import { InterfaceName } from '../core/names';
import { NIC_MODELS, NicModel } from '../core/attach/nic-model';
import { InterfaceTarget } from '../core/attach/libvirt-interface-xml';
import { DomainName } from '../core/attach/domain-name';
import type { FieldIssue } from '../core/network/field-issue';

/** What `kvmnet attach --print` can print. */
export const PRINT_FORMATS = ['qemu', 'virt-install', 'libvirt-xml', 'qemu-ifup', 'qemu-ifdown'] as const;
export type PrintFormat = (typeof PRINT_FORMATS)[number];

/** `kvmnet attach` options as commander gives them. */
export interface AttachOptions {
  print?: string;
  vm?: string;
  mac?: string;
  tap?: string;
  model?: string;
  json?: boolean;
}

/** the options each way of attaching reads; any other one given is a mistake worth saying */
const READS: Record<PrintFormat | 'vm', readonly ('mac' | 'tap' | 'model')[]> = {
  qemu: ['mac', 'tap', 'model'],
  'virt-install': ['mac', 'model'],
  'libvirt-xml': ['mac', 'tap', 'model'],
  'qemu-ifup': [],
  'qemu-ifdown': [],
  vm: ['mac', 'model'],
};

export type AttachRequest =
  | { way: 'print'; format: PrintFormat; model: NicModel; mac?: string; tap?: string }
  | { way: 'vm'; domain: string; model: NicModel; mac?: string };

const firstMessage = (error: { issues: readonly { message: string }[] }): string => error.issues[0]?.message ?? 'invalid';

/**
 * The shape of an attach command line, checked before the host is read: one way (--print or
 * --vm), options that way reads, names and models in their form. Whether a MAC or tap is free is
 * the host's question, asked after.
 */
export function attachRequest(options: AttachOptions): { request?: AttachRequest; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  if ((options.print === undefined) === (options.vm === undefined)) {
    issues.push({ field: '--print', message: `give --print FORMAT or --vm DOMAIN, one of them: --print ${PRINT_FORMATS.join('|')} shows how to attach a guest, --vm adds a NIC to an existing libvirt domain` });
    return { issues };
  }
  const way = options.vm !== undefined ? 'vm' : (options.print as PrintFormat);
  if (options.print !== undefined && !(PRINT_FORMATS as readonly string[]).includes(options.print)) {
    issues.push({ field: '--print', message: `--print "${options.print}" is not something KVMNet prints; use one of ${PRINT_FORMATS.join(', ')}` });
    return { issues };
  }
  for (const key of ['mac', 'tap', 'model'] as const) {
    if (options[key] !== undefined && !READS[way].includes(key)) {
      issues.push({ field: `--${key}`, message: `--${key} does not apply to ${way === 'vm' ? '--vm' : `--print ${way}`}; leave it out` });
    }
  }
  const model = NicModel.safeParse(options.model ?? 'virtio');
  if (!model.success) issues.push({ field: '--model', message: `--model "${options.model}" is not a NIC model KVMNet offers; use one of ${NIC_MODELS.join(', ')}: virtio unless the guest lacks virtio drivers, then e1000e` });
  if (options.tap !== undefined) {
    const tapSchema = way === 'libvirt-xml' ? InterfaceTarget : InterfaceName;
    const tap = tapSchema.safeParse(options.tap);
    if (!tap.success) issues.push({ field: '--tap', message: `--tap "${options.tap}": ${firstMessage(tap.error)}` });
  }
  if (options.vm !== undefined) {
    const domain = DomainName.safeParse(options.vm);
    if (!domain.success) issues.push({ field: '--vm', message: `--vm ${firstMessage(domain.error)}` });
  }
  if (issues.length > 0 || !model.success) return { issues };
  const extras = { model: model.data, ...(options.mac !== undefined && { mac: options.mac }) };
  if (options.vm !== undefined) return { request: { way: 'vm', domain: options.vm, ...extras }, issues };
  return { request: { way: 'print', format: way as PrintFormat, ...extras, ...(options.tap !== undefined && { tap: options.tap }) }, issues };
}
