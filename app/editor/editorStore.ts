/** UI state of the scenario editor (kept here, not in app/store: the editor owns it). */
import { create } from 'zustand';

export interface EditorState {
  /** The "Edit scenario" dialog is open. */
  open: boolean;
  setOpen: (open: boolean) => void;
  /** The editor's text while it differs from the running scenario (autosaved as a draft, app/storage), else null. */
  text: string | null;
  setText: (text: string | null) => void;
  /** Text to open the editor with instead of the running scenario's (a draft brought back after a reload). */
  restore: string | null;
  reopen: (text: string) => void;
}

export const useEditor = create<EditorState>()((set) => ({
  open: false,
  setOpen: (open) => set(open ? { open } : { open, text: null, restore: null }),
  text: null,
  setText: (text) => set({ text }),
  restore: null,
  reopen: (text) => set({ open: true, restore: text, text }),
}));
