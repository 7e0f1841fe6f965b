// Page content written as bytes. pdfkit turns each string written to a page into
// bytes with a loop in JavaScript, a character at a time (its fromBinaryString, then
// a line feed): ~2 ms a brief for the text and the charts' paths. Written as a
// Buffer made by Node's Latin-1 encoder, the page holds the same bytes.

/** Appends `operators` and a line feed to the current page's content, as doc.addContent(operators) does. */
export function writeContent(doc: PDFKit.PDFDocument, operators: string): void {
  // pdfkit's addContent passes a Uint8Array through as it is (its types say string only).
  doc.addContent(Buffer.from(`${operators}\n`, 'latin1') as unknown as string);
}
