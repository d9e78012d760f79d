import jsqrImport from 'jsqr';

type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

// jsqr is CommonJS with an ES-style default export in its typings; under NodeNext the default
// import is the module object at type level and may be either at run time.
const candidate = jsqrImport as unknown as JsQr | { default: JsQr };

/** jsQR's decode function, whichever way the module loader hands it over. */
export const jsQR: JsQr = typeof candidate === 'function' ? candidate : candidate.default;
