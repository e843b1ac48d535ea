import { registerSweeper } from '../registry.js';
import { sweepObjectStorage } from '../../services/object-storage-sweep.js';

registerSweeper({ service: 'object-store', sweep: sweepObjectStorage });
