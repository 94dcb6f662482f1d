/**
 * The release executable's entry point (a Node single executable application, built by
 * scripts/release.mjs): what bin/peridio.js is to the npm install. Its chunks and their
 * compiled code come from the executable's assets (scripts/sea-main.cjs); its SQLite
 * addon too (src/store/sea-binding.ts).
 */
import { main } from './main.js';

// In a single executable, argv[1] is the executable again, as the script is for node.
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
