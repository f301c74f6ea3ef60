// Parses each Mermaid file given on the command line with Mermaid itself
// (in a jsdom window), printing `ok FILE` or `error FILE: MESSAGE`; exits 1
// when any file does not parse. Test-only: see tests/it/graph.rs.
import { JSDOM } from 'jsdom';
import { readFileSync } from 'fs';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

let failed = false;
for (const file of process.argv.slice(2)) {
  try {
    await mermaid.parse(readFileSync(file, 'utf8'));
    console.log(`ok ${file}`);
  } catch (error) {
    failed = true;
    console.log(`error ${file}: ${String(error.message).split('\n').join(' ')}`);
  }
}
process.exit(failed ? 1 : 0);
