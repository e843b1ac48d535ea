/** Kept so existing imports stay valid: the compute sweep lives in services/compute-sweep.ts, the list of sweepers in ../registry.ts. */
export { sweepCompute } from '../../services/compute-sweep.js';
