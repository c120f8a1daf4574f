/**
 * Every command answers --help (or -h) with its usage and exits 0, before it reads any configuration:
 * a newcomer asking how to use it must not be told a variable is missing instead.
 */
export function answerHelp(usage: string, argv: readonly string[] = process.argv.slice(2)): void {
  if (!argv.includes('--help') && !argv.includes('-h')) return;
  console.log(usage);
  process.exit(0);
}
