import { register } from 'node:module';
register('./sql-grammar-hooks.mjs', import.meta.url);
