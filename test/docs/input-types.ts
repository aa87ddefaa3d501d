// Which of the library's types a user writes values of, read from the public API itself: what goes into a public
// function, constructor or method (and into what those return), field by field, down to the types they hold. A user
// fills these from environment variables, form fields and manifest rows, which may be undefined, and compiles with
// exactOptionalPropertyTypes as the strictest projects do: every optional property of them takes `undefined` (and the
// runtime reads it as not given). A type the library itself hands out (a result, an event, a parsed manifest) is not
// one, even when it is passed back (`isClear(result)`): the user passes it on as it came.
//
// The direction flips across a function the user gives (a callback, a method of a Transport or a store the user
// implements): its parameters are handed out, its result goes in. An optional method is implemented or left out,
// never given as a value, so it is not asked to take `undefined`.
import ts from 'typescript';

/** An optional property of an input type that does not take `undefined`, named `file:line Owner.property (how it is reached)`. */
export function optionalsWithoutUndefined(program: ts.Program, entryFiles: readonly string[], isLibrary: (fileName: string) => boolean): string[] {
  const checker = program.getTypeChecker();
  const undefinedType = checker.getUndefinedType();
  const inLibrary = (node: ts.Node) => isLibrary(node.getSourceFile().fileName);
  const seen = { in: new Set<ts.Type>(), out: new Set<ts.Type>() };
  const inputs = new Map<ts.Type, string>();
  type Direction = 'in' | 'out';

  const walk = (type: ts.Type, dir: Direction, via: string): void => {
    if (seen[dir].has(type)) return;
    seen[dir].add(type);
    if (type.isUnion() || type.isIntersection()) {
      for (const t of type.types) walk(t, dir, via);
      return;
    }
    if (!(type.flags & ts.TypeFlags.Object)) return;
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const ours = symbol?.declarations?.some(inLibrary) ?? false;
    const mapped = ((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Mapped) !== 0;
    const reference = ((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) !== 0;
    if (!ours && !mapped) {
      // A container (an array, a Promise, an iterable): what it holds; a function type: its signatures.
      if (reference) for (const t of checker.getTypeArguments(type as ts.TypeReference)) walk(t, dir, via);
      for (const s of type.getCallSignatures()) signature(s, dir, via);
      return;
    }
    if (dir === 'in') inputs.set(type, via);
    for (const s of type.getCallSignatures()) signature(s, dir, via);
    for (const p of checker.getPropertiesOfType(type)) {
      const declaration = p.valueDeclaration ?? p.declarations?.[0];
      if (declaration !== undefined && !inLibrary(declaration) && !mapped) continue;
      walk(checker.getTypeOfSymbol(p), dir, `${via}.${p.name}`);
    }
  };
  // A function the library gives: its parameters go in, its result comes out. One the user gives: the reverse.
  const signature = (s: ts.Signature, dir: Direction, via: string): void => {
    for (const parameter of s.getParameters()) walk(checker.getTypeOfSymbol(parameter), dir === 'out' ? 'in' : 'out', `${via}(${parameter.name})`);
    walk(s.getReturnType(), dir, `${via}()`);
  };

  for (const file of entryFiles) {
    const source = program.getSourceFile(file);
    const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    if (module === undefined) throw new Error(`${file}: not in the program`);
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (!(symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class | ts.SymbolFlags.Variable))) continue;
      const type = checker.getTypeOfSymbol(symbol);
      for (const s of type.getCallSignatures()) signature(s, 'out', exported.name);
      for (const s of type.getConstructSignatures()) signature(s, 'out', `new ${exported.name}`);
      if (symbol.flags & ts.SymbolFlags.Class) walk(checker.getDeclaredTypeOfSymbol(symbol), 'out', exported.name);
    }
  }

  const found = new Set<string>();
  for (const [type, via] of inputs) {
    if (seen.out.has(type)) continue;
    for (const p of checker.getPropertiesOfType(type)) {
      if (!(p.flags & ts.SymbolFlags.Optional)) continue;
      const declaration = p.valueDeclaration ?? p.declarations?.[0];
      if (declaration === undefined || ts.isMethodSignature(declaration) || ts.isMethodDeclaration(declaration)) continue;
      // Under exactOptionalPropertyTypes an optional property's type holds `undefined` itself only when it was written
      // in; the one TypeScript adds for a missing property is another type.
      const t = checker.getTypeOfSymbol(p);
      if (t === undefinedType || (t.isUnion() && t.types.includes(undefinedType)) || t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) continue;
      const sf = declaration.getSourceFile();
      const where = inLibrary(declaration) ? `${sf.fileName}:${sf.getLineAndCharacterOfPosition(declaration.getStart()).line + 1}` : '(mapped)';
      found.add(`${where} ${checker.typeToString(type)}.${p.name} (${via})`);
    }
  }
  return [...found].sort();
}
