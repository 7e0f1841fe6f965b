// The Typst half of the benchmark's baseline, as a user would run it: a new Node
// process that compiles a .typ file to PDF with the npm Typst compiler and writes it.
// Plain JavaScript run by `node`, with no loader hook, so its start-up costs what a
// small tool of one's own would.
//
//   FONTCONFIG_FILE=fonts.conf node test/bench/typst-pdf.mjs MAIN.typ OUT.pdf FONT_DIR...
//
// FONTCONFIG_FILE must name a configuration whose only folder holds no font
// (test/bench/baseline.ts writes one): the compiler searches the system's fonts
// besides FONT_DIR, and the baseline must set its text in the same files ours does.
import fs from 'node:fs';
import path from 'node:path';
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';

const [main, out, ...fontPaths] = process.argv.slice(2);
if (!main || !out || fontPaths.length === 0 || !process.env.FONTCONFIG_FILE) {
  process.stderr.write('usage: FONTCONFIG_FILE=fonts.conf node test/bench/typst-pdf.mjs MAIN.typ OUT.pdf FONT_DIR...\n');
  process.exit(2);
}
const compiler = NodeCompiler.create({ workspace: path.dirname(path.resolve(main)), fontArgs: [{ fontPaths }] });
const compiled = compiler.compile({ mainFilePath: path.resolve(main) });
if (compiled.hasError() || !compiled.result) {
  compiled.printErrors();
  process.exit(1);
}
fs.writeFileSync(out, compiler.pdf(compiled.result));
