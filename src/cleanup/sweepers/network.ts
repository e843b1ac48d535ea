import { registerSweeper } from '../registry.js';
import { sweepNetwork } from '../../services/network-sweep.js';

registerSweeper({ service: 'network', sweep: sweepNetwork });
