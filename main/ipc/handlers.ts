import type { Handlers } from './dispatch';
import type { Services } from '../services/services';
import { KvmnetError } from '../core/kvmnet-error';

/**
 * The one implementation of every invoke channel, shared by the Electron app (through
 * ipc-main.ts) and the E2E test transport (through dispatch). Handlers stay thin: the payload is
 * already parsed by dispatch, the services do the work.
 */
export function createHandlers(services: Services): Handlers {
  return {
    'app:info': async () => services.appInfo(),
    'host:snapshot': () => services.observer.snapshot(),
    'privilege:state': async () => services.privilege.state(),
    'privilege:elevate': () => services.privilege.elevate(),
    'doctor:run': () => services.doctor.run(),
    'doctor:fix': ({ id }) => services.doctor.fix(id),
    'doctor:undo': ({ id }) => services.doctor.undo(id),
    'networks:list': () => services.networks.list(),
    'networks:validate': ({ draft }) => services.networks.validate(draft),
    'networks:plan': ({ draft }) => services.networks.plan(draft),
    'networks:export-script': ({ draft }) => services.networks.exportScript(draft),
    'networks:create': ({ runId, draft }) => services.networks.create(runId, draft),
    'networks:delete': ({ runId, name }) => services.networks.delete(runId, name),
    'networks:start': ({ runId, name }) => services.networks.start(runId, name),
    'networks:stop': ({ runId, name }) => services.networks.stop(runId, name),
    'networks:autostart': ({ runId, name, enabled }) => services.networks.autostart(runId, name, enabled),
    'networks:attach-snippets': ({ name }) => services.networks.attachSnippets(name),
    'host:watch-counters': async ({ watching }, caller) => {
      // a subscription belongs to a renderer: without one there is nobody to push to, or to forget when gone
      if (!caller) throw new KvmnetError('INTERNAL', 'host:watch-counters came through a carrier that does not say which window calls');
      return services.counters.watch(caller, watching);
    },
    'bridged:list': () => services.bridged.list(),
    'bridged:plan': ({ request }) => services.bridged.plan(request),
    'bridged:create': ({ runId, request }) => services.bridged.create(runId, request),
    'bridged:confirm': ({ name }) => services.bridged.confirm(name),
    'bridged:rollback': ({ name }) => services.bridged.rollback(name),
    'bridged:delete': ({ runId, name }) => services.bridged.delete(runId, name),
    'guests:details': ({ name }) => services.guests.details(name),
    'guests:outputs': ({ name, model, mac }) => services.guests.outputs(name, model, mac),
    'guests:attach': ({ runId, name, model, mac }) => services.guests.attach(runId, name, model, mac),
    'guests:detach': ({ runId, name, tap }) => services.guests.detach(runId, name, tap),
    'guests:attach-vm': ({ runId, name, domain, model, mac }) => services.guests.attachVm(runId, name, domain, model, mac),
    'guests:detach-vm': ({ runId, name, domain, mac }) => services.guests.detachVm(runId, name, domain, mac),
    'forwards:add': ({ runId, name, ...text }) => services.guests.addForward(runId, name, text),
    'forwards:remove': ({ runId, name, ...key }) => services.guests.removeForward(runId, name, key),
    'reservations:add': ({ runId, name, ...text }) => services.guests.reserve(runId, name, text),
    'reservations:remove': ({ runId, name, mac }) => services.guests.unreserve(runId, name, mac),
  };
}
