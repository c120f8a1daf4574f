import { ProblemError } from '../../shared/errors';
import { serializeError } from '../../shared/logging/logger';

describe('logged errors', () => {
  it('are typed by their name, which survives the bundle minifying class names', () => {
    // As the bundle turns `class ProblemError` into a one-letter class that still sets name = 'ProblemError'.
    const Minified = class extends ProblemError {};
    const logged = serializeError(new Minified('internal-error', 'boom')) as Record<string, unknown>;
    expect(Minified.name).not.toBe('ProblemError');
    expect(logged).toMatchObject({ type: 'ProblemError', message: 'boom' });
    expect(logged['stack']).toContain('ProblemError: boom');
    expect(serializeError(new TypeError('bad'))).toMatchObject({ type: 'TypeError', message: 'bad' });
    expect(serializeError('not an error')).toBe('not an error');
  });
});
