/**
 * `npm run build` step: the demo page into dist/web, which the package ships so that an
 * installed `blazeface serve` has its page (esbuild, which builds it, is a dev dependency).
 */
import { buildWeb } from '../src/serve/build-web.js';

const built = await buildWeb();
console.log(`built ${built.dir}: ${built.bytes.toLocaleString('en-US')} bytes in ${built.buildMs.toFixed(0)} ms`);
