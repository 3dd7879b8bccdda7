import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import type { HostSnapshot } from '../main/core/host-snapshot';
import { CONTENT_SECURITY_POLICY } from '../main/window/content-security-policy';
import { buildTopologyGraph } from '../renderer/src/model/topology-graph';
import { elkGraph, LAYOUT_MEASURE } from '../renderer/src/model/topology-layout';
import { rendererBuild } from '../tests/e2e/transport/build-transport';
import { launchChromiumInLab } from '../tests/lab/chromium';
import { labUnavailableReason, startLab } from '../tests/lab/lab';
import { summarize, type Summary } from './stats';
import { busySnapshot, countersOf, EXTRA_TAP, laterSnapshot } from './topology-snapshot';

/**
 * Benchmark of issue 6's topology view in Debian Chromium: the built renderer, fed a 500-node host
 * through a stand-in for window.kvmnet, timed inside the page from the moment the snapshot is
 * handed over (or a tab is clicked) to the animation frame in which the result is on screen.
 * Side by side in one page: the diagram against the list view of the same snapshot, an update
 * against a render, and ELK on the page's own thread against the app's worker.
 */

const ORIGIN = 'http://kvmnet.bench';
const RESULTS = 'bench/results/topology-latest.json';
const SCREENSHOT = 'test-results/screenshots/topology-500.png';
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** window.kvmnet for the page: answers the app's start-up calls and the diagram's watch, and lets the bench push snapshots and counters */
function benchBridge(initial: unknown): void {
  const listeners = new Set<(payload: unknown) => void>();
  const counterListeners = new Set<(payload: unknown) => void>();
  const bench = {
    snapshot: initial,
    answeredAt: 0,
    push(next: unknown) {
      bench.snapshot = next;
      for (const listener of listeners) listener(next);
    },
    pushCounters(sample: unknown) {
      for (const listener of counterListeners) listener(sample);
    },
  };
  const ok = (value: unknown) => ({ ok: true, value });
  Object.defineProperty(globalThis, 'kvmnetBench', { value: bench });
  Object.defineProperty(globalThis, 'kvmnet', {
    value: Object.freeze({
      invoke(channel: string) {
        if (channel === 'host:snapshot') {
          bench.answeredAt = performance.now();
          return Promise.resolve(ok(bench.snapshot));
        }
        if (channel === 'app:info') return Promise.resolve(ok({ name: 'KVMNet', version: 'bench', platform: 'linux', transport: 'test' }));
        if (channel === 'privilege:state') return Promise.resolve(ok({ status: 'read-only' }));
        if (channel === 'host:watch-counters') return Promise.resolve(ok({ intervalMs: 2000 }));
        return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: channel } });
      },
      on(event: string, listener: (payload: unknown) => void) {
        const set = event === 'host:changed' ? listeners : event === 'host:counters' ? counterListeners : undefined;
        set?.add(listener);
        return () => set?.delete(listener);
      },
    }),
  });
}

/** The few browser globals the in-page timers use (the node-side tsconfig has no DOM library). */
interface PageElement {
  textContent: string | null;
  style: { visibility: string };
  click(): void;
}
interface PageGlobals {
  document: { querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement> };
  requestAnimationFrame(callback: () => void): number;
  kvmnetBench: { answeredAt: number; push(snapshot: unknown): void; pushCounters(sample: unknown): void };
  performance: { getEntriesByName(name: string): { duration: number }[] };
  ELK: new () => { layout(graph: unknown): Promise<unknown> };
}

interface Expect {
  nodes: number;
  edges: number;
  /** a selector that must match (or, with `absent`, must not) */
  selector?: string;
  absent?: boolean;
}

/**
 * Runs in the page: resolves with performance.now() at the first animation frame in which the
 * diagram shows `nodes` measured (visible) nodes and `edges` edges. Vue Flow hides a node until it
 * has measured it and draws an edge only between measured nodes, so this is what the user sees.
 */
