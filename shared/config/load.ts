import { z } from 'zod';

/** Thrown at start-up when the environment does not satisfy a config schema. Names variables, never values. */
export class ConfigError extends Error {
  readonly variables: string[];

  constructor(issues: { variable: string; problem: string }[]) {
    super(`Invalid configuration: ${issues.map((i) => `${i.variable} ${i.problem}`).join('; ')}`);
    this.name = 'ConfigError';
    this.variables = issues.map((i) => i.variable);
  }
}

/** Validates the environment against one zod schema, which also gives the config its type. */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const values = withoutEmptyValues(env);
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const variable = issue.path.map(String).join('.') || '(environment)';
      return { variable, problem: values[variable] === undefined ? 'is required' : describe(issue) };
    }),
  );
}

/** `FOO=` in a shell or a manifest means "not set", so it falls back to the default like an absent variable. */
function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  );
}

// The message of an issue may quote the input, and a variable may hold a secret: keep only our own words.
function describe(issue: z.core.$ZodIssue): string {
  return `is invalid (${issue.message.replace(/received .*/i, '').trim()})`;
}
