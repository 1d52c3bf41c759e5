// Resolve hook for dt-sql-parser's ESM build, which imports directories and extension-less files that Node's ESM
// resolver refuses (ERR_UNSUPPORTED_DIR_IMPORT, ERR_MODULE_NOT_FOUND): retry as <dir>/index.js, then <spec>.js.
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (error?.code === 'ERR_UNSUPPORTED_DIR_IMPORT') return next(specifier.replace(/\/?$/, '/index.js'), context);
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && !specifier.endsWith('.js') && (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:')))
      return next(specifier + '.js', context);
    throw error;
  }
}
