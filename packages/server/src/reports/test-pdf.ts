import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * The text of each page of a PDF, as pdf.js extracts it (items joined by spaces, runs of white space
 * collapsed), for tests that check what a generated PDF says.
 */
export async function pdfPageTexts(pdf: Uint8Array): Promise<string[]> {
  const document = await getDocument({
    data: new Uint8Array(pdf),
    useSystemFonts: false,
    isEvalSupported: false,
  }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= document.numPages; i++) {
    const page = await document.getPage(i);
    const content = await page.getTextContent();
    const text = content.items.map((item) => ('str' in item ? item.str : '')).join(' ');
    pages.push(text.replace(/\s+/g, ' ').trim());
  }
  await document.destroy();
  return pages;
}

/** The 14 standard PDF fonts, which a viewer substitutes instead of reading them from the file. */
const STANDARD_14 = /\/BaseFont\s*\/(Times-|Helvetica|Courier|Symbol|ZapfDingbats)/;

/**
 * The fonts of a PDF as read from its bytes (pdfkit writes font dictionaries uncompressed): how many
 * font dictionaries there are, how many embedded TrueType files, and whether a standard-14 font is named.
 */
export function pdfFonts(pdf: Uint8Array): {
  fonts: number;
  embedded: number;
  baseFonts: string[];
  standard14: boolean;
} {
  const text = Buffer.from(pdf).toString('latin1');
  const baseFonts = [
    ...text.matchAll(/\/Type\s*\/Font\s*\/Subtype\s*\/Type0[\s\S]*?\/BaseFont\s*\/([A-Za-z0-9+-]+)/g),
  ].map((m) => m[1]!);
  return {
    fonts: (text.match(/\/Type\s*\/FontDescriptor/g) ?? []).length,
    embedded: (text.match(/\/FontFile2\s+\d+\s+0\s+R/g) ?? []).length,
    baseFonts,
    standard14: STANDARD_14.test(text),
  };
}
