/** The layout, status words and the SVG badge of the server's pages. */
import type { FastifyRequest } from 'fastify';
import { html, type SafeHtml } from './html.js';

export const CSS = `body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24}header{background:#1b3a5c;color:#fff;padding:.6em 1.2em;display:flex;gap:1.2em;align-items:center}
header a{color:#fff}main{padding:1em 1.2em;max-width:70em}table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ccd;padding:.3em .6em;text-align:left;vertical-align:top}
.certified{color:#116611;font-weight:bold}.revoked,.fail,.rejected{color:#a11;font-weight:bold}.expired,.pending{color:#8a6d00}.pass{color:#116611}
form.inline{display:inline}pre{background:#f4f4f6;padding:.6em;overflow:auto}label{display:block;margin:.3em 0}.who{margin-left:auto}`;

/** Pages load nothing but our own stylesheet; no script, no frames, forms post only here. */
export const PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function layout(title: string, req: FastifyRequest, body: SafeHtml): string {
  const a = req.actor;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} · defcore</title><link rel="stylesheet" href="/static/serve.css"></head>
<body><header><strong>defcore</strong><a href="/">Products</a><a href="/guidelines/diff">Guideline diff</a>${a && a.role === 'vendor' ? html`<a href="/vendor">My vendor</a>` : ''}${
    a && a.role !== 'vendor' ? html`<a href="/review">Review queue</a>` : ''
  }<span class="who">${
    a
      ? html`<span id="whoami">${a.email}</span> <form class="inline" method="post" action="/logout"><input type="hidden" name="_csrf" value="${req.csrfToken ?? ''}"><button>Log out</button></form>`
      : html`<a href="/login">Log in</a>`
  }</span></header>
<main><h1>${title}</h1>
${body}</main></body></html>
`.text;
}

export function errorPage(status: number, message: string, req: FastifyRequest): string {
  return layout(`Error ${status}`, req, html`<p id="error">${message}</p>`);
}

const BADGE_COLOURS: Record<string, string> = { certified: '#2e7d32', expired: '#9e9e9e', revoked: '#c62828', none: '#9e9e9e' };

/** A shields-style status badge: program on the left, status on the right. */
export function badgeSvg(label: string, status: string, guideline?: string): string {
  const right = status === 'certified' && guideline ? `certified ${guideline}` : status === 'none' ? 'not certified' : status;
  const w = (s: string) => Math.round(s.length * 6.6 + 12);
  const lw = w(label);
  const rw = w(right);
  const colour = BADGE_COLOURS[status] ?? '#9e9e9e';
  return html`<svg xmlns="http://www.w3.org/2000/svg" width="${lw + rw}" height="20" role="img" aria-label="${label}: ${right}"><title>${label}: ${right}</title>
<rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${rw}" height="20" fill="${colour}"/>
<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11"><text x="6" y="14">${label}</text><text x="${lw + 6}" y="14">${right}</text></g></svg>
`.text;
}
