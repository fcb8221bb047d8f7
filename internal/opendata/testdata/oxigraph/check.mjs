// Oxigraph side of Trame's open-data tests: loads a dump strictly (any
// syntax error fails), converts it to N-Quads, or answers SPARQL over it.
//
//   node check.mjs load   FILE MEDIATYPE            -> {"quads": n, "ms": t}
//   node check.mjs nquads FILE MEDIATYPE            -> the dump as N-Quads
//   node check.mjs query  FILE MEDIATYPE QUERYFILE  -> {"vars": [...], "rows": [[term, ...], ...]}
//
// Terms are printed in N-Triples syntax. Queries see the union of all graphs
// as their default graph.
import { readFileSync, writeSync } from "node:fs";
import oxigraph from "oxigraph";

const [cmd, file, format, queryFile] = process.argv.slice(2);
if (!cmd || !file || !format) {
  console.error("usage: node check.mjs load|nquads|query FILE MEDIATYPE [QUERYFILE]");
  process.exit(2);
}
const data = readFileSync(file);
const store = new oxigraph.Store();
const start = process.hrtime.bigint();
store.load(data, { format, no_transaction: true });
const ms = Number(process.hrtime.bigint() - start) / 1e6;

function out(s) {
  // writeSync on fd 1 so that large outputs are not cut at exit.
  const buf = Buffer.from(s);
  for (let off = 0; off < buf.length; ) off += writeSync(1, buf, off);
}

switch (cmd) {
  case "load":
    out(JSON.stringify({ quads: store.size, ms }) + "\n");
    break;
  case "nquads":
    out(store.dump({ format: "application/n-quads" }));
    break;
  case "query": {
    const results = store.query(readFileSync(queryFile, "utf8"), { use_default_graph_as_union: true });
    const vars = [];
    const rows = [];
    for (const binding of results) {
      for (const k of binding.keys()) if (!vars.includes(k)) vars.push(k);
    }
    for (const binding of results) {
      rows.push(vars.map((v) => (binding.has(v) ? binding.get(v).toString() : null)));
    }
    out(JSON.stringify({ vars, rows }) + "\n");
    break;
  }
  default:
    console.error("unknown command " + cmd);
    process.exit(2);
}
