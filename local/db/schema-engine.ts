import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

type SchemaEngineModule = typeof import('@prisma/schema-engine-wasm');
export type SchemaEngine = Awaited<ReturnType<SchemaEngineModule['SchemaEngine']['new']>>;

/**
 * Prisma's schema engine as WebAssembly, in-process: the CLI's native engine cannot be downloaded
 * here. The package's entry imports its .wasm as an ES module, which Node 20 cannot do, so the
 * module is instantiated by hand. An internal API: its version is pinned in package.json.
 * It connects to `databaseUrl` on start, though the datamodel diffs we ask of it read no database.
 */
export async function openSchemaEngine(
  databaseUrl: string,
  schemaFile: string,
): Promise<{ engine: SchemaEngine; schema: string }> {
  const dir = dirname(require.resolve('@prisma/schema-engine-wasm'));
  const bindings = (await import(join(dir, 'schema_engine_bg.js'))) as SchemaEngineModule & {
    __wbg_set_wasm(exports: WebAssembly.Exports): void;
  };
  const { instance } = await WebAssembly.instantiate(await readFile(join(dir, 'schema_engine_bg.wasm')), {
    './schema_engine_bg.js': bindings as unknown as WebAssembly.ModuleImports,
  });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports['__wbindgen_start'] as () => void)();

  const schema = await readFile(schemaFile, 'utf8');
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: databaseUrl }));
  const engine = await bindings.SchemaEngine.new({ datamodels: [['schema.prisma', schema]] }, () => undefined, adapter);
  return { engine, schema };
}
