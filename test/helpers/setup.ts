// @peculiar/x509 needs the Reflect metadata polyfill loaded first, as bin/peridio.js does.
import 'reflect-metadata';
