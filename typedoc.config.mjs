// The API reference (`npm run docs`): the entry points' TSDoc, with the library's README as its landing page and the
// guides as its documents. A JavaScript config for one reason: markdownItLoader (below) takes a function.

/**
 * TypeDoc names a heading's anchor from its text alone, so `## \`screen\`: a manifest` is `#-a-manifest`, where GitHub,
 * and the guides' links, say `#screen-a-manifest`. A heading's code is written as text between <code> tags, which
 * reads the same and gives the same anchor as on GitHub.
 * @param {import('markdown-it').default} parser
 */
function headingCodeAsText(parser) {
  parser.core.ruler.push('borderlink-heading-code', (state) => {
    for (let i = 0; i + 1 < state.tokens.length; i++) {
      const inline = state.tokens[i + 1];
      if (state.tokens[i].type !== 'heading_open' || inline.children === null) continue;
      inline.children = inline.children.flatMap((token) => {
        if (token.type !== 'code_inline') return [token];
        const open = new state.Token('html_inline', '', 0);
        open.content = '<code>';
        const text = new state.Token('text', '', 0);
        text.content = token.content;
        const close = new state.Token('html_inline', '', 0);
        close.content = '</code>';
        return [open, text, close];
      });
    }
  });
}

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  entryPoints: [
    'packages/borderlink/src/index.ts',
    'packages/borderlink/src/testing/index.ts',
    'packages/borderlink/src/offline/index.ts',
    'packages/borderlink/src/manifests/index.ts',
    'packages/borderlink/src/audit-log/index.ts',
    'packages/borderlink/src/telemetry/index.ts',
  ],
  out: 'packages/borderlink/docs/api',
  name: 'borderlink',
  // The landing page: the quick start, and the links to the guides, which are pages of the reference too.
  readme: 'packages/borderlink/README.md',
  projectDocuments: ['packages/borderlink/docs/*.md'],
  highlightLanguages: ['bash', 'console', 'css', 'html', 'http', 'javascript', 'json', 'jsonc', 'json5', 'yaml', 'tsx', 'typescript'],
  markdownItLoader: headingCodeAsText,
  excludePrivate: true,
  excludeInternal: true,
  treatWarningsAsErrors: true,
  validation: { notExported: true, invalidLink: true, notDocumented: false },
  tsconfig: 'tsconfig.json',
  disableSources: true,
};
