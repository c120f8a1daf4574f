import { en, type CheckoutStrings } from './en';
import { es } from './es';

/** The languages the page speaks, the first the default: a translation is added here and nowhere else. */
export const translations: Record<string, CheckoutStrings> = { en, es };
export const languages = Object.keys(translations);

/** The buyer's language from what `req.acceptsLanguages` chose (or false: none matched). */
export function stringsFor(choice: string | false): CheckoutStrings {
  return (choice === false ? undefined : translations[choice.toLowerCase().slice(0, 2)]) ?? en;
}
