/** UI state of sharing: the link last copied (shown in its dialog) and the lesson step a link carries. */
import { create } from 'zustand';

export interface CopiedLink {
  url: string;
  /** The clipboard took it (false: the browser refused; the dialog shows it to copy by hand). */
  copied: boolean;
}

export interface ShareState {
  link: CopiedLink | null;
  setLink: (link: CopiedLink | null) => void;
  /**
   * The guided lesson and step on screen (set by the lessons UI), carried by links; a link that carries one sets
   * it here when it opens, for the lessons UI to follow.
   */
  lesson: { id: string; step: number } | null;
  setLesson: (lesson: { id: string; step: number } | null) => void;
}

export const useShare = create<ShareState>()((set) => ({
  link: null,
  setLink: (link) => set({ link }),
  lesson: null,
  setLesson: (lesson) => set({ lesson }),
}));
