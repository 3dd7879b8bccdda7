import type { LayoutEngine } from '../model/topology-layout';

let worker: Promise<LayoutEngine> | undefined;

/**
 * The app's one layout engine. ELK (1.6 MB) and its worker are loaded on the first layout, not
 * with the app, and the worker then stays for the session: starting it costs more than a layout.
 */
export const appLayoutEngine: LayoutEngine = {
  async layout(graph) {
    worker ??= import('./elk-worker-engine').then((m) => m.elkWorkerEngine());
    return (await worker).layout(graph);
  },
};
