// Validates SQL statements with dt-sql-parser's grammars: "trino" (TrinoSQL, Athena engine 3 queries) and "hive"
// (HiveSQL, Athena DDL). Reads a JSON array [{"dialect": "trino"|"hive", "sql": "..."}] on stdin and writes a JSON
// array of error lists ([] = the statement parses). Run: node --import ./sql-grammar-register.mjs sql-grammar.mjs
// Each grammar is imported from its own module on first use: the package index loads every dialect (several seconds).
const modules = { trino: ['trino', 'TrinoSQL'], hive: ['hive', 'HiveSQL'] };
const parsers = {};
async function parser(dialect) {
  if (!modules[dialect]) return null;
  if (!parsers[dialect]) {
    const [folder, name] = modules[dialect];
    const module = await import(`dt-sql-parser/dist/parser/${folder}/index.js`);
    parsers[dialect] = new module[name]();
  }
  return parsers[dialect];
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const statements = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const results = [];
for (const { dialect, sql } of statements) {
  const p = await parser(dialect);
  results.push(p ? p.validate(sql).map(e => ({ message: e.message, startLine: e.startLine, startColumn: e.startColumn }))
                 : [{ message: `unknown dialect ${dialect}`, startLine: 0, startColumn: 0 }]);
}
process.stdout.write(JSON.stringify(results));
