/** The UI store: zustand slices (DESIGN: app/store). The raw frame stream lives in ./liveFrames.ts instead. */
import { create } from 'zustand';
import { createFrameSlice, type FrameSlice } from './frameSlice.ts';
import { createHistorySlice, type HistorySlice } from './historySlice.ts';
import { createPlaybackSlice, type PlaybackSlice } from './playbackSlice.ts';
import { createScenarioSlice, type ScenarioSlice } from './scenarioSlice.ts';
import { createViewSlice, type ViewSlice } from './viewSlice.ts';

export type LabState = PlaybackSlice & ScenarioSlice & FrameSlice & ViewSlice & HistorySlice;

export const useLab = create<LabState>()((...a) => ({
  ...createPlaybackSlice(...a),
  ...createScenarioSlice(...a),
  ...createFrameSlice(...a),
  ...createViewSlice(...a),
  ...createHistorySlice(...a),
}));
