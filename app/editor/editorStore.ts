/** UI state of the scenario editor (kept here, not in app/store: the editor owns it). */
import { create } from 'zustand';

export interface EditorState {
  /** The "Edit scenario" dialog is open. */
  open: boolean;
  setOpen: (open: boolean) => void;
}

export const useEditor = create<EditorState>()((set) => ({
  open: false,
  setOpen: (open) => set({ open }),
}));
