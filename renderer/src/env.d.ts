/// <reference types="vite/client" />
import type { KvmnetBridge } from '../../main/ipc/channels';

declare global {
  interface Window {
    /** set by the preload (or the E2E shim); absent when the page is opened in a plain browser */
    readonly kvmnet?: KvmnetBridge;
  }
}
