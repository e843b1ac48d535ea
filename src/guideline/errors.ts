/** A problem with guideline data or a guideline request, shown to the user as one line. */
export class GuidelineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GuidelineError';
  }
}
