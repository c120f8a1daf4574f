import type { Provider } from '../provider';
import { alchemy } from './alchemy';

/** Every provider by its path segment: `POST /hooks/<name>`. A new provider is a file and a line here. */
export const providers: Record<string, Provider> = { alchemy };
