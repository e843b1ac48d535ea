/** Kept so existing imports stay valid: the volume sweep lives in services/volume-sweep.ts, the list of sweepers in ../registry.ts. */
export { sweepVolumes } from '../../services/volume-sweep.js';
