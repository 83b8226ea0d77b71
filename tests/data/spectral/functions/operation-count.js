// A custom JavaScript function: Spectral runs it, apilint lists the rule that uses it as a note.
export default (paths, options) => {
  const count = Object.keys(paths).length;
  return count > options.max ? [{ message: `${count} paths, more than ${options.max}` }] : [];
};
