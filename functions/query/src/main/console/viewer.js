// The cited page rendered with pdf.js (loaded on first use, so the console's first load stays small) and
// the quote highlighted on the page's text layer.
let pdfjs = null;
const documents = new Map(); // documentId -> Promise<PDFDocumentProxy>

async function library() {
  if (!pdfjs) {
    pdfjs = await import('/console/vendor/pdf.min.mjs');
    pdfjs.GlobalWorkerOptions.workerSrc = '/console/vendor/pdf.worker.min.mjs';
  }
  return pdfjs;
}

/** Opens (once per document) the PDF at a presigned URL; linkFor() fetches a fresh URL. */
export async function openDocument(documentId, linkFor) {
  if (!documents.has(documentId)) {
    const loading = (async () => {
      const lib = await library();
      const link = await linkFor(documentId);
      // One plain GET of the whole file: the presigned URL expires, a later range request would fail.
      return lib.getDocument({ url: link.url, isEvalSupported: false, disableRange: true, disableStream: true }).promise;
    })();
    documents.set(documentId, loading);
    loading.catch(() => documents.delete(documentId));
  }
  return documents.get(documentId);
}

export function forget(documentId) {
  documents.delete(documentId);
}

/**
 * Renders one page into container (canvas + text layer) at the container's width times zoom (the container
 * scrolls when zoomed in) and marks the quote's characters on the text layer. Returns the marks (empty when the
 * quote is not found).
 */
export async function renderPage(pdf, pageNumber, container, quote, zoom = 1) {
  const lib = await library();
  const page = await pdf.getPage(Math.min(Math.max(1, pageNumber), pdf.numPages));
  const base = page.getViewport({ scale: 1 });
  const width = Math.max(280, container.clientWidth - 4) * zoom;
  const viewport = page.getViewport({ scale: width / base.width });
  const ratio = window.devicePixelRatio || 1;

  const pageDiv = document.createElement('div');
  pageDiv.className = 'page';
  pageDiv.style.width = `${Math.floor(viewport.width)}px`;
  pageDiv.style.height = `${Math.floor(viewport.height)}px`;
  pageDiv.style.setProperty('--scale-factor', String(viewport.scale));
  pageDiv.style.setProperty('--total-scale-factor', String(viewport.scale));
  pageDiv.style.setProperty('--scale-round-x', '1px');
  pageDiv.style.setProperty('--scale-round-y', '1px');

  const canvas = document.createElement('canvas');
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  canvas.style.width = `${Math.floor(viewport.width)}px`;
  canvas.style.height = `${Math.floor(viewport.height)}px`;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `Page ${page.pageNumber} of ${pdf.numPages}`);
  const textLayerDiv = document.createElement('div');
  textLayerDiv.className = 'textLayer';
  pageDiv.append(canvas, textLayerDiv);
  container.replaceChildren(pageDiv);

  await page.render({
    canvas,
    canvasContext: canvas.getContext('2d'),
    viewport,
    transform: ratio === 1 ? null : [ratio, 0, 0, ratio, 0, 0],
  }).promise;
  const textLayer = new lib.TextLayer({ textContentSource: await page.getTextContent(), container: textLayerDiv, viewport });
  await textLayer.render();
  return { page: page.pageNumber, pages: pdf.numPages, marks: quote ? highlight(textLayerDiv, quote) : [] };
}

// Quote and page text are compared without whitespace, case, hyphenation or ligatures: the quote comes
// from the extractor's text (lines joined, dot leaders dropped), the text layer from pdf.js's items.
const fold = (s) => s.normalize('NFKC').toLowerCase();
const skipped = (ch) => /[\s\u00ad\-‐‑–—.·•…]/u.test(ch);

function highlight(textLayerDiv, quote) {
  const spans = [...textLayerDiv.querySelectorAll('span')].filter((s) => !s.querySelector('span'));
  let text = '';
  const owner = []; // index in text -> [span, index of the character in the span's own text]
  spans.forEach((span) => {
    [...(span.textContent || '')].forEach((original, at) => {
      for (const ch of fold(original)) {
        if (!skipped(ch)) {
          text += ch;
          owner.push([span, at]);
        }
      }
    });
  });
  const wanted = [...fold(quote)].filter((ch) => !skipped(ch)).join('');
  if (!wanted) return [];
  let start = text.indexOf(wanted);
  let length = wanted.length;
  if (start < 0) {
    // A quote that crosses a line the extractor joined differently: the longest head of it that is on the page.
    for (let n = Math.floor(wanted.length * 0.8); n >= Math.min(24, wanted.length); n = Math.floor(n * 0.8)) {
      start = text.indexOf(wanted.slice(0, n));
      if (start >= 0) {
        length = n;
        break;
      }
    }
  }
  if (start < 0) return [];
  // Only the quote's own characters are marked: a text-layer fragment often holds a whole line, of which the quote
  // may be a part, so the fragment's text is split around a <mark>.
  const ranges = new Map(); // span -> [first, last] character of the quote in it
  owner.slice(start, start + length).forEach(([span, at]) => {
    const range = ranges.get(span);
    if (range) range[1] = at; else ranges.set(span, [at, at]);
  });
  return [...ranges].map(([span, [first, last]]) => {
    const chars = [...(span.textContent || '')];
    const mark = document.createElement('mark');
    mark.className = 'highlight';
    mark.textContent = chars.slice(first, last + 1).join('');
    span.replaceChildren(chars.slice(0, first).join(''), mark, chars.slice(last + 1).join(''));
    return mark;
  });
}