function diagramDrawn(want: Expect): Promise<number> {
  const { document, requestAnimationFrame } = globalThis as unknown as PageGlobals;
  const deadline = performance.now() + 120_000;
  return new Promise((done, fail) => {
    const check = (): void => {
      const nodes = [...document.querySelectorAll('.vue-flow__node')];
      const visible = nodes.filter((n) => n.style.visibility !== 'hidden').length;
      const edges = document.querySelectorAll('.vue-flow__edge').length;
      const selected = !want.selector || (document.querySelector(want.selector) === null) === Boolean(want.absent);
      if (nodes.length === want.nodes && visible === want.nodes && edges === want.edges && selected) done(performance.now());
      else if (performance.now() > deadline) fail(new Error(`the diagram never showed ${JSON.stringify(want)}: ${nodes.length} nodes, ${visible} visible, ${edges} edges, selector ${selected ? 'as wanted' : 'not as wanted'}`));
      else requestAnimationFrame(check);
    };
    check();
  });
}

async function serve(context: BrowserContext, root: string, elkBundled: string): Promise<void> {
  await context.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    const file = path === '/bench/elk.bundled.js' ? elkBundled : resolve(join(root, decodeURIComponent(path)));
    if (file !== elkBundled && !file.startsWith(root + sep)) return route.fulfill({ status: 404 });
    const body = await readFile(file).catch(() => undefined);
    if (!body) return route.fulfill({ status: 404 });
    return route.fulfill({ status: 200, body, headers: { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CONTENT_SECURITY_POLICY } });
  });
}

async function openApp(browser: Browser, root: string, elkBundled: string, snapshot: HostSnapshot): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await serve(context, root, elkBundled);
  await context.addInitScript(benchBridge, snapshot);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().includes("'frame-ancestors'")) problems.push(m.text()); });
  await page.goto(`${ORIGIN}/index.html#/`);
  return { context, page, problems };
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

const layoutCount = (page: Page): Promise<number> =>
  page.evaluate((name) => (globalThis as unknown as PageGlobals).performance.getEntriesByName(name).length, LAYOUT_MEASURE);

/** polls `read` until `ok`, for two minutes at most */
async function expect<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
    if (ok(await read())) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`bench: waited two minutes for ${what}`);
}

/** how long the app's last layout took, from the graph to the positions (ELK in the worker, messages included) */
const lastLayout = (page: Page): Promise<number> =>
  page.evaluate((name) => (globalThis as unknown as PageGlobals).performance.getEntriesByName(name).at(-1)?.duration ?? Number.NaN, LAYOUT_MEASURE);

