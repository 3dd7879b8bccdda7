import { shallowRef, type ShallowRef } from 'vue';
import type { AppInfo } from '../../../main/ipc/channels';
import { kvmnetClient } from '../ipc/kvmnet-client';

/** Name, version and transport of the running app; null until known or when the call fails (nothing depends on it). */
export function useAppInfo(): ShallowRef<AppInfo | null> {
  const info = shallowRef<AppInfo | null>(null);
  kvmnetClient.invoke('app:info').then((value) => { info.value = value; }, () => undefined);
  return info;
}
