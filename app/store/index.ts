/** The UI store: zustand slices (DESIGN: app/store). The raw frame stream lives in ./liveFrames.ts instead. */
import { create } from 'zustand';
import { createFrameSlice, type FrameSlice } from './frameSlice.ts';
import { createPlaybackSlice, type PlaybackSlice } from './playbackSlice.ts';
import { createScenarioSlice, type ScenarioSlice } from './scenarioSlice.ts';

export type LabState = PlaybackSlice & ScenarioSlice & FrameSlice;

export const useLab = create<LabState>()((...a) => ({
  ...createPlaybackSlice(...a),
  ...createScenarioSlice(...a),
  ...createFrameSlice(...a),
}));