async function main(): Promise<number> {
  // not strict: `npm run bench -- --warmup 2` runs every benchmark with the same options, and this one has no warm-up
  const { values } = parseArgs({ strict: false, options: { nodes: { type: 'string', default: '500' }, iterations: { type: 'string', default: '10' } } });
  const nodes = Number(values.nodes);
  const iterations = Number(values.iterations);
  if (!Number.isInteger(nodes) || nodes < 50) throw new Error('--nodes must be a whole number ≥ 50, e.g. --nodes 500');
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error('--iterations must be a whole number ≥ 1, e.g. --iterations 10');
  const unavailable = labUnavailableReason();
  if (unavailable) {
    console.error(`bench: cannot run: ${unavailable}`);
    return 2;
  }

  const base = busySnapshot(nodes);
  const graph = buildTopologyGraph(base);
  const grown = buildTopologyGraph(laterSnapshot(base, 1, true));
  const drawn: Expect = { nodes: graph.nodes.length, edges: graph.edges.length };
  const elkBundled = resolve('node_modules/elkjs/lib/elk.bundled.js');

  const dir = await mkdtemp(join(tmpdir(), 'kvmnet-bench-topology-'));
  const lab = await startLab();
  try {
    await build(rendererBuild(join(dir, 'renderer')));
    const root = join(dir, 'renderer');
    const browser = await launchChromiumInLab(lab);
    const browserVersion = browser.version();
    const samples: Record<string, number[]> = { firstRender: [], firstLayout: [], diagram: [], list: [], countersUpdate: [], structuralUpdate: [], updateLayout: [], elkMainThread: [] };
    const problems: string[] = [];
    try {
      // cold: a fresh page each time, so the layout worker starts and loads ELK, as at app start
      for (let i = 0; i < Math.max(3, Math.ceil(iterations / 2)); i++) {
        const app = await openApp(browser, root, elkBundled, base);
        const at = await app.page.evaluate(diagramDrawn, drawn);
        samples.firstRender!.push(at - await app.page.evaluate(() => (globalThis as unknown as PageGlobals).kvmnetBench.answeredAt));
        samples.firstLayout!.push(await lastLayout(app.page));
        problems.push(...app.problems);
        await app.context.close();
        process.stderr.write(`first render ${i + 1}: ${round(samples.firstRender!.at(-1)!)} ms\n`);
      }

      const app = await openApp(browser, root, elkBundled, base);
      const { page } = app;
      await page.evaluate(diagramDrawn, drawn);
      await mkdir('test-results/screenshots', { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
      // the feed's first sample: rates show from the next one on
      await page.evaluate((sample) => (globalThis as unknown as PageGlobals).kvmnetBench.pushCounters(sample), countersOf(base));

      let tick = 0;
      for (let i = 0; i < iterations; i++) {
        process.stderr.write(`topology round ${i + 1}/${iterations}\n`);
        // list and diagram of the same snapshot, alternating, each from the click to the frame that shows it
        samples.list!.push(await page.evaluate(() => new Promise<number>((done) => {
          const { document, requestAnimationFrame } = globalThis as unknown as PageGlobals;
          const start = performance.now();
          document.querySelector('[data-tab="list"]')!.click();
          const check = (): void => { if (document.querySelector('[data-network]')) done(performance.now() - start); else requestAnimationFrame(check); };
          check();
        })));
        const start = await page.evaluate(() => { const t = performance.now(); (globalThis as unknown as PageGlobals).document.querySelector('[data-tab="diagram"]')!.click(); return t; });
        samples.diagram!.push(await page.evaluate(diagramDrawn, drawn) - start);

        // new counters only (host:counters): the rates change, the layout stays
        tick++;
        const rateLabel = '[data-edge-label="port:link:vnet0→link:virbr0"] [data-rate]';
        // absent before the first update: a rate needs two samples
        const before = await page.evaluate((selector) => (globalThis as unknown as PageGlobals).document.querySelector(selector)?.textContent ?? null, rateLabel);
        samples.countersUpdate!.push(await page.evaluate(([sample, selector, old]) => new Promise<number>((done, fail) => {
          const { document, requestAnimationFrame, kvmnetBench } = globalThis as unknown as PageGlobals;
          const start = performance.now();
          kvmnetBench.pushCounters(sample);
          const check = (): void => {
            const text = document.querySelector(selector)?.textContent;
            if (text != null && text !== old) done(performance.now() - start);
            else if (performance.now() - start > 120_000) fail(new Error(`the rate ${selector} still reads ${String(text)}`));
            else requestAnimationFrame(check);
          };
          check();
        }), [countersOf(laterSnapshot(base, tick, false)), rateLabel, before] as const));

        // one tap more (timed: a new layout), then one less (untimed: back to the base graph for the next round)
        const layouts = await layoutCount(page);
        tick++;
        const pushed = await page.evaluate((snapshot) => { const t = performance.now(); (globalThis as unknown as PageGlobals).kvmnetBench.push(snapshot); return t; }, laterSnapshot(base, tick, true));
        samples.structuralUpdate!.push(await page.evaluate(diagramDrawn, { nodes: grown.nodes.length, edges: grown.edges.length, selector: `.vue-flow__node[data-id="link:${EXTRA_TAP}"]` }) - pushed);
        samples.updateLayout!.push(await lastLayout(page));
        tick++;
        await page.evaluate((snapshot) => (globalThis as unknown as PageGlobals).kvmnetBench.push(snapshot), laterSnapshot(base, tick, false));
        await expect(() => layoutCount(page), (n) => n >= layouts + 2, 'the layout without the extra tap');
        await page.evaluate(diagramDrawn, drawn);
      }

      // what the app would freeze for if ELK ran on the page's thread instead of its worker
      await page.addScriptTag({ url: `${ORIGIN}/bench/elk.bundled.js` });
      const elkInput = elkGraph(graph);
      for (let i = 0; i < Math.max(3, Math.ceil(iterations / 2)); i++) {
        samples.elkMainThread!.push(await page.evaluate(async (input) => {
          const { ELK } = globalThis as unknown as PageGlobals;
          const start = performance.now();
          await new ELK().layout(input);
          return performance.now() - start;
        }, elkInput));
      }
      problems.push(...app.problems);
      await app.context.close();
    } finally {
      await browser.close();
    }

    const summaries = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v.map(round))])) as Record<string, Summary>;
    const m = (k: string) => summaries[k]!.median;
    const ratios = [
      { name: 'diagram ÷ list view, same snapshot, from the tab click', value: m('diagram') / m('list') },
      { name: 'update with new counters ÷ first render', value: m('countersUpdate') / m('firstRender') },
      { name: 'update with one new tap (new layout) ÷ first render', value: m('structuralUpdate') / m('firstRender') },
      { name: 'first render (worker start, ELK load, layout) ÷ diagram shown again (layout remembered)', value: m('firstRender') / m('diagram') },
      { name: 'ELK on the page\'s thread ÷ structural update in the app (ELK in the worker)', value: m('elkMainThread') / m('structuralUpdate') },
    ].map((r) => ({ ...r, value: Math.round(r.value * 100) / 100 }));
    const LABELS: Record<string, string> = {
      firstRender: 'first render: snapshot handed over → diagram on screen (fresh page)',
      firstLayout: '… of which the layout: worker start, ELK load, layout',
      diagram: 'diagram tab: click → diagram on screen (layout remembered)',
      list: 'list tab: click → list on screen',
      countersUpdate: 'pushed counters (host:counters) → new rates on screen',
      structuralUpdate: 'pushed snapshot with one tap more → new layout on screen',
      updateLayout: '… of which the layout in the warm worker',
      elkMainThread: 'ELK layout alone on the page\'s thread (the freeze the worker avoids)',
    };
    const results = {
      when: new Date().toISOString(),
      nodes: graph.nodes.length,
      edges: graph.edges.length,
      iterations,
      browser: browserVersion,
      summaries,
      ratios,
      problems,
    };
    await mkdir('bench/results', { recursive: true });
    await writeFile(RESULTS, `${JSON.stringify({ ...results, samples }, null, 2)}\n`);
    const lines = [
      `Topology view, ${graph.nodes.length} nodes and ${graph.edges.length} edges, Debian Chromium ${browserVersion} (headless, 1280×900), medians of ${iterations}:`,
      '',
      '| measurement | median / p90 (ms) |',
      '|---|---|',
      ...Object.entries(summaries).map(([k, s]) => `| ${LABELS[k]} | ${s.median} / ${s.p90} |`),
      '',
      '| ratio | value |',
      '|---|---|',
      ...ratios.map((r) => `| ${r.name} | ${r.value}× |`),
      '',
      ...(problems.length ? [`page problems: ${problems.join('; ')}`] : []),
      `results written to ${RESULTS}; the diagram is in ${SCREENSHOT}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return problems.length ? 1 : 0;
  } finally {
    await lab.close();
    await rm(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
