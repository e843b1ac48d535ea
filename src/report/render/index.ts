/** Report formats by name: adding a format is adding a renderer here. */
import type { Report } from '../model.js';

/** Formats of `report render --format`. */
export const RENDER_FORMATS = ['html', 'markdown', 'junit', 'json', 'refstack'] as const;
/** One of RENDER_FORMATS. */
export type RenderFormat = (typeof RENDER_FORMATS)[number];

/** Renders a report; renderers are imported on demand (handlebars is not small). */
export async function renderReport(report: Report, format: RenderFormat): Promise<string> {
  switch (format) {
    case 'html':
      return (await import('./html.js')).renderHtml(report);
    case 'markdown':
      return (await import('./markdown.js')).renderMarkdown(report);
    case 'junit':
      return (await import('./junit.js')).renderJunit(report);
    case 'json':
      return JSON.stringify(report, null, 2) + '\n';
    case 'refstack':
      // exactly the bytes a signature from `report sign --refstack` covers: no trailing newline
      return (await import('../refstack.js')).refstackBody(report).toString('utf8');
  }
}
