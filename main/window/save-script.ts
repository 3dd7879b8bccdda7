import { dialog, type BrowserWindow } from 'electron';
import { writeFile } from 'node:fs/promises';

/**
 * Saves a script where the user chooses, through the system's save dialog: the renderer may not
 * download files (the session refuses downloads) and never sees a path it did not pick.
 */
export async function saveScriptWithDialog(window: BrowserWindow | undefined, defaultName: string, text: string): Promise<string | null> {
  const options = { defaultPath: defaultName, filters: [{ name: 'Shell script', extensions: ['sh'] }] };
  const { canceled, filePath } = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  if (canceled || !filePath) return null;
  await writeFile(filePath, text, { mode: 0o755 });
  return filePath;
}
