import Handlebars from 'handlebars';

/**
 * The two parts every notice has, filled with its strings and facts. Handlebars escapes every `{{ }}`
 * value in the HTML part (an invoice's metadata is the buyer's or merchant's text); the text part is
 * compiled with escaping off, since it is not HTML. Inline styles: mail clients drop <style>.
 */
const html = `<!doctype html>
<html lang="{{lang}}">
<head><meta charset="utf-8"><meta name="color-scheme" content="light dark"><title>{{subject}}</title></head>
<body style="margin:0;padding:24px;font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#1b1b1b;background:#ffffff">
<h1 style="font-size:20px;margin:0 0 16px">{{heading}}</h1>
{{#each lines}}<p style="margin:0 0 12px;line-height:1.5">{{this}}</p>
{{/each}}{{#if facts.length}}<table role="presentation" style="border-collapse:collapse;margin:16px 0">
{{#each facts}}<tr><th scope="row" style="text-align:left;padding:4px 16px 4px 0;color:#555;font-weight:normal">{{label}}</th><td style="padding:4px 0">{{value}}</td></tr>
{{/each}}</table>
{{/if}}{{#if link}}<p style="margin:16px 0"><a href="{{link.url}}" style="color:#0b57d0">{{link.label}}</a></p>
{{/if}}<p style="margin:24px 0 0;font-size:12px;color:#555">{{footer}}</p>
</body>
</html>
`;

const text = `{{heading}}

{{#each lines}}{{this}}

{{/each}}{{#each facts}}{{label}}: {{value}}
{{/each}}{{#if link}}
{{link.label}}: {{link.url}}
{{/if}}
--
{{footer}}
`;

export const htmlLayout = Handlebars.compile(html, { knownHelpersOnly: true });
export const textLayout = Handlebars.compile(text, { noEscape: true, knownHelpersOnly: true });
