export { problems, PROBLEM_CONTENT_TYPE, type ProblemBody, type ProblemType } from './problems';
export { ProblemError, problemBody } from './problem-error';
export { classifyError } from './classify';
export { fieldErrors, type FieldError, type FieldLocation } from './field-errors';
