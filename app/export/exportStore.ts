/** Which "Present and export" dialog is open (its own tiny store, so the shared view slice stays untouched). */
import { create } from 'zustand';

export type ExportDialog = 'embed' | 'export-run' | 'export-flink' | 'import' | null;

export const useExportDialog = create<{ open: ExportDialog; setOpen: (d: ExportDialog) => void }>()(
  (set) => ({
    open: null,
    setOpen: (open) => set({ open }),
  }),
);

export function openExportDialog(d: ExportDialog): void {
  useExportDialog.getState().setOpen(d);
}
