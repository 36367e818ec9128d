/**
 * Emails are built as blocks of plain text and rendered twice, to HTML and to text. Every string
 * in a block is escaped by the HTML renderer, so a value that came from an agency (its name, a
 * task title) can never inject markup, whichever template it is used in.
 */
export type Block =
  | { kind: 'p'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; head: string[]; rows: string[][] }
  | { kind: 'link'; label: string; url: string };

export type RenderedEmail = { subject: string; html: string; text: string };

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const htmlBlock = (block: Block): string => {
  switch (block.kind) {
    case 'p':
      return `<p>${escapeHtml(block.text)}</p>`;
    case 'list':
      return `<ul>${block.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    case 'table':
      return `<table border="1" cellpadding="4" cellspacing="0"><thead><tr>${block.head
        .map((h) => `<th>${escapeHtml(h)}</th>`)
        .join('')}</tr></thead><tbody>${block.rows
        .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
    case 'link':
      return `<p><a href="${escapeHtml(block.url)}">${escapeHtml(block.label)}</a></p>`;
  }
};

const textBlock = (block: Block): string => {
  switch (block.kind) {
    case 'p':
      return block.text;
    case 'list':
      return block.items.map((i) => `- ${i}`).join('\n');
    case 'table':
      return [block.head.join(' | '), ...block.rows.map((r) => r.join(' | '))].join('\n');
    case 'link':
      return `${block.label}: ${block.url}`;
  }
};

export const renderBlocks = (subject: string, blocks: Block[]): RenderedEmail => ({
  subject,
  html: `<!doctype html><html lang="th"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family:sans-serif">${blocks
    .map(htmlBlock)
    .join('\n')}</body></html>`,
  text: `${blocks.map(textBlock).join('\n\n')}\n`,
});
