import type { IpOp, IpStep, IpStepOp } from './op';
import { linkAdd } from './link-add';
import { linkDelete } from './link-delete';
import { linkSetMaster } from './link-set-master';
import { linkSetState } from './link-set-state';
import { linkSetAlias } from './link-set-alias';
import { addrAdd } from './addr-add';
import { addrDelete } from './addr-delete';

/** Every step family `ip -batch` runs; sysctl.set (ops/sysctl-set.ts) writes /proc/sys instead. */
export const IP_OPS: { [K in IpStepOp]: IpOp<K> } = {
  'link.add': linkAdd,
  'link.delete': linkDelete,
  'link.setMaster': linkSetMaster,
  'link.setState': linkSetState,
  'link.setAlias': linkSetAlias,
  'addr.add': addrAdd,
  'addr.delete': addrDelete,
};

/** the family of a step, typed for that step (TypeScript cannot correlate the two by itself) */
export const ipOpFor = <S extends IpStep>(step: S): IpOp<S['op']> => IP_OPS[step.op] as unknown as IpOp<S['op']>;
