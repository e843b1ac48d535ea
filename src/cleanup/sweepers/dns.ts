import { registerSweeper } from '../registry.js';
import { DNS_SERVICE } from '../../services/dns.js';
import { sweepZones } from '../../services/dns-sweep.js';

registerSweeper({ service: DNS_SERVICE, sweep: sweepZones });
