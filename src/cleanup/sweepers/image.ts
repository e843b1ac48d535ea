import { registerSweeper } from '../registry.js';
import { sweepImages } from '../../services/image-sweep.js';

registerSweeper({ service: 'image', sweep: sweepImages });
