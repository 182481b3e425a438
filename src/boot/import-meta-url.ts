/**
 * `import.meta.url` for rtnl's CommonJS bundles: the build injects this module and defines
 * `import.meta.url` as this binding (esbuild's documented recipe), so code written as ES modules
 * finds files next to itself (package.json, koffi) when it runs from a CommonJS bundle.
 * @internal
 */
export const importMetaUrl: string = (require('node:url') as typeof import('node:url')).pathToFileURL(__filename).href;
