import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The README is the front page and docs/ the manual: every relative link in them must reach a
 * file, and every #anchor a heading of that file (as GitHub makes anchors), so a page moved or
 * a heading renamed fails here instead of leaving a reader at a dead end.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];

/** The text outside fenced code blocks and inline code, where a link is a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const text = markdown.replace(/^```[\s\S]*?^```/gm, '');
  for (const match of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = (match[1] ?? '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .trim()
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
    seen.set(slug, n + 1);
  }
  return anchors;
}

function linksOf(page: string): string[] {
  const text = prose(readFileSync(join(ROOT, page), 'utf8'));
  return [...text.matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1] ?? '').filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

describe.each(PAGES)('%s', (page) => {
  it.each(linksOf(page).length > 0 ? linksOf(page) : ['(no links)'])('link %s resolves', (target) => {
    if (target === '(no links)') return;
    const [path = '', anchor] = target.split('#');
    const file = path === '' ? join(ROOT, page) : resolve(dirname(join(ROOT, page)), decodeURIComponent(path));
    expect(existsSync(file), `${relative(ROOT, file)} exists`).toBe(true);
    expect(relative(ROOT, file).startsWith('..'), 'stays inside the repository').toBe(false);
    if (anchor !== undefined && anchor !== '') {
      expect(statSync(file).isFile() && file.endsWith('.md'), `#${anchor} points into a markdown file`).toBe(true);
      expect([...anchorsOf(readFileSync(file, 'utf8'))], `#${anchor} in ${relative(ROOT, file)}`).toContain(anchor);
    }
  });
});

describe('README.md is a front page', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('at most 160 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(160);
  });

  it('links at least five docs/ pages, and every docs/ page can be reached from it', () => {
    const linked = new Set(linksOf('README.md').filter((t) => t.startsWith('docs/')).map((t) => t.split('#')[0]));
    expect(linked.size).toBeGreaterThanOrEqual(5);
    // A page no link leads to is a page nobody reads: follow the links from the README.
    const reached = new Set<string>(['README.md']);
    const queue = ['README.md'];
    for (let page = queue.shift(); page !== undefined; page = queue.shift()) {
      for (const target of linksOf(page)) {
        const path = target.split('#')[0] ?? '';
        if (!path.endsWith('.md')) continue;
        const next = relative(ROOT, resolve(dirname(join(ROOT, page)), path));
        if (PAGES.includes(next) && !reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
      }
    }
    expect(PAGES.filter((p) => !reached.has(p))).toEqual([]);
  });
});

describe('anchorsOf', () => {
  it('makes anchors as GitHub does', () => {
    expect([...anchorsOf('# A b\n## What is proven without a Pi, and what is not\n### Run: `counterpay run`\n## ICU: no Intl formatter on the service\'s path\n## A b\n')]).toEqual([
      'a-b',
      'what-is-proven-without-a-pi-and-what-is-not',
      'run-counterpay-run',
      'icu-no-intl-formatter-on-the-services-path',
      'a-b-1',
    ]);
  });
});
