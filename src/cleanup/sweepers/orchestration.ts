import { registerSweeper } from '../registry.js';
import { ORCHESTRATION_SERVICE } from '../../services/orchestration.js';
import { sweepStacks } from '../../services/orchestration-sweep.js';

registerSweeper({ service: ORCHESTRATION_SERVICE, sweep: sweepStacks });
