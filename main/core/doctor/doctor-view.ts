import { z } from 'zod';
import { StepStatus } from '../../helper/protocol';
import { CheckId, DoctorReport } from './doctor-report';

/**
 * What the app's Doctor view gets from main: the report, and for each finding the doctor can fix
 * through the helper, what the fix will change, as the commands it amounts to. The plans
 * themselves stay in main: the renderer asks for a fix by its check id, and main looks the fix up
 * again in a fresh report before it runs anything.
 */

export const FixPreview = z.object({
  id: CheckId,
  description: z.string(),
  /** one line per helper step, in words */
  steps: z.array(z.string()),
  /** the same as shell commands, for reading */
  commands: z.string(),
  undoCommands: z.string(),
});
export type FixPreview = z.infer<typeof FixPreview>;

export const DoctorView = z.object({
  report: DoctorReport,
  fixes: z.array(FixPreview),
  /** checks whose fix was applied in this session and can be taken back */
  undoable: z.array(CheckId),
  checkedAt: z.string(),
});
export type DoctorView = z.infer<typeof DoctorView>;

export const FixRequest = z.object({ id: CheckId }).strict();
export type FixRequest = z.infer<typeof FixRequest>;

export const FixOutcome = z.object({
  id: CheckId,
  /** done: applied (or undone); failed: a step failed and the helper rolled the fix back */
  status: z.enum(['done', 'failed']),
  message: z.string(),
  /** the doctor's report read again afterwards */
  view: DoctorView,
});
export type FixOutcome = z.infer<typeof FixOutcome>;

/** one step of a fix (or an undo) that the helper runs, pushed while it runs */
export const FixProgress = z.object({
  id: CheckId,
  index: z.number().int(),
  total: z.number().int(),
  status: StepStatus,
  step: z.string(),
});
export type FixProgress = z.infer<typeof FixProgress>;
