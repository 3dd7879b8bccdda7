import ELK from 'elkjs/lib/elk-api';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import type { LayoutEngine } from '../model/topology-layout';

/**
 * ELK in a web worker: laying out hundreds of nodes takes long enough to drop frames, and the
 * worker keeps scrolling and typing smooth meanwhile. ELK's own worker script is shipped as it is,
 * a file of the app ('self' in the CSP), never a blob: or data: URL.
 */
export function elkWorkerEngine(): LayoutEngine {
  const elk = new ELK({ workerUrl: elkWorkerUrl });
  return { layout: (graph) => elk.layout(graph) };
}
