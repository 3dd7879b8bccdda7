import ELK from 'elkjs/lib/elk-api';
import ElkWorker from 'elkjs/lib/elk-worker.min.js?worker';
import type { LayoutEngine } from '../model/topology-layout';

/**
 * ELK in a web worker: laying out hundreds of nodes takes long enough to drop frames, and the
 * worker keeps scrolling and typing smooth meanwhile. Vite bundles the worker as a file of the app
 * ('self' in the CSP), never a blob: or data: URL.
 */
export function elkWorkerEngine(): LayoutEngine {
  const elk = new ELK({ workerFactory: () => new ElkWorker() });
  return { layout: (graph) => elk.layout(graph) };
}
