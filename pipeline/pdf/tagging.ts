// The PDF's structure tree, the reading order screen readers follow: one element
// per body block even when the block is drawn in pieces.
import type { TextRole } from './layout.ts';

export type StructElement = PDFKit.PDFStructureElement;
export type StructRole = Exclude<TextRole, 'Artifact'> | 'Figure' | 'L' | 'Lbl' | 'LBody' | 'Table' | 'TR' | 'TH' | 'TD' | 'Div';

/** pdfkit's structure element options; `scope` (a TH's Table attribute) is missing from its type declarations. */
type ElementOptions = { alt?: string; bbox?: number[]; scope?: 'Column' | 'Row' | 'Both' };

/**
 * Structure elements keyed by the block they tag, attached to the document root in
 * the order first drawn, which is reading order: a paragraph split across
 * columns or pages stays one element.
 */
export class Tagger {
  private readonly root: StructElement;
  private readonly elements = new Map<string, StructElement>();

  constructor(private readonly doc: PDFKit.PDFDocument) {
    this.root = doc.struct('Document');
    doc.addStructure(this.root);
  }

  element(key: string, role: StructRole, options: ElementOptions = {}): StructElement {
    return this.child(this.root, key, role, options);
  }

  child(parent: StructElement, key: string, role: StructRole, options: ElementOptions = {}): StructElement {
    let element = this.elements.get(key);
    if (!element) {
      element = this.doc.struct(role, options as PDFKit.Mixins.StructureElementOptions);
      parent.add(element);
      this.elements.set(key, element);
    }
    return element;
  }

  end(): void {
    for (const element of this.elements.values()) element.end();
    this.root.end();
  }
}
