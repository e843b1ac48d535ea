/** report.json (signed with --sign), report.html and junit.xml at the end of a run. */
import { registerReporter } from './registry.js';
import { createReportReporter } from '../../report/run-reporter.js';

registerReporter({ name: 'report', default: true, create: createReportReporter });
