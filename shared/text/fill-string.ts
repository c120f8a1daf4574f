import Handlebars from 'handlebars';

// Compiled once each: the strings are a fixed table (a language's file), filled at every render.
const compiled = new Map<string, HandlebarsTemplateDelegate>();

/**
 * A translatable string (a Handlebars template over the values it names) filled in, unescaped: the
 * layout it goes into escapes what it produces (the checkout page, the notices' HTML part).
 */
export function fillString(template: string, values: object): string {
  let render = compiled.get(template);
  if (!render) {
    render = Handlebars.compile(template, { noEscape: true, knownHelpersOnly: true });
    compiled.set(template, render);
  }
  return render(values);
}
