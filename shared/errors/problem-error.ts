import { problems, type ProblemBody, type ProblemType } from './problems';

/**
 * A typed error that knows its HTTP answer. Handlers throw it for anything the caller should hear
 * about; anything else thrown is treated as an internal (retriable) fault, never reflected.
 */
export class ProblemError extends Error {
  readonly problemType: ProblemType;
  readonly extensions: Record<string, unknown>;

  constructor(problemType: ProblemType, detail?: string, extensions: Record<string, unknown> = {}) {
    super(detail ?? problems[problemType].title);
    this.name = 'ProblemError';
    this.problemType = problemType;
    this.extensions = extensions;
  }

  get status(): number {
    return problems[this.problemType].status;
  }

  get retriable(): boolean {
    return problems[this.problemType].retriable;
  }

  toBody(instance?: string): ProblemBody {
    return problemBody(this.problemType, this.message, instance, this.extensions);
  }
}

export function problemBody(
  problemType: ProblemType,
  detail?: string,
  instance?: string,
  extensions: Record<string, unknown> = {},
): ProblemBody {
  const { status, title } = problems[problemType];
  return {
    ...extensions,
    type: `/problems/${problemType}`,
    title,
    status,
    ...(detail === undefined || detail === title ? {} : { detail }),
    ...(instance === undefined ? {} : { instance }),
  };
}
