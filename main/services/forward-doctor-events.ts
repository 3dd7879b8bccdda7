import type { WebContents } from 'electron';
import { send } from '../ipc/ipc-main';
import type { DoctorService } from './doctor-service';

/** Pushes the doctor's re-checks and the progress of its fixes to the window open at the time. */
export function forwardDoctorEvents(doctor: Pick<DoctorService, 'subscribe' | 'onProgress'>, target: () => Pick<WebContents, 'send' | 'isDestroyed'> | undefined): () => void {
  const stops = [
    doctor.subscribe((view) => {
      const contents = target();
      if (contents) send(contents, 'doctor:changed', view);
    }),
    doctor.onProgress((progress) => {
      const contents = target();
      if (contents) send(contents, 'doctor:progress', progress);
    }),
  ];
  return () => stops.forEach((stop) => stop());
}
