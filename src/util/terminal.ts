/**
 * Text from a cloud (or any file) printed to a terminal: control characters are shown
 * escaped, so a cloud cannot clear the screen, move the cursor or print a fake verdict.
 */

// C0 controls but \n and \t, DEL, C1 controls, and bidi overrides/isolates that reorder what is shown.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `\x1b[2J` → the visible text `\x1b[2J`; newlines and tabs stay. */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** One line of it: also newlines escaped (a reason must not forge the next line of output). */
export function printableLine(text: string): string {
  return printable(text.replace(/\r?\n/g, '\\n').replace(/\t/g, ' '));
}
