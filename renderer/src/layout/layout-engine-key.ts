import type { InjectionKey } from 'vue';
import type { LayoutEngine } from '../model/topology-layout';

/** Component tests provide one that lays out on the same thread (happy-dom has no workers); the app uses the worker. */
export const LAYOUT_ENGINE: InjectionKey<LayoutEngine> = Symbol('layout engine');
